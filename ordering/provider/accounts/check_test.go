package accounts

import (
	"testing"

	"github.com/posbridge/posbridge/ordering/provider"
)

func TestCheckBaseURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://api.weixin.qq.com":   true,
		"http://127.0.0.1:5555/x":     true,
		"http://localhost:1":          true,
		"http://api.weixin.qq.com":    false,
		"api.weixin.qq.com":           false,
		"https://h/x?a=1":             false,
		"":                            false,
		"https://user:pw@example.com": false,
	} {
		p := provider.Problems{Section: "s"}
		CheckBaseURL(&p, "k", raw, "what")
		if (p.Err() == nil) != ok {
			t.Errorf("%q: err = %v, want ok=%v", raw, p.Err(), ok)
		}
	}
}

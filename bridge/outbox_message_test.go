package bridge

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/kaigedian"
)

// Staff read why a platform call failed in Chinese; the platform's own text
// wins when it sent one.
func TestPlatformMessageIsForStaff(t *testing.T) {
	english := regexp.MustCompile(`(?i)dial|refused|kaigedian|timeout|unreadable`)
	cases := []struct {
		err  error
		want string
	}{
		{&kaigedian.PlatformError{Code: "501", Message: "订单已取消", Path: "/order/statusOperation"}, "订单已取消"},
		{fmt.Errorf("call: %w", &kaigedian.PlatformError{HTTPStatus: 502, Path: "/order/statusOperation"}), "平台故障（HTTP 502）"},
		{&kaigedian.TransportError{Path: "/order/statusOperation", Err: errors.New("dial tcp 1.2.3.4:443: connect: connection refused")}, "连不上平台"},
		{&kaigedian.DecodeError{Path: "/order/statusOperation", Err: errors.New("invalid character '<'"), Snippet: "<html>"}, "无法识别"},
	}
	for _, c := range cases {
		got := platformMessage(c.err)
		if !strings.Contains(got, c.want) || english.MatchString(got) {
			t.Errorf("platformMessage(%v) = %q, want %q and no raw English", c.err, got, c.want)
		}
	}
}

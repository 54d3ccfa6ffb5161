package seedjson

import (
	"os"
	"strings"
	"testing"
)

// Every kept example becomes JSON after the two repairs (the digest's
// claim, checked here once for all).
func TestEveryExampleRepairs(t *testing.T) {
	entries, err := os.ReadDir(Dir())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".jsonc"); ok {
			n++
			if _, err := Load(name); err != nil {
				t.Error(err)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d examples", n)
	}
	if got := string(Repair([]byte(`{"u": "http://x.com/a", // c
"b": [1, 2,],}`))); got != "{\"u\": \"http://x.com/a\", \n\"b\": [1, 2]}" {
		t.Fatalf("%q", got)
	}
}

package facebook

import (
	"encoding/json"
	"testing"
)

func TestFlexIDKeepsEveryDigit(t *testing.T) {
	var v struct{ A, B flexID }
	if err := json.Unmarshal([]byte(`{"A":"10215241773831025","B":10215241773831025}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "10215241773831025" || v.B != "10215241773831025" {
		t.Fatalf("%+v", v)
	}
	if err := json.Unmarshal([]byte(`{"A":1.5}`), &v); err == nil {
		t.Fatal("a fraction was taken as an id")
	}
}

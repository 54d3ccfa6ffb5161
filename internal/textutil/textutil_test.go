package textutil

import "testing"

func TestDigits(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "1796": true, "": false, "12a": false, "１２": false, "-1": false} {
		if Digits(s) != want {
			t.Errorf("Digits(%q) = %v", s, !want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"data_dir", "data_dri", 2}, {"", "abc", 3}, {"打印机", "打印", 1}, {"same", "same", 0}} {
		if got := EditDistance(c.a, c.b); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

package money

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in     string
		signed bool
		want   Fen
		bad    bool
	}{
		{in: "4.2", want: 420},
		{in: "28", want: 2800},
		{in: "0", want: 0},
		{in: "0.0", want: 0},
		{in: "3.0", want: 300},
		{in: "361.79", want: 36179},
		{in: "0.05", want: 5},
		{in: " 12.50 ", want: 1250},
		{in: "12.600000000000001", want: 1260}, // 4.2 × 3 in JavaScript
		{in: "12.599999999999999", want: 1260},
		{in: "0.30000000000000004", want: 30},
		{in: "4.205", bad: true}, // a real third decimal, not noise
		{in: "4.2001", bad: true},
		{in: "1e2", bad: true},
		{in: "+1", bad: true},
		{in: ".5", bad: true},
		{in: "5.", bad: true},
		{in: "", bad: true},
		{in: "NaN", bad: true},
		{in: "01", bad: true},
		{in: "1,5", bad: true},
		{in: "-1", bad: true},
		{in: "-1", signed: true, want: -100},
		{in: "-0.5", signed: true, want: -50},
		{in: "10000000000", want: 1_000_000_000_000},
		{in: "10000000000.01", bad: true},
		{in: "99999999999999999999", bad: true},
	} {
		parse := Parse
		if c.signed {
			parse = ParseSigned
		}
		got, err := parse(c.in)
		if c.bad {
			if err == nil || !errors.Is(err, ErrFormat) {
				t.Errorf("%q: got %d, %v; want a format error", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: got %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for in, want := range map[Fen]string{420: "4.20", 5: "0.05", -100: "-1.00", 0: "0.00", 123456: "1234.56"} {
		if got := Format(in); got != want {
			t.Errorf("Format(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestRounding(t *testing.T) {
	for _, c := range []struct {
		a        Fen
		num, den int64
		want     Fen
	}{
		{1170, 20, 100, 234},     // §14.1: 20 % of 11.70 = 2.34
		{1, 1, 2, 1},             // half rounds up
		{3, 1, 2, 2},             // 1.5 → 2 (not half-even's 2 by luck: see next)
		{5, 1, 2, 3},             // 2.5 → 3 (half-even would say 2)
		{-5, 1, 2, -3},           // half away from zero
		{1043, 1218, 10000, 127}, // §14.1: 10.43 × 0.1218 = 1.27
	} {
		if got := HalfUp(c.a, c.num, c.den); got != c.want {
			t.Errorf("HalfUp(%d, %d/%d) = %d, want %d", c.a, c.num, c.den, got, c.want)
		}
	}
	if got := MustDecimal("0.1218").Times(1043); got != 127 {
		t.Errorf("cny of 10.43 at 0.1218 = %d, want 127", got)
	}
	if got := MustDecimal("5").Percent(1360); got != 68 {
		t.Errorf("5%% of 13.60 = %d, want 68", got)
	}
	if got := MustDecimal("0.75").Percent(936); got != 7 {
		t.Errorf("0.75%% of 9.36 = %d, want 7", got)
	}
}

func TestDecimal(t *testing.T) {
	for _, bad := range []string{"", "-1", "1e3", "abc", "1.2.3", ".5"} {
		if _, err := ParseDecimal(bad); err == nil {
			t.Errorf("ParseDecimal(%q) accepted", bad)
		}
	}
	d := MustDecimal("0.1218")
	b, _ := json.Marshal(d)
	if string(b) != "0.1218" {
		t.Errorf("json %s", b)
	}
	var zero Decimal
	if !zero.IsZero() || zero.String() != "0" {
		t.Error("zero Decimal")
	}
}

func TestJSON(t *testing.T) {
	var v struct {
		A Number `json:"a"`
		B String `json:"b"`
		C Signed `json:"c"`
	}
	if err := json.Unmarshal([]byte(`{"a": 4.2, "b": "1.06", "c": -1}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != 420 || v.B != 106 || v.C != -100 {
		t.Fatalf("%+v", v)
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"a":4.20,"b":"1.06","c":-1.00}` {
		t.Fatalf("%s", out)
	}
	if err := json.Unmarshal([]byte(`{"a": "28"}`), &v); err != nil || v.A != 2800 {
		t.Fatalf("string form: %v %d", err, v.A)
	}
	for _, bad := range []string{`{"a": -1}`, `{"a": 1e2}`, `{"a": null}`, `{"a": "x"}`, `{"a": 4.205}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

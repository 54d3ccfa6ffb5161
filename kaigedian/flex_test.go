package kaigedian

import (
	"encoding/json"
	"testing"
	"time"
)

func TestFlexInt(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		err  bool
	}{
		{`12`, 12, false},
		{`"12"`, 12, false},
		{`" 1559201308000 "`, 1559201308000, false},
		{`""`, 0, false},
		{`null`, 0, false},
		{`"10.00"`, 10, false},
		{`10.9`, 10, false},
		{`-5`, -5, false},
		{`"abc"`, 0, false}, // junk reads as 0; the raw JSON is kept elsewhere
		{`true`, 1, false},
		{`{}`, 0, true},
		{`[1]`, 0, true},
	}
	for _, c := range cases {
		var v struct {
			N Int `json:"n"`
		}
		err := json.Unmarshal([]byte(`{"n":`+c.in+`}`), &v)
		if (err != nil) != c.err {
			t.Errorf("%s: err = %v, want error %v", c.in, err, c.err)
			continue
		}
		if !c.err && int64(v.N) != c.want {
			t.Errorf("%s: got %d, want %d", c.in, v.N, c.want)
		}
	}
}

func TestFlexStringBoolFloat(t *testing.T) {
	var v struct {
		A, B, C, D String
		E, F, G    Bool
		H, I       Float
	}
	in := `{"A":"x","B":1864,"C":null,"D":true,"E":"true","F":1,"G":"0","H":"10.50","I":2.5}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "x" || v.B != "1864" || v.C != "" || v.D != "true" {
		t.Errorf("strings: %+v", v)
	}
	if !v.E || !v.F || v.G {
		t.Errorf("bools: %v %v %v", v.E, v.F, v.G)
	}
	if v.H != 10.5 || v.I != 2.5 {
		t.Errorf("floats: %v %v", v.H, v.I)
	}
	if err := json.Unmarshal([]byte(`{"A":{"x":1}}`), &v); err == nil {
		t.Error("an object where a string belongs must be an error")
	}
}

func TestParseTime(t *testing.T) {
	at := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, Shanghai)
	}
	cases := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2020-02-26 00:20:16", at(2020, 2, 26, 0, 20, 16), true},
		{"2018-11-2611:11:11", at(2018, 11, 26, 11, 11, 11), true},
		{"1557367505", time.Unix(1557367505, 0), true},
		{"1562595367000", time.UnixMilli(1562595367000), true},
		{" 1557043606663 ", time.UnixMilli(1557043606663), true},
		{"2019-07-10T08:00:00+08:00", at(2019, 7, 10, 8, 0, 0), true},
		{"", time.Time{}, false},
		{"12545445", time.Time{}, false}, // junk payTime of the examples
		{"1494953", time.Time{}, false},  // early push timeStamp example
		{"not a time", time.Time{}, false},
	}
	for _, c := range cases {
		got, ok := ParseTime(c.in)
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
		if ok && got.Location() != Shanghai {
			t.Errorf("ParseTime(%q) must return Shanghai time, got %v", c.in, got.Location())
		}
	}
	// The documented layout is Shanghai wall time, not UTC.
	got, _ := ParseTime("2019-07-10 08:00:00")
	if got.UTC().Hour() != 0 {
		t.Errorf("08:00 Shanghai is 00:00 UTC, got %v", got.UTC())
	}
}

func TestEpochTime(t *testing.T) {
	if !EpochTime(1559201308).Equal(time.Unix(1559201308, 0)) {
		t.Error("values below 1e11 are seconds")
	}
	if !EpochTime(1559201308000).Equal(time.UnixMilli(1559201308000)) {
		t.Error("13 digits are milliseconds")
	}
	if !EpochTime(0).IsZero() {
		t.Error("0 is the zero time")
	}
}

func TestStartOfDayShanghai(t *testing.T) {
	// 2024-03-01 17:30 UTC is 2024-03-02 01:30 in Shanghai.
	got := StartOfDay(time.Date(2024, 3, 1, 17, 30, 0, 0, time.UTC))
	want := time.Date(2024, 3, 2, 0, 0, 0, 0, Shanghai)
	if !got.Equal(want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestRepairJSON(t *testing.T) {
	cases := map[string]string{
		"{\"a\":[1,2],\n}":                 "{\"a\":[1,2]\n}",
		`{"a":[1,2,],"b":"x,}"}`:           `{"a":[1,2],"b":"x,}"}`,
		`{'deliveryId':'D1','n':2}`:        `{"deliveryId":"D1","n":2}`,
		`{'say':'it\'s "ok"'}`:             `{"say":"it's \"ok\""}`,
		`{"keep":"it's fine", 'x': 'y', }`: `{"keep":"it's fine", "x": "y" }`,
	}
	for in, want := range cases {
		got := string(repairJSON([]byte(in)))
		if got != want {
			t.Errorf("repairJSON(%s)\n got %s\nwant %s", in, got, want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("repairJSON(%s) is not valid JSON: %s", in, got)
		}
	}
	var v map[string]any
	if err := decodeLenient([]byte(`{"a":1,}`), &v); err != nil || v["a"].(float64) != 1 {
		t.Fatalf("decodeLenient must repair trailing commas: %v %v", v, err)
	}
	if err := decodeLenient([]byte(`{"a":1 "b":2}`), &v); err == nil {
		t.Fatal("a missing comma is not repaired (spec §7 #11)")
	}
}

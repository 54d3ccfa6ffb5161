package storeday

import (
	"strings"
	"testing"
	"time"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func at(t *testing.T, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The day start decides the day: a minute before it is still yesterday.
func TestDayOfAroundTheDayStart(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	berlin := zone(t, "Europe/Berlin")
	tests := []struct {
		name string
		rule Rule
		at   time.Time
		want string
	}{
		{"shanghai before 04:00", Default(), at(t, sh, "2026-03-10 03:59"), "2026-03-09"},
		{"shanghai at 04:00", Default(), at(t, sh, "2026-03-10 04:00"), "2026-03-10"},
		{"shanghai late evening", Default(), at(t, sh, "2026-03-10 23:59"), "2026-03-10"},
		{"zero rule: shanghai from midnight", Rule{}, at(t, sh, "2026-03-10 03:59"), "2026-03-10"},
		{"06:00 before", Rule{Zone: sh, Start: 6 * time.Hour}, at(t, sh, "2026-03-10 05:59"), "2026-03-09"},
		{"06:00 at", Rule{Zone: sh, Start: 6 * time.Hour}, at(t, sh, "2026-03-10 06:00"), "2026-03-10"},
		{"midnight start", Rule{Zone: sh}, at(t, sh, "2026-03-10 00:00"), "2026-03-10"},
		// 2026-03-10 01:30 in Shanghai is 2026-03-09 18:30 in Berlin: the instant, not the clock, counts
		{"berlin sees the instant in its zone", Rule{Zone: berlin, Start: 4 * time.Hour}, at(t, sh, "2026-03-10 01:30"), "2026-03-09"},
		{"berlin after its start", Rule{Zone: berlin, Start: 4 * time.Hour}, at(t, berlin, "2026-03-10 04:00"), "2026-03-10"},
	}
	for _, tt := range tests {
		if got := tt.rule.DayOf(tt.at); got != tt.want {
			t.Errorf("%s: DayOf(%s) = %s, want %s", tt.name, tt.at, got, tt.want)
		}
	}
}

// Days of zones with daylight saving are 23 or 25 hours long on the days
// the clocks change, and start at the wall-clock day start.
func TestBoundsAcrossDaylightSaving(t *testing.T) {
	berlin, ny := zone(t, "Europe/Berlin"), zone(t, "America/New_York")
	tests := []struct {
		name     string
		rule     Rule
		day      string
		from, to string // RFC 3339
	}{
		{"berlin before spring forward", Rule{berlin, 4 * time.Hour}, "2026-03-28", "2026-03-28T04:00:00+01:00", "2026-03-29T04:00:00+02:00"},
		{"berlin after spring forward", Rule{berlin, 4 * time.Hour}, "2026-03-29", "2026-03-29T04:00:00+02:00", "2026-03-30T04:00:00+02:00"},
		{"berlin start in the gap", Rule{berlin, 2*time.Hour + 30*time.Minute}, "2026-03-29", "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"},
		{"new york fall back", Rule{ny, 4 * time.Hour}, "2026-10-31", "2026-10-31T04:00:00-04:00", "2026-11-01T04:00:00-05:00"},
		{"new york spring forward", Rule{ny, 6 * time.Hour}, "2026-03-07", "2026-03-07T06:00:00-05:00", "2026-03-08T06:00:00-04:00"},
		{"shanghai has none", Default(), "2026-03-29", "2026-03-29T04:00:00+08:00", "2026-03-30T04:00:00+08:00"},
	}
	for _, tt := range tests {
		from, to, err := tt.rule.Bounds(tt.day)
		if err != nil {
			t.Fatal(err)
		}
		wantFrom, _ := time.Parse(time.RFC3339, tt.from)
		wantTo, _ := time.Parse(time.RFC3339, tt.to)
		if !from.Equal(wantFrom) || !to.Equal(wantTo) {
			t.Errorf("%s: Bounds(%s) = [%s, %s), want [%s, %s)", tt.name, tt.day, from, to, wantFrom, wantTo)
		}
	}
	from, to, _ := Rule{berlin, 4 * time.Hour}.Bounds("2026-03-28")
	if d := to.Sub(from); d != 23*time.Hour {
		t.Errorf("berlin's spring day lasts %s, want 23h", d)
	}
	from, to, _ = Rule{ny, 4 * time.Hour}.Bounds("2026-10-31")
	if d := to.Sub(from); d != 25*time.Hour {
		t.Errorf("new york's autumn day lasts %s, want 25h", d)
	}
}

// DayOf and Bounds agree on every instant of a year, in zones with and
// without daylight saving and day starts inside the DST gaps.
func TestDayOfAgreesWithBounds(t *testing.T) {
	for _, name := range []string{"Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"} {
		loc := zone(t, name)
		for _, start := range []time.Duration{0, 2*time.Hour + 30*time.Minute, 4 * time.Hour, 23*time.Hour + 59*time.Minute} {
			r := Rule{Zone: loc, Start: start}
			begin := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for tt := begin; tt.Before(begin.AddDate(1, 0, 0)); tt = tt.Add(13 * time.Minute) {
				day := r.DayOf(tt)
				from, to, err := r.Bounds(day)
				if err != nil {
					t.Fatal(err)
				}
				if tt.Before(from) || !tt.Before(to) {
					t.Fatalf("%s: %s is in day %s but outside [%s, %s)", r, tt, day, from, to)
				}
			}
		}
	}
}

func TestParse(t *testing.T) {
	r, err := Parse("", "")
	if err != nil || r.Location().String() != DefaultZone || r.Start != DefaultDayStart {
		t.Fatalf("defaults: %v %v", r, err)
	}
	r, err = Parse(" Europe/Berlin ", "06:30")
	if err != nil || r.Location().String() != "Europe/Berlin" || r.Start != 6*time.Hour+30*time.Minute {
		t.Fatalf("berlin: %v %v", r, err)
	}
	if r, err = Parse("", "04:00:00"); err != nil || r.Start != 4*time.Hour {
		t.Fatalf("seed's start_time: %v %v", r, err)
	}
	bad := []struct{ zone, start, says string }{
		{"Mars/Olympus", "", "not an IANA time zone"},
		{"asia/shanghai", "", "case matters"},
		{"Local", "", "depends on the PC"},
		{"", "24:00", "not a time of day"},
		{"", "4am", "not a time of day"},
		{"", "4:00", "HH:MM"},
		{"", "04:60", "not a time of day"},
	}
	for _, b := range bad {
		_, err := Parse(b.zone, b.start)
		if err == nil || !strings.Contains(err.Error(), b.says) {
			t.Errorf("Parse(%q, %q) = %v, want an error saying %q", b.zone, b.start, err, b.says)
		}
	}
	if _, _, err := Default().Bounds("2026/03/01"); err == nil {
		t.Error("a malformed day was accepted")
	}
}

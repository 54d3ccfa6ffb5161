// Package storeday answers a store's time zone and business day: the one
// place that knows when a store's day begins (stores[].timezone, default
// Asia/Shanghai, and stores[].day_start, default 04:00 as seed 002's
// start_time). Reports (日结), scan-to-order's take codes, open check and
// restaurant info all count days through a Rule.
//
// The zone database is embedded (time/tzdata): a Windows store PC has no
// zoneinfo of its own, and a zone that loads on the installer's laptop must
// load on the till.
package storeday

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones on every OS (≈400 KB, the zip of Go's lib/time)
)

// DefaultZone is a store's zone unless it says otherwise: 开个店's.
const DefaultZone = "Asia/Shanghai"

// DefaultDayStart is seed 002's start_time "04:00:00": a tea shop open
// until 02:00 still counts those sales in the day before.
const DefaultDayStart = 4 * time.Hour

// Rule is where and when a store's business days begin (Default() for a
// store that says nothing; the zero Rule starts at midnight).
type Rule struct {
	Zone  *time.Location // nil = DefaultZone
	Start time.Duration  // since local midnight, [0, 24h)
}

var defaultZone = mustZone(DefaultZone)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("storeday: embedded zone " + name + ": " + err.Error())
	}
	return loc
}

// Default is Asia/Shanghai from 04:00.
func Default() Rule { return Rule{Zone: defaultZone, Start: DefaultDayStart} }

// Parse reads a store's timezone and day_start as written in the config;
// empty values take the defaults.
func Parse(zone, dayStart string) (Rule, error) {
	loc, err := LoadZone(zone)
	if err != nil {
		return Rule{}, err
	}
	start := DefaultDayStart
	if strings.TrimSpace(dayStart) != "" {
		if start, err = ParseDayStart(dayStart); err != nil {
			return Rule{}, err
		}
	}
	return Rule{Zone: loc, Start: start}, nil
}

// LoadZone reads an IANA zone name like "Europe/Berlin" ("" = DefaultZone).
// "Local" is refused: it is whatever the PC is set to, and a report must
// not change with the PC.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return defaultZone, nil
	case strings.EqualFold(name, "local"):
		return nil, fmt.Errorf("%q depends on the PC's setting: name the zone, like %s", name, DefaultZone)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not an IANA time zone: write it like %s or Europe/Berlin (case matters)", name, DefaultZone)
	}
	return loc, nil
}

// ParseDayStart reads "04:00" (or seed 002's "04:00:00"), a clock time
// from 00:00 to 23:59.
func ParseDayStart(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil && len(s) == len(layout) {
			return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second, nil
		}
	}
	return 0, fmt.Errorf("%q is not a time of day: write when the business day begins as HH:MM, like 04:00", s)
}

// Location is the store's zone.
func (r Rule) Location() *time.Location {
	if r.Zone == nil {
		return defaultZone
	}
	return r.Zone
}

// StartOf is when the business day of the calendar date y-m-d begins. The
// start is a wall-clock time, so a zone with daylight saving gets a 23- or
// 25-hour day, as its staff see it; a start inside a spring-forward gap
// falls as far after the gap's start as it was written after it (02:30 on
// New York's spring day is 03:30 EDT). DayOf and Bounds both go through
// it, so they always agree.
func (r Rule) StartOf(y int, m time.Month, d int) time.Time {
	h, min, sec := int(r.Start/time.Hour), int(r.Start%time.Hour/time.Minute), int(r.Start%time.Minute/time.Second)
	return time.Date(y, m, d, h, min, sec, 0, r.Location())
}

// Date is local midnight of the business day t belongs to: before the day
// start it is still the day before.
func (r Rule) Date(t time.Time) time.Time {
	local := t.In(r.Location())
	y, m, d := local.Date()
	if t.Before(r.StartOf(y, m, d)) {
		d--
	}
	return time.Date(y, m, d, 0, 0, 0, 0, r.Location())
}

// DayOf is the business day t falls in, as YYYY-MM-DD.
func (r Rule) DayOf(t time.Time) string { return r.Date(t).Format(time.DateOnly) }

// Bounds is [from, to) of the business day "YYYY-MM-DD": DayOf(t) == day
// exactly when from <= t < to.
func (r Rule) Bounds(day string) (from, to time.Time, err error) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(day), r.Location())
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("日期格式应为 YYYY-MM-DD：%q", day)
	}
	y, m, dd := d.Date()
	return r.StartOf(y, m, dd), r.StartOf(y, m, dd+1), nil
}

// String is "Asia/Shanghai 04:00", for logs and reports.
func (r Rule) String() string {
	return fmt.Sprintf("%s %02d:%02d", r.Location(), int(r.Start/time.Hour), int(r.Start%time.Hour/time.Minute))
}

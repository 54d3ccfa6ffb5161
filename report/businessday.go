// Package report computes the store's figures for a business day (日结) or a
// staff shift (交班) from the stored orders: revenue, discounts, fees,
// refunds, by source, channel and store, an item ranking and an hourly
// chart, in integer fen. It renders them as JSON, CSV and a printed slip.
package report

import (
	"fmt"
	"time"

	"github.com/posbridge/posbridge/config"
)

// DayRule says when a store's business day begins: at Start after local
// midnight in Zone (a tea shop open until 02:00 still counts those sales in
// the day before).
type DayRule struct {
	Start time.Duration // since local midnight, default 4h
	Zone  *time.Location
}

// DefaultDayStart is when a business day begins unless the store says otherwise.
const DefaultDayStart = 4 * time.Hour

// shanghai is the platform's zone, the default of a store.
var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

func (r DayRule) zone() *time.Location {
	if r.Zone == nil {
		return shanghai
	}
	return r.Zone
}

// DayOf is the business day (YYYY-MM-DD) t falls in.
func (r DayRule) DayOf(t time.Time) string {
	local := t.In(r.zone())
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, r.zone())
	if local.Before(r.startOf(midnight)) {
		midnight = midnight.AddDate(0, 0, -1)
	}
	return midnight.Format("2006-01-02")
}

// Bounds is [from, to) of a business day. The start is a wall-clock time,
// so a zone with daylight saving gets a 23- or 25-hour day, as its staff see it.
func (r DayRule) Bounds(day string) (from, to time.Time, err error) {
	d, err := time.ParseInLocation("2006-01-02", day, r.zone())
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("日期格式应为 YYYY-MM-DD：%q", day)
	}
	return r.startOf(d), r.startOf(d.AddDate(0, 0, 1)), nil
}

// startOf is the business day's start on the local date of midnight.
func (r DayRule) startOf(midnight time.Time) time.Time {
	h, m := int(r.Start/time.Hour), int(r.Start%time.Hour/time.Minute)
	return time.Date(midnight.Year(), midnight.Month(), midnight.Day(), h, m, 0, 0, r.zone())
}

// RuleFor is the day rule of a store. The stores' day_start and timezone
// keys arrive with the channels redesign; until then every store starts its
// day at 04:00 Asia/Shanghai. This is the one place that reads them.
func RuleFor(cfg *config.Config, storeID string) DayRule {
	_ = cfg
	_ = storeID
	return DayRule{Start: DefaultDayStart, Zone: shanghai}
}

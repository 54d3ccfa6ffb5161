// Package hours answers whether a restaurant takes an order now: the three
// checks of seed 002 §2.1 (eat type enabled, day open, time inside one of
// the day's periods) in the restaurant's time zone, and its business day.
//
// Days are business days: before the day start (04:00 by default, seed
// §2.1's start_time) it is still the day before, so the weekday checked is
// the one the restaurant info publishes. A period is a range of clock times
// within that business day; one whose start is after its end crosses
// midnight, and the part after midnight belongs to the day it started on
// (its weekday and open flag), even past the next day start.
package hours

import (
	"fmt"
	"strings"
	"time"

	"github.com/posbridge/posbridge/internal/storeday"
	"github.com/posbridge/posbridge/ordering/menu"
)

// DefaultDayStart is seed 002's start_time "04:00:00".
const DefaultDayStart = storeday.DefaultDayStart

// Schedule is where and when a restaurant's days begin: its store's time
// zone and business-day start (from the store's config, not the menu).
type Schedule struct {
	Location *time.Location
	DayStart time.Duration // after midnight, < 24h
}

// ScheduleOf is the schedule of a store's day rule (config.StoreDay).
func ScheduleOf(r storeday.Rule) Schedule {
	return Schedule{Location: r.Location(), DayStart: r.Start}
}

// Rule is the schedule as storeday counts days: reports, take codes and the
// open check agree on which day an instant belongs to.
func (s Schedule) Rule() storeday.Rule { return storeday.Rule{Zone: s.loc(), Start: s.DayStart} }

// BusinessDate is midnight (in the restaurant's zone) of the business day
// that now belongs to.
func (s Schedule) BusinessDate(now time.Time) time.Time { return s.Rule().Date(now) }

// Zone is the restaurant's time zone (UTC when unset).
func (s Schedule) Zone() *time.Location { return s.loc() }

func (s Schedule) loc() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// ParseDayStart reads "04:00" or "04:00:00".
func ParseDayStart(s string) (time.Duration, error) { return storeday.ParseDayStart(s) }

// Reason says which of the three checks refused.
type Reason int

const (
	EatTypeDisabled Reason = iota + 1 // takeout.eat_types_enable
	DayClosed                         // takeout_periods.open
	OutsidePeriods                    // takeout_periods["<weekday>"]
)

// Refusal is why an order cannot be placed now, with the sentence the phone
// shows (400 non_field_errors).
type Refusal struct {
	Reason  Reason
	Message string
}

func (r *Refusal) Error() string { return r.Message }

var weekdayNames = [7]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// Check runs the three checks for an order of eat type e at now; nil means
// open.
func (s Schedule) Check(m *menu.Menu, e menu.EatType, now time.Time) error {
	r := &m.Restaurant
	if !e.Valid() || !r.Takeout.EatTypesEnable[e] {
		return &Refusal{EatTypeDisabled, fmt.Sprintf("餐厅暂不接受%s订单", e.Name())}
	}
	if s.inPeriods(&r.Periods, now) {
		return nil
	}
	wd := int(s.BusinessDate(now).Weekday())
	if !r.Periods.Open[wd] {
		return &Refusal{DayClosed, fmt.Sprintf("餐厅今天（%s）休息，暂不接单", weekdayNames[wd])}
	}
	today := r.Periods.Days[wd]
	if len(today) == 0 {
		return &Refusal{OutsidePeriods, fmt.Sprintf("餐厅今天（%s）没有营业时段，暂不接单", weekdayNames[wd])}
	}
	ranges := make([]string, len(today))
	for i, p := range today {
		ranges[i] = p.Start.String() + "–" + p.End.String()
		if p.Start > p.End {
			ranges[i] += "（次日）"
		}
	}
	return &Refusal{OutsidePeriods, "餐厅现在不在营业时间，今天营业时间 " + strings.Join(ranges, "、")}
}

// inPeriods applies the rules of the package comment.
func (s Schedule) inPeriods(ps *menu.Periods, now time.Time) bool {
	t := now.In(s.loc())
	tod := menu.Clock(t.Hour()*60 + t.Minute())
	day := s.BusinessDate(now)
	y, mo, d := t.Date()
	calendar := time.Date(y, mo, d, 0, 0, 0, 0, s.loc())
	afterMidnight := !calendar.Equal(day) // the early hours before the day start
	wd := int(day.Weekday())
	if ps.Open[wd] {
		for _, p := range ps.Days[wd] {
			switch {
			case p.Start <= p.End:
				if tod >= p.Start && tod <= p.End {
					return true
				}
			case !afterMidnight && tod >= p.Start, afterMidnight && tod <= p.End:
				return true
			}
		}
	}
	return !afterMidnight && s.fromYesterday(ps, now)
}

// fromYesterday: a period of the previous calendar day that crosses
// midnight and runs past the day start still covers now.
func (s Schedule) fromYesterday(ps *menu.Periods, now time.Time) bool {
	t := now.In(s.loc())
	tod := menu.Clock(t.Hour()*60 + t.Minute())
	prev := (int(t.Weekday()) + 6) % 7
	if !ps.Open[prev] {
		return false
	}
	for _, p := range ps.Days[prev] {
		if p.Start > p.End && tod <= p.End {
			return true
		}
	}
	return false
}

// ActiveAt reports whether the time of day of now (in the restaurant's
// zone) lies in one of periods, seed §2.1's rule for order_default: start
// <= now <= end, or for a period crossing midnight start <= now or now <= end.
func (s Schedule) ActiveAt(periods []menu.Period, now time.Time) bool {
	t := now.In(s.loc())
	tod := menu.Clock(t.Hour()*60 + t.Minute())
	for _, p := range periods {
		if p.Start <= p.End && tod >= p.Start && tod <= p.End ||
			p.Start > p.End && (tod >= p.Start || tod <= p.End) {
			return true
		}
	}
	return false
}

package hours

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/menu"
)

var shanghai = time.FixedZone("CST", 8*3600)

func clock(s string) menu.Clock {
	t, _ := time.Parse("15:04", s)
	return menu.Clock(t.Hour()*60 + t.Minute())
}

func period(a, b string) menu.Period { return menu.Period{Start: clock(a), End: clock(b)} }

// testMenu is open every day but Monday; Friday runs past midnight (and
// past the 04:00 day start), Saturday to 02:00.
func testMenu() *menu.Menu {
	m := &menu.Menu{}
	r := &m.Restaurant
	r.Takeout.EatTypesEnable = [4]bool{true, false, true, true}
	r.Periods.Open = [7]bool{true, false, true, true, true, true, true}
	r.Periods.Days[0] = []menu.Period{period("10:00", "14:00"), period("17:00", "21:00")}
	r.Periods.Days[1] = []menu.Period{period("00:00", "23:59")} // Monday: closed wins
	r.Periods.Days[2] = []menu.Period{period("00:00", "23:59")}
	r.Periods.Days[3] = []menu.Period{period("00:00", "02:00")} // Wednesday's small hours
	r.Periods.Days[4] = []menu.Period{period("10:00", "22:00")}
	r.Periods.Days[5] = []menu.Period{period("18:00", "05:00")}
	r.Periods.Days[6] = []menu.Period{period("09:00", "02:00")}
	return m
}

// 2024-06-02 is a Sunday.
func at(day int, hm string) time.Time {
	t, _ := time.Parse("15:04", hm)
	return time.Date(2024, 6, day, t.Hour(), t.Minute(), 30, 0, shanghai)
}

func TestCheck(t *testing.T) {
	s := Schedule{Location: shanghai, DayStart: DefaultDayStart}
	for _, c := range []struct {
		name string
		eat  menu.EatType
		now  time.Time
		want Reason // 0 = open
		msg  string
	}{
		{"sunday lunch", menu.DineIn, at(2, "12:00"), 0, ""},
		{"sunday between periods", menu.DineIn, at(2, "15:00"), OutsidePeriods, "餐厅现在不在营业时间，今天营业时间 10:00–14:00、17:00–21:00"},
		{"the last minute counts whole", menu.DineIn, at(2, "14:00"), 0, ""},
		{"after the last minute", menu.DineIn, at(2, "14:01"), OutsidePeriods, ""},
		{"delivery disabled", menu.Delivery, at(2, "12:00"), EatTypeDisabled, "餐厅暂不接受外卖配送订单"},
		{"unknown eat type", menu.EatType(7), at(2, "12:00"), EatTypeDisabled, ""},
		{"monday closed although it has a period", menu.Pickup, at(3, "12:00"), DayClosed, "餐厅今天（周一）休息，暂不接单"},
		// Monday 02:00 is still Sunday's business day (before 04:00): Sunday's
		// periods do not cover 02:00.
		{"monday small hours belong to sunday", menu.DineIn, at(3, "02:00"), OutsidePeriods, "今天营业时间 10:00–14:00"},
		// Tuesday 03:00 belongs to Monday, which is closed.
		{"tuesday 03:00 is monday's business day", menu.DineIn, at(4, "03:00"), DayClosed, "周一"},
		{"tuesday after the day start", menu.DineIn, at(4, "04:00"), 0, ""},
		// Wednesday's 00:00–02:00 is the small hours of its business day:
		// Thursday 01:00 calendar.
		{"wednesday's small hours on thursday", menu.DineIn, at(6, "01:00"), 0, ""},
		{"not wednesday 01:00 calendar (tuesday's business day)", menu.DineIn, at(5, "01:00"), 0, ""}, // Tuesday 00:00–23:59 covers it
		{"friday evening", menu.WaitPickup, at(7, "23:30"), 0, ""},
		{"friday's period after midnight", menu.WaitPickup, at(8, "01:00"), 0, ""},
		// Past the 04:00 day start the period still belongs to Friday.
		{"friday's period past the day start", menu.WaitPickup, at(8, "04:30"), 0, ""},
		{"friday's period ends", menu.WaitPickup, at(8, "05:01"), OutsidePeriods, "09:00–02:00（次日）"},
		{"saturday before its start", menu.WaitPickup, at(8, "08:59"), OutsidePeriods, ""},
		{"saturday to 02:00 sunday", menu.DineIn, at(9, "01:59"), 0, ""},
		{"saturday's end", menu.DineIn, at(9, "02:01"), OutsidePeriods, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := s.Check(testMenu(), c.eat, c.now)
			if c.want == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var r *Refusal
			if !errors.As(err, &r) || r.Reason != c.want {
				t.Fatalf("got %v, want reason %d", err, c.want)
			}
			if c.msg != "" && !contains(r.Message, c.msg) {
				t.Fatalf("message %q, want %q", r.Message, c.msg)
			}
		})
	}
}

// With the day starting at midnight the rule is the digest's calendar rule.
func TestCheckMidnightDayStart(t *testing.T) {
	s := Schedule{Location: shanghai}
	m := testMenu()
	// Monday 01:00: Sunday's periods do not cross midnight, Monday is closed.
	if err := s.Check(m, menu.DineIn, at(3, "01:00")); err == nil {
		t.Fatal("open on a closed Monday")
	}
	// Saturday 04:30 calendar: Friday's 18:00–05:00.
	if err := s.Check(m, menu.DineIn, at(8, "04:30")); err != nil {
		t.Fatal(err)
	}
	// Sunday is closed: Saturday's 09:00–02:00 still runs on Sunday at 01:00.
	m.Restaurant.Periods.Open[0] = false
	if err := s.Check(m, menu.DineIn, at(9, "01:00")); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(m, menu.DineIn, at(9, "12:00")); err == nil {
		t.Fatal("open on a closed Sunday")
	}
}

// The zone is the restaurant's, whatever the zone of the clock.
func TestCheckUsesTheRestaurantZone(t *testing.T) {
	s := Schedule{Location: shanghai, DayStart: DefaultDayStart}
	utc := time.Date(2024, 6, 2, 4, 0, 0, 0, time.UTC) // Sunday 12:00 in Shanghai
	if err := s.Check(testMenu(), menu.DineIn, utc); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(testMenu(), menu.DineIn, utc.Add(3*time.Hour)); err == nil {
		t.Fatal("15:00 in Shanghai is between periods")
	}
}

func TestBusinessDate(t *testing.T) {
	s := Schedule{Location: shanghai, DayStart: DefaultDayStart}
	for _, c := range []struct {
		now  time.Time
		want string
	}{
		{at(3, "03:59"), "2024-06-02"},
		{at(3, "04:00"), "2024-06-03"},
		{time.Date(2024, 6, 1, 0, 0, 0, 0, shanghai), "2024-05-31"},   // across a month
		{time.Date(2024, 6, 2, 20, 30, 0, 0, time.UTC), "2024-06-03"}, // 04:30 in Shanghai
	} {
		got := s.BusinessDate(c.now)
		if got.Format("2006-01-02") != c.want || got.Location() != shanghai || got.Hour() != 0 {
			t.Errorf("BusinessDate(%v) = %v, want %s", c.now, got, c.want)
		}
	}
	for in, want := range map[string]time.Duration{"04:00": 4 * time.Hour, "04:00:00": 4 * time.Hour, "00:00": 0, "05:30": 5*time.Hour + 30*time.Minute} {
		if got, err := ParseDayStart(in); err != nil || got != want {
			t.Errorf("ParseDayStart(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseDayStart("4点"); err == nil {
		t.Error("ParseDayStart accepted 4点")
	}
}

// Seed §2.1's order_default example covers the whole day.
func TestActiveAt(t *testing.T) {
	s := Schedule{Location: shanghai}
	seed := []menu.Period{period("04:00", "14:00"), period("14:00", "04:00")}
	lunch := []menu.Period{period("11:00", "14:00")}
	night := []menu.Period{period("22:00", "02:00")}
	for _, c := range []struct {
		periods []menu.Period
		hm      string
		want    bool
	}{
		{seed, "00:00", true}, {seed, "04:00", true}, {seed, "13:59", true}, {seed, "23:59", true},
		{lunch, "10:59", false}, {lunch, "11:00", true}, {lunch, "14:00", true}, {lunch, "14:01", false},
		{night, "23:00", true}, {night, "01:00", true}, {night, "03:00", false}, {night, "21:59", false},
		{nil, "12:00", false},
	} {
		if got := s.ActiveAt(c.periods, at(2, c.hm)); got != c.want {
			t.Errorf("%v at %s: %v", c.periods, c.hm, got)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

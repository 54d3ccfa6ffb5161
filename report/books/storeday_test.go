package books_test

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/report"
	"github.com/posbridge/posbridge/report/books"
)

// The 日结 day is the store's business day as its config says
// (stores[].timezone, stores[].day_start), without any override: a New York
// store starting its day at 06:00 counts 05:59 in the day before, and its
// late orders, placed when Shanghai's date is already the next day's, in
// its own day.
func TestDayReportFollowsTheStoresConfig(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	milk := item("珍珠奶茶", "大杯", 1400, 1)
	fs := []fixture{
		{code: "N1", storeID: "ny", status: order.StatusCompleted, placed: at(ny, "2026-12-01 05:59"), channel: 11, detail: detail(1100, 0, 0, 0, milk)},
		{code: "N2", storeID: "ny", status: order.StatusCompleted, placed: at(ny, "2026-12-01 06:00"), channel: 11, detail: detail(1400, 0, 0, 0, milk)},
		// 23:30 in New York is 12:30 the next day in Shanghai
		{code: "N3", storeID: "ny", status: order.StatusCompleted, placed: at(ny, "2026-12-01 23:30"), channel: 11, detail: detail(2000, 0, 0, 0, milk)},
		{code: "N4", storeID: "ny", status: order.StatusCompleted, placed: at(ny, "2026-12-02 05:59"), channel: 11, detail: detail(3000, 0, 0, 0, milk)},
		{code: "N5", storeID: "ny", status: order.StatusCompleted, placed: at(ny, "2026-12-02 06:00"), channel: 11, detail: detail(9900, 0, 0, 0, milk)},
		// the Shanghai store keeps 04:00 in its own zone
		{code: "S1", storeID: "sh", status: order.StatusCompleted, placed: at(sh, "2026-12-01 04:00"), channel: 11, detail: detail(500, 0, 0, 0, milk)},
		{code: "S2", storeID: "sh", status: order.StatusCompleted, placed: at(sh, "2026-12-02 03:59"), channel: 11, detail: detail(700, 0, 0, 0, milk)},
		{code: "S3", storeID: "sh", status: order.StatusCompleted, placed: at(sh, "2026-12-01 03:59"), channel: 11, detail: detail(8800, 0, 0, 0, milk)},
	}
	cfg := &config.Config{Stores: []config.StoreConfig{
		{ID: "sh", Name: "人民路店"},
		{ID: "ny", Name: "纽约店", Timezone: "America/New_York", DayStart: "06:00"},
	}}
	// 2026-12-02 05:00 in New York: its business day is still 12-01
	now := at(ny, "2026-12-02 05:00")
	bk := books.Books{DB: seed(t, fs), Config: cfg, Now: func() time.Time { return now }}
	if got := bk.Today("ny"); got != "2026-12-01" {
		t.Errorf("New York's today = %s, want 2026-12-01", got)
	}
	if got := bk.Today("sh"); got != "2026-12-02" {
		t.Errorf("Shanghai's today = %s, want 2026-12-02 (18:00 there)", got)
	}
	r, err := bk.Day(context.Background(), "", "ny")
	if err != nil {
		t.Fatal(err)
	}
	if r.Day != "2026-12-01" || r.Totals.Orders != 3 || r.Totals.Revenue != 1400+2000+3000 {
		t.Fatalf("New York's day %s: %+v, want N2, N3, N4", r.Day, r.Totals)
	}
	if r.From.Format(time.RFC3339) != "2026-12-01T06:00:00-05:00" || r.To.Format(time.RFC3339) != "2026-12-02T06:00:00-05:00" {
		t.Fatalf("New York's period %v – %v", r.From, r.To)
	}
	if r.Hours[0].Label != "06:00" || r.Hours[0].Orders != 1 || r.Hours[17].Label != "23:00" || r.Hours[17].Orders != 1 {
		t.Fatalf("hours in New York's clock: %+v", r.Hours)
	}
	r, err = bk.Day(context.Background(), "2026-12-01", "sh")
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.Orders != 2 || r.Totals.Revenue != 500+700 {
		t.Fatalf("Shanghai's day: %+v, want S1, S2", r.Totals)
	}
	r, err = bk.Day(context.Background(), "2026-12-01", "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.Orders != 5 {
		t.Fatalf("both stores, each its own day: %+v", r.Totals)
	}
	if rule := report.RuleFor(cfg, "ny"); rule.String() != "America/New_York 06:00" {
		t.Fatalf("RuleFor(ny) = %s", rule)
	}
}

// A hand-over (交班) of the New York store charts its hours on New York's
// clock.
func TestShiftHoursInTheStoresZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	fs := []fixture{
		{code: "N1", storeID: "ny", status: order.StatusCompleted, placed: at(ny, "2026-12-01 10:15"), channel: 11, detail: detail(1100, 0, 0, 0, item("奶茶", "", 1100, 1))},
	}
	cfg := &config.Config{Stores: []config.StoreConfig{{ID: "ny", Name: "纽约店", Timezone: "America/New_York", DayStart: "06:00"}}}
	from, to := at(ny, "2026-12-01 09:00"), at(ny, "2026-12-01 12:00")
	db := seed(t, fs)
	recs, err := db.ReportOrders(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	r := report.Shift(report.Input{Orders: books.Rows(recs), Rules: func(id string) report.DayRule { return report.RuleFor(cfg, id) }, Store: "ny", Now: to}, from, to, "小王")
	if r.Totals.Orders != 1 || len(r.Hours) != 3 || r.Hours[1].Label != "10:00" || r.Hours[1].Orders != 1 {
		t.Fatalf("shift %+v hours %+v", r.Totals, r.Hours)
	}
}

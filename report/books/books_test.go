package books_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Kolkata on a PC without a zone database

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/report"
	"github.com/posbridge/posbridge/report/books"
	"github.com/posbridge/posbridge/store"
)

var sh = time.FixedZone("Asia/Shanghai", 8*3600)

func at(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture is one order of the test day with the sums it must add.
type fixture struct {
	code, storeID string
	source        order.Source
	status        order.Status
	placed        time.Time
	closed        time.Time // refunds: when the platform confirmed it
	channel       order.Channel
	detail        *order.Order
}

func detail(original, discount, pkg, deliver order.Fen, items ...order.Item) *order.Order {
	return &order.Order{Original: original, Discount: discount, PackageFee: pkg, DeliverFee: deliver,
		ActualPay: original - discount + pkg + deliver, Items: items}
}

func item(name, spec string, price order.Fen, qty int) order.Item {
	return order.Item{Name: name, Spec: spec, Price: price, Quantity: qty}
}

// seed stores the fixtures in a real SQLite file, each saved at its own
// time (the store stamps updated_at with the transaction's clock).
func seed(t *testing.T, fs []fixture) *store.DB {
	t.Helper()
	var clock time.Time
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"), store.Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, f := range fs {
		clock = f.placed
		if !f.closed.IsZero() {
			clock = f.closed
		}
		rec := &store.OrderRecord{Code: f.code, StoreID: f.storeID, Source: f.source, Status: f.status, Channel: f.channel, Day: f.placed.In(sh).Format("2006-01-02"),
			FirstSeenAt: f.placed, ClosedAt: f.closed, Detail: f.detail}
		if f.detail != nil {
			rec.CreatedAt = f.placed
			f.detail.Code, f.detail.StoreID = f.code, f.storeID
		}
		if err := db.Write(context.Background(), func(tx *store.Tx) error { return tx.SaveOrder(rec) }); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func dayFixtures(kolkata *time.Location) []fixture {
	milk := item("珍珠奶茶", "大杯", 1400, 2)
	return []fixture{
		{code: "A", storeID: "s1", status: order.StatusCompleted, placed: at(sh, "2026-12-01 10:00"), channel: 11,
			detail: detail(2800, 500, 50, 0, milk)},
		// 03:59 the next morning is still the day before: the day starts at 04:00
		{code: "B", storeID: "s1", status: order.StatusAccepted, placed: at(sh, "2026-12-02 03:59"), channel: 8,
			detail: detail(600, 0, 0, 500, item("杨枝甘露", "", 600, 1))},
		{code: "C", storeID: "s1", status: order.StatusCompleted, placed: at(sh, "2026-12-02 04:00"), channel: 11,
			detail: detail(9900, 0, 0, 0, item("不算", "", 9900, 1))},
		{code: "D", storeID: "s1", status: order.StatusCompleted, placed: at(sh, "2026-12-01 03:59"), channel: 11,
			detail: detail(8800, 0, 0, 0, item("不算", "", 8800, 1))},
		{code: "E", storeID: "s1", status: order.StatusCancelled, placed: at(sh, "2026-12-01 12:00"), channel: 11,
			detail: detail(999, 0, 0, 0, item("取消的", "", 999, 1))},
		// paid the day before, refunded today: today's refund, yesterday's revenue
		{code: "F", storeID: "s1", status: order.StatusRefunded, placed: at(sh, "2026-11-30 15:00"), closed: at(sh, "2026-12-01 09:00"), channel: 11,
			detail: detail(1500, 0, 0, 0, item("昨天的", "", 1500, 1))},
		{code: "G", storeID: "s1", status: order.StatusRefunded, placed: at(sh, "2026-12-01 11:00"), closed: at(sh, "2026-12-01 11:30"), channel: 11,
			detail: detail(1400, 0, 0, 0, item("珍珠奶茶", "大杯", 1400, 1))},
		{code: "H", storeID: "s1", status: order.StatusPendingPayment, placed: at(sh, "2026-12-01 13:00"), channel: 11,
			detail: detail(700, 0, 0, 0, item("未支付", "", 700, 1))},
		{code: "I", storeID: "s1", status: order.StatusNew, placed: at(sh, "2026-12-01 13:10"), channel: 11},
		// the Kolkata store: 04:00 there is 06:30 in Shanghai
		{code: "K1", storeID: "s2", status: order.StatusCompleted, placed: at(kolkata, "2026-12-01 04:00"), channel: 2,
			detail: detail(3000, 0, 100, 0, item("马萨拉茶", "", 1500, 2))},
		{code: "K2", storeID: "s2", status: order.StatusCompleted, placed: at(kolkata, "2026-12-01 03:59"), channel: 2,
			detail: detail(7700, 0, 0, 0, item("不算", "", 7700, 1))},
		// 03:30 the next morning in Kolkata is 06:00 in Shanghai, after Shanghai's business day ended
		{code: "K3", storeID: "s2", status: order.StatusCompleted, placed: at(kolkata, "2026-12-02 03:30"), channel: 2,
			detail: detail(500, 0, 0, 0, item("深夜茶", "", 500, 1))},
	}
}

func rulesWith(kolkata *time.Location) report.Rules {
	return func(storeID string) report.DayRule {
		if storeID == "s2" {
			return report.DayRule{Start: 4 * time.Hour, Zone: kolkata}
		}
		return report.DayRule{Start: 4 * time.Hour, Zone: sh}
	}
}

func dayReport(t *testing.T, storeID string) report.Report {
	t.Helper()
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	bk := books.Books{DB: seed(t, dayFixtures(kolkata)), Rules: rulesWith(kolkata), Now: func() time.Time { return at(sh, "2026-12-02 09:00") },
		Config: &config.Config{Stores: []config.StoreConfig{{ID: "s1", Name: "人民路店"}, {ID: "s2", Name: "孟买店"}}}}
	r, err := bk.Day(context.Background(), "2026-12-01", storeID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDayReportSumsTheBusinessDay(t *testing.T) {
	r := dayReport(t, "s1")
	want := report.Totals{Orders: 4, Original: 2800 + 600 + 1400, Discount: 500, PackageFee: 50, DeliverFee: 500,
		Revenue: 2350 + 1100 + 1400, Unpriced: 1, Cancelled: 1, CancelledAmount: 999, Refunds: 2, RefundAmount: 1500 + 1400}
	want.Net = want.Revenue - want.RefundAmount
	if r.Totals != want {
		t.Fatalf("totals\n got %+v\nwant %+v", r.Totals, want)
	}
	if !r.From.Equal(at(sh, "2026-12-01 04:00")) || !r.To.Equal(at(sh, "2026-12-02 04:00")) || len(r.Hours) != 24 || r.Hours[0].Label != "04:00" {
		t.Fatalf("period %v – %v, %d hours from %q", r.From, r.To, len(r.Hours), r.Hours[0].Label)
	}
	// A at 10:00, G at 11:00, I at 13:00 (no amount), B at 03:00 the next morning
	hours := map[string][2]int64{}
	for _, h := range r.Hours {
		if h.Orders > 0 {
			hours[h.Label] = [2]int64{int64(h.Orders), int64(h.Revenue)}
		}
	}
	wantHours := map[string][2]int64{"10:00": {1, 2350}, "11:00": {1, 1400}, "13:00": {1, 0}, "03:00": {1, 1100}}
	if len(hours) != len(wantHours) {
		t.Fatalf("hours %v, want %v", hours, wantHours)
	}
	for k, v := range wantHours {
		if hours[k] != v {
			t.Fatalf("hour %s = %v, want %v (all %v)", k, hours[k], v, hours)
		}
	}
	if len(r.Items) == 0 || r.Items[0].Name != "珍珠奶茶" || r.Items[0].Quantity != 3 || r.Items[0].Amount != 4200 {
		t.Fatalf("items %+v", r.Items)
	}
	byChannel := map[string]report.Group{}
	for _, g := range r.ByChannel {
		byChannel[g.Label] = g
	}
	if g := byChannel["美团外卖"]; g.Orders != 3 || g.Revenue != 3750 || g.Refunds != 2 || g.RefundAmount != 2900 {
		t.Fatalf("美团外卖 %+v", g)
	}
	if g := byChannel["饿了么"]; g.Orders != 1 || g.Revenue != 1100 {
		t.Fatalf("饿了么 %+v", g)
	}
	if len(r.BySource) != 1 || r.BySource[0].Label != "开个店" || r.BySource[0].Orders != 4 {
		t.Fatalf("by source %+v", r.BySource)
	}
	if len(r.ByStore) != 1 || r.ByStore[0].Label != "人民路店" {
		t.Fatalf("by store %+v", r.ByStore)
	}
}

// A store in Kolkata (+05:30, no daylight saving) counts its own day: an
// order at 03:59 there is the day before though Shanghai's date is the same.
func TestDayReportInTheStoresOwnZone(t *testing.T) {
	r := dayReport(t, "s2")
	if r.Totals.Orders != 2 || r.Totals.Revenue != 3100+500 || r.Totals.PackageFee != 100 {
		t.Fatalf("Kolkata totals %+v", r.Totals)
	}
	if r.From.Format(time.RFC3339) != "2026-12-01T04:00:00+05:30" || r.Hours[0].Label != "04:00" || r.Hours[0].Orders != 1 {
		t.Fatalf("from %v, first hour %+v", r.From, r.Hours[0])
	}
	if r.ByStore[0].Label != "孟买店" {
		t.Fatalf("by store %+v", r.ByStore)
	}
}

func TestAllStoresCountEachInItsOwnDay(t *testing.T) {
	r := dayReport(t, "")
	if r.Totals.Orders != 6 || r.Totals.Revenue != 2350+1100+1400+3100+500 || len(r.ByStore) != 2 {
		t.Fatalf("all stores %+v by store %+v", r.Totals, r.ByStore)
	}
}

func TestShiftReportCountsItsPeriod(t *testing.T) {
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	db := seed(t, dayFixtures(kolkata))
	from, to := at(sh, "2026-12-01 09:30"), at(sh, "2026-12-01 12:30")
	recs, err := db.ReportOrders(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	r := report.Shift(report.Input{Orders: books.Rows(recs), Rules: rulesWith(kolkata), Store: "s1", Now: to}, from, to, "小王")
	// A (10:00) and G (11:00) placed, G refunded at 11:30, E cancelled at 12:00; F's refund was at 09:00
	if r.Totals.Orders != 2 || r.Totals.Revenue != 3750 || r.Totals.Refunds != 1 || r.Totals.RefundAmount != 1400 ||
		r.Totals.Cancelled != 1 || r.Totals.Net != 2350 || len(r.Hours) != 4 || r.Hours[0].Label != "09:00" {
		t.Fatalf("shift %+v, %d hours", r.Totals, len(r.Hours))
	}
}

func TestCSVAndSlip(t *testing.T) {
	r := dayReport(t, "s1")
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatal("CSV has no byte order mark: Excel would read it as GBK")
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string][]string{}
	for _, row := range rows {
		if len(row) > 0 {
			found[row[0]] = row
		}
	}
	if got := found["实收"]; len(got) < 2 || got[1] != "48.50" {
		t.Fatalf("实收 row %v", got)
	}
	if got := found["退款"]; len(got) < 3 || got[1] != "29.00" || got[2] != "2" {
		t.Fatalf("退款 row %v", got)
	}
	if got := found["珍珠奶茶"]; len(got) < 4 || got[2] != "3" || got[3] != "42.00" {
		t.Fatalf("item row %v", got)
	}

	p, err := printer.ProfileFromConfig(configPrinter())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := printer.Render(report.Slip(r, false), p)
	if err != nil {
		t.Fatal(err)
	}
	text := printer.DecodeFor(p, raw).Text()
	for _, want := range []string{"日结单 2026-12-01", "实收", "￥48.50", "净收入", "￥19.50", "美团外卖", "1. 珍珠奶茶（大杯） ×3", "✂"} {
		if !strings.Contains(text, want) {
			t.Fatalf("slip lacks %q:\n%s", want, text)
		}
	}
}

func configPrinter() config.PrinterConfig {
	return config.PrinterConfig{Name: "前台", Role: "receipt", Connection: "virtual://前台", Paper: "80mm"}
}

// Two tills handing over the same shift at once: one hand-over is kept,
// the other is told the shift was just handed over.
func TestConcurrentHandOversKeepOne(t *testing.T) {
	db := seed(t, nil)
	clock := at(sh, "2026-12-01 15:00")
	bk := books.Books{DB: db, Config: &config.Config{}, Now: func() time.Time { return clock }}
	const n = 8
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() { _, _, err := bk.HandOver(context.Background(), "", "小王"); errs <- err }()
	}
	ok, refused := 0, 0
	for i := 0; i < n; i++ {
		switch err := <-errs; {
		case err == nil:
			ok++
		case errors.Is(err, books.ErrHandedOver):
			refused++
		default:
			t.Fatal(err)
		}
	}
	shifts, _ := db.ListShifts(context.Background(), "", 10)
	if ok != 1 || refused != n-1 || len(shifts) != 1 {
		t.Fatalf("%d hand-overs kept, %d refused, %d stored; want 1, %d, 1", ok, refused, len(shifts), n-1)
	}
}

// Orders of two sources are told apart in the breakdown and summed together.
func TestDayReportBySource(t *testing.T) {
	milk := item("珍珠奶茶", "大杯", 1400, 1)
	db := seed(t, []fixture{
		{code: "K", storeID: "s1", status: order.StatusCompleted, placed: at(sh, "2026-12-01 10:00"), channel: 11, detail: detail(1400, 0, 0, 0, milk)},
		{code: "S", storeID: "s1", source: order.SourceOrdering, status: order.StatusCompleted, placed: at(sh, "2026-12-01 11:00"), channel: 0, detail: detail(1400, 200, 0, 0, milk)},
		{code: "U", storeID: "s1", source: order.SourceOrdering, status: order.StatusClosedUnpaid, placed: at(sh, "2026-12-01 12:00"), detail: detail(900, 0, 0, 0, milk)},
	})
	bk := books.Books{DB: db, Config: &config.Config{Stores: []config.StoreConfig{{ID: "s1", Name: "人民路店"}}}}
	r, err := bk.Day(context.Background(), "2026-12-01", "")
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]report.Group{}
	for _, g := range r.BySource {
		by[g.Label] = g
	}
	if r.Totals.Orders != 2 || r.Totals.Revenue != 1400+1200 || by["开个店"].Revenue != 1400 || by["扫码点餐"].Revenue != 1200 || by["扫码点餐"].Orders != 1 {
		t.Fatalf("totals %+v by source %+v", r.Totals, r.BySource)
	}
}

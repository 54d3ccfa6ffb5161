package console_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/report"
)

// The 日结 screen against the real daemon: the day's figures match the
// orders' own sums, the chart and the ranking are drawn, the 日结单 prints
// on the receipt printer, and 交班 records the shift and prints its slip.
func TestReportScreenInBrowser(t *testing.T) {
	env := startDaemon(t, harness.Options{})
	t.Cleanup(func() { _ = env.Stop() })
	var revenue order.Fen
	day, first := "", ""
	for i := 0; i < 3; i++ {
		o := teaOrder(env, order.TypePickup, "")
		rec, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if !harness.WaitFor(10*time.Second, func() bool { r, _ := env.Order(o.Code); return r != nil && r.Detail != nil }) {
			t.Fatal("no detail")
		}
		rec, _ = env.Order(o.Code)
		if first == "" {
			first = o.Code
		}
		revenue += rec.Detail.ActualPay
		// the day the orders belong to, not the wall clock's: a test at 04:00 stays right
		day = report.RuleFor(env.Config, rec.StoreID).DayOf(rec.CreatedAt)
	}

	if !harness.WaitFor(10*time.Second, func() bool { return env.CountPrinted("front", first[len(first)-4:]) > 0 }) {
		t.Fatal("the first receipt never printed")
	}
	b := newBrowser(t)
	b.do(chromedp.Navigate(env.ConsoleURL + "/#orders"))
	b.click("#start-btn")
	// an order's receipt is drawn dot for dot: 576 dots wide on 80 mm paper
	b.click(`.tab[data-tab="making"]`)
	b.click(`.orow[data-code="` + first + `"]`)
	b.wait("receipt picture", `(() => { const img = document.querySelector('#drawer-body .doc[data-doc="receipt"] img.paper-img');
		return img && img.complete && img.naturalWidth === 576; })()`, 10*time.Second)
	eval[bool](b, `(() => { document.querySelector('#drawer-body .doc[data-doc="receipt"] img.paper-img').scrollIntoView(); return true; })()`)
	b.shot("33-receipt-picture")
	b.click("#drawer-close")
	b.do(chromedp.Navigate(env.ConsoleURL + "/#reports"))
	b.wait("report loaded", `document.querySelectorAll('#report-kpis .kpi').length === 6`, 10*time.Second)
	eval[bool](b, `(() => { const d = document.getElementById('report-date'); d.value = `+jsString(day)+`; d.dispatchEvent(new Event('change')); return true; })()`)
	want := revenue.String()
	b.wait("revenue of the orders", `document.getElementById('report-kpis').innerText.includes(`+jsString(want)+`) &&
		document.getElementById('report-period').innerText.includes(`+jsString(day)+`)`, 10*time.Second)
	kpis := eval[string](b, `document.getElementById('report-kpis').innerText`)
	if !strings.Contains(kpis, "3 单有效订单") {
		t.Errorf("kpis:\n%s", kpis)
	}
	if n := eval[int](b, `document.querySelectorAll('#report-chart rect.bar').length`); n != 24 {
		t.Errorf("%d hourly bars, want 24", n)
	}
	items := eval[string](b, `document.getElementById('report-items').innerText`)
	if !strings.Contains(items, "珍珠奶茶（大杯）") || !strings.Contains(items, "6") {
		t.Errorf("item ranking lacks 珍珠奶茶（大杯） ×6:\n%s", items)
	}
	if groups := eval[string](b, `document.getElementById('report-groups').innerText`); !strings.Contains(groups, "开个店") {
		t.Errorf("breakdowns:\n%s", groups)
	}
	b.shot("30-report-day-1366")

	b.click("#report-print")
	if !harness.WaitFor(10*time.Second, func() bool { return env.CountPrinted("front", "日结单 "+day, want) == 1 }) {
		t.Fatalf("no 日结单 with %s on the receipt printer; it printed:\n%s", want, strings.Join(env.Printed("front"), "\n====\n"))
	}

	b.click("#report-mode-shift")
	b.wait("shift view", `!document.getElementById('report-handover').hidden && document.getElementById('report-period').innerText.includes('当前班次')`, 5*time.Second)
	b.click("#report-handover")
	b.wait("confirm", `document.getElementById('confirm-ok') !== null`, 3*time.Second)
	b.shot("31-report-handover")
	b.click("#confirm-ok")
	if !harness.WaitFor(10*time.Second, func() bool { return env.CountPrinted("front", "交班单", "实收") == 1 }) {
		t.Fatalf("no 交班单 printed:\n%s", strings.Join(env.Printed("front"), "\n====\n"))
	}
	var shifts struct {
		Shifts []struct {
			ID     int64         `json:"id"`
			Report report.Report `json:"report"`
		} `json:"shifts"`
	}
	if _, err := env.API("GET", "/api/reports/shifts", nil, &shifts); err != nil || len(shifts.Shifts) != 1 {
		t.Fatalf("shifts %+v %v", shifts, err)
	}
	// the shift began at the day's start: it holds every order of the test
	if got := shifts.Shifts[0].Report.Totals; got.Orders != 3 || got.Revenue != revenue {
		t.Fatalf("handed-over shift %+v, want 3 orders %v", got, revenue)
	}
	// a second hand-over starts where the first ended, with nothing in it
	b.wait("new shift", `document.getElementById('report-kpis').innerText.includes('0 单有效订单')`, 5*time.Second)
	// the hand-over is listed, and its slip prints again from the kept figures
	b.wait("past shift", `document.querySelectorAll('#report-shifts tr[data-shift]').length === 1 &&
		document.getElementById('report-shifts').innerText.includes(`+jsString(want)+`)`, 5*time.Second)
	eval[bool](b, `(() => { document.getElementById('report-shifts-card').scrollIntoView(); return true; })()`)
	b.shot("31b-report-shifts")
	b.click(`#report-shifts tr[data-shift] button`)
	if !harness.WaitFor(10*time.Second, func() bool { return env.CountPrinted("front", "交班单", want) == 2 }) {
		t.Fatalf("the past 交班单 did not print again:\n%s", strings.Join(env.Printed("front"), "\n====\n"))
	}

	for _, vp := range []struct{ w, h int64 }{{1024, 768}, {390, 844}} {
		b.do(chromedp.EmulateViewport(vp.w, vp.h))
		b.click("#report-mode-day")
		b.wait("day again", `document.getElementById('report-kpis').innerText.includes(`+jsString(want)+`)`, 5*time.Second)
		b.shot("32-report-day-" + strconv.FormatInt(vp.w, 10))
	}
	b.noJSErrors()
}

// The platform page lists webhook deliveries that have not gone through,
// with the receiver's answer; 立即重发 sends one again at once.
func TestWebhookPanelInBrowser(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		mu.Unlock()
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	env := startDaemon(t, harness.Options{ExtraYAML: "webhooks:\n  - url: " + srv.URL + "/h?token=abc\n    secret: panel-secret-0123456789\n    events: [printer.fault]\n"})
	t.Cleanup(func() { _ = env.Stop() })
	env.Printers["kitchen"].SetState(printer.StatePaperOut)
	b := newBrowser(t)
	b.do(chromedp.Navigate(env.ConsoleURL + "/#platform"))
	b.click("#start-btn")
	b.wait("webhook row", `(() => { const s = document.getElementById('webhooks-section');
		return s && s.innerText.includes('printer.fault') && s.innerText.includes('接收方返回 HTTP 503') && s.innerText.includes('重试中'); })()`, 15*time.Second)
	if text := eval[string](b, `document.getElementById('webhooks-section').innerText`); strings.Contains(text, "token=abc") || strings.Contains(text, "panel-secret") {
		t.Fatalf("the panel shows a secret:\n%s", text)
	}
	mu.Lock()
	before := calls
	mu.Unlock()
	b.shot("34-webhooks-panel")
	b.click(`#webhooks-section [data-delivery] button`)
	b.wait("resend taken", `document.getElementById('toasts').innerText.includes('已安排重发')`, 5*time.Second)
	if !harness.WaitFor(10*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return calls > before }) {
		t.Fatal("立即重发 sent nothing")
	}
	b.noJSErrors()
}

package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
)

// A rush at 1366×768: twenty orders wait. The queue turns compact so that
// many are visible at once, F2 accepts the oldest, 全部接单 the rest; the
// search box finds 1001… from "100"; the scan box takes a pickup number;
// board rows show the specs; the 当班 button stays at tablet width.
func TestRushTwentyWaitingOrders(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{Accept: "mode: manual\nmanual_timeout: 10m", ExtraYAML: "scanner:\n  double_scan_window: 100ms\n"})
	t.Cleanup(func() { _ = env.Stop() })
	b.startShift(env.ConsoleURL + "/")

	var orders []order.Order
	for range 20 {
		orders = append(orders, teaOrder(env, order.TypePickup, ""))
	}
	b.wait("twenty cards", `document.querySelectorAll('#queue-list .dcard [data-act="accept"]').length === 20`, 20*time.Second)
	visible := eval[int](b, `(() => { const box = document.getElementById('queue-list').getBoundingClientRect();
		return [...document.querySelectorAll('#queue-list .dcard')].filter((c) => { const r = c.getBoundingClientRect();
			return r.top >= box.top - 1 && r.bottom <= box.bottom + 1; }).length; })()`)
	t.Logf("%d of 20 waiting cards fully visible at 1366×768", visible)
	if visible < 6 {
		t.Errorf("only %d of 20 waiting cards are visible at 1366×768, want at least 6", visible)
	}
	b.saveShot("s30-rush-queue-1366")

	b.do(chromedp.KeyEvent(kb.F2))
	waitOp(t, env, orders[0].Code, "3")
	b.wait("oldest card gone", `document.querySelector(`+jsString(cardSel(orders[0].Code))+`) === null`, 5*time.Second)
	b.wait("queue settled", `!document.getElementById('queue-list').classList.contains('settling')`, 3*time.Second)

	b.click("#accept-all")
	b.wait("confirm 全部接单", `!document.getElementById('modal-backdrop').hidden && document.getElementById('confirm-ok').innerText.includes('19')`, 3*time.Second)
	b.click("#confirm-ok")
	for _, o := range orders[1:] {
		if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	b.wait("queue empty", `document.querySelectorAll('#queue-list .dcard').length === 0`, 10*time.Second)

	b.click(`[data-tab="making"]`)
	row := eval[string](b, `(document.querySelector('.orow[data-code=`+jsString(orders[1].Code)+`]') || {}).innerText || ''`)
	if !strings.Contains(row, "大杯 / 三分糖 / 少冰") {
		t.Errorf("board row shows no specs:\n%s", row)
	}

	b.click("#search-input")
	b.do(chromedp.SendKeys(chromedp.ID("search-input"), "100"))
	b.wait("prefix search", `document.querySelectorAll('#board-list .orow').length === 9`, 5*time.Second)
	found := eval[[]string](b, `[...document.querySelectorAll('#board-list .orow .orow-pickup')].map((e) => e.firstChild.textContent)`)
	for _, p := range found {
		if !strings.HasPrefix(p, "100") {
			t.Errorf("search 100 found pickup %s", p)
		}
	}
	b.saveShot("s31-prefix-search")
	b.do(chromedp.KeyEvent(kb.Escape))

	// The customer says her number; the cashier types it into the scan box.
	target := orders[4]
	b.do(chromedp.SendKeys(chromedp.ID("scan-input"), target.PickupNo+"\r"))
	if _, err := env.WaitStatus(target.Code, order.StatusMade, 5*time.Second); err != nil {
		t.Fatalf("a pickup number in the scan box did not make the order: %v", err)
	}
	b.wait("scan result", `!document.getElementById('scan-result').hidden && document.getElementById('scan-result').innerText.includes(`+jsString(target.PickupNo)+`)`, 5*time.Second)
	b.click("#scan-result")

	for _, vp := range []struct {
		w, h int
		shot string
	}{{1024, 768, "s32-console-1024"}, {390, 844, "s33-console-390"}} {
		b.do(chromedp.EmulateViewport(int64(vp.w), int64(vp.h)))
		if !eval[bool](b, `(() => { const r = document.getElementById('staff-btn').getBoundingClientRect(); return r.width > 0 && r.right <= innerWidth; })()`) {
			t.Errorf("the 当班 button is hidden at %d×%d", vp.w, vp.h)
		}
		b.saveShot(vp.shot)
	}
	b.noJSErrors()
}

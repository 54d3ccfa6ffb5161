package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// Two stores each have a 1001 today: each board row names its store, and a
// made delivery order shows 待配送, not 待取餐.
func TestBoardRowsNameTheStore(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{Stores: []config.StoreConfig{{ID: "1862", Name: "南翔一店"}, {ID: "1030", Name: "徐汇店"}}})
	t.Cleanup(func() { _ = env.Stop() })
	a := env.Fake.NewOrder(fake.OrderSpec{StoreID: "1862", Type: order.TypePickup})
	c := env.Fake.NewOrder(fake.OrderSpec{StoreID: "1030", Type: order.TypeDelivery})
	if a.PickupNo != c.PickupNo {
		t.Fatalf("the stores' first pickup numbers differ (%s, %s): the test wants one number in two stores", a.PickupNo, c.PickupNo)
	}
	for _, o := range []order.Order{a, c} {
		if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	b.do(chromedp.Navigate(env.ConsoleURL + "/#orders"))
	b.wait("start overlay", `!document.getElementById('start-overlay').hidden`, 10*time.Second)
	b.click("#start-btn")
	b.wait("overlay gone", `document.getElementById('start-overlay').hidden`, 5*time.Second)
	b.click(`[data-tab="making"]`)
	row := func(code string) string { return `.orow[data-code="` + code + `"]` }
	b.wait("both rows", `document.querySelector(`+jsString(row(a.Code))+`) && document.querySelector(`+jsString(row(c.Code))+`)`, 10*time.Second)
	for o, store := range map[string]string{a.Code: "南翔一店", c.Code: "徐汇店"} {
		text := eval[string](b, `document.querySelector(`+jsString(row(o))+`).innerText`)
		if !strings.Contains(text, store) {
			t.Errorf("row of %s does not name its store %s:\n%s", o, store, text)
		}
	}
	if status, _ := env.API("POST", "/api/scan", map[string]string{"code": c.Code}, nil); status != 202 {
		t.Fatalf("scan of the delivery order: %d", status)
	}
	// The scan's result covers the page for a moment; staff tap it away.
	b.wait("scan result", `!document.getElementById('scan-result').hidden && document.getElementById('scan-result').innerText.includes('等待配送')`, 5*time.Second)
	b.click("#scan-result")
	b.click(`[data-tab="ready"]`)
	b.wait("made delivery row shows 待配送", `(() => { const r = document.querySelector(`+jsString(row(c.Code))+`);
		return r && r.querySelector('.orow-status').innerText.includes('待配送'); })()`, 10*time.Second)
	b.shot("21-board-two-stores")
	b.noJSErrors()
}

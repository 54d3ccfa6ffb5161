package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

func ticketSel(code string) string { return `.kds-ticket[data-code="` + code + `"]` }

// A kitchen tablet at 1024×768, no keyboard: the kitchen printer's station
// shows every item with its specs; a bar station with a screen and no
// printer shows only the drinks. Bumping the kitchen's whole order does not
// make it while the bar still works on it; tapping the bar's last item
// does, as the first scan would; 召回 brings it back. The age timer turns
// amber, then red.
func TestKitchenDisplayBumpsAndRecalls(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{ExtraYAML: "stations:\n  - { name: bar, match: { names: [奶茶, 甘露] } }\n"})
	t.Cleanup(func() { _ = env.Stop() })
	b.do(chromedp.EmulateViewport(1024, 768))

	o := teaOrder(env, order.TypePickup, "少冰，不要吸管")
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	// Thresholds of 0.02 and 0.04 minutes let the colours change while the test watches.
	b.do(chromedp.Navigate(env.ConsoleURL + "/kitchen?station=kitchen&warn=0.02&late=0.04"))
	b.click("#screen-start-btn")
	b.wait("kitchen ticket", `document.querySelector(`+jsString(ticketSel(o.Code))+`) !== null`, 10*time.Second)
	text := eval[string](b, `document.querySelector(`+jsString(ticketSel(o.Code))+`).innerText`)
	for _, want := range []string{o.PickupNo, "珍珠奶茶", "大杯 / 三分糖 / 少冰", "鸡米花", "杨枝甘露", "中杯 / 去冰", "少冰，不要吸管", "完成"} {
		if !strings.Contains(text, want) {
			t.Errorf("kitchen ticket lacks %q:\n%s", want, text)
		}
	}
	b.wait("timer turns red", `document.querySelector(`+jsString(ticketSel(o.Code))+`).classList.contains('age-late')`, 10*time.Second)
	if n := eval[int](b, `document.querySelectorAll('input, textarea').length`); n != 0 {
		t.Errorf("the kitchen screen has %d text fields: a tablet there has no keyboard", n)
	}
	// A few more orders, so the screen looks like a lunch hour.
	for _, note := range []string{"", "加辣"} {
		x := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypeDineIn, Note: note, Menu: "restaurant"})
		b.wait("another ticket", `document.querySelector(`+jsString(ticketSel(x.Code))+`) !== null`, 10*time.Second)
	}
	b.saveShot("s10-kitchen-1024")
	b.do(chromedp.EmulateViewport(1366, 768))
	b.saveShot("s14-kitchen-1366")
	b.do(chromedp.EmulateViewport(1024, 768))

	b.click(ticketSel(o.Code) + ` [data-act="bump-order"]`)
	b.wait("kitchen done with it", `document.querySelector(`+jsString(ticketSel(o.Code))+`) === null`, 5*time.Second)
	if rec, _ := env.Order(o.Code); rec.Status != order.StatusAccepted {
		t.Fatalf("order is %s after the kitchen bumped it while the bar still makes its drinks", rec.Status)
	}

	b.do(chromedp.Navigate(env.ConsoleURL + "/kitchen?station=bar"))
	b.click("#screen-start-btn")
	b.wait("bar ticket", `document.querySelector(`+jsString(ticketSel(o.Code))+`) !== null`, 10*time.Second)
	bar := eval[string](b, `document.querySelector(`+jsString(ticketSel(o.Code))+`).innerText`)
	if strings.Contains(bar, "鸡米花") || !strings.Contains(bar, "珍珠奶茶") || !strings.Contains(bar, "杨枝甘露") {
		t.Errorf("the bar shows what it does not make, or misses a drink:\n%s", bar)
	}
	items := eval[[]string](b, `[...document.querySelectorAll(`+jsString(ticketSel(o.Code)+" .kds-item")+`)].map((li) => li.dataset.index)`)
	if len(items) != 2 {
		t.Fatalf("bar items %v, want the two drinks", items)
	}
	// A mistaken tap is taken back by tapping again.
	first := ticketSel(o.Code) + ` .kds-item[data-index="` + items[0] + `"]`
	b.click(first)
	b.wait("item bumped", `document.querySelector(`+jsString(first)+`).classList.contains('bumped')`, 5*time.Second)
	b.click(first)
	b.wait("bump taken back", `!document.querySelector(`+jsString(first)+`).classList.contains('bumped')`, 5*time.Second)
	b.click(first)
	b.wait("item bumped again", `document.querySelector(`+jsString(first)+`).classList.contains('bumped')`, 5*time.Second)
	b.saveShot("s11-kitchen-bar-bumped")
	if rec, _ := env.Order(o.Code); rec.Status != order.StatusAccepted {
		t.Fatalf("order is %s with one drink still to make", rec.Status)
	}
	b.click(ticketSel(o.Code) + ` .kds-item[data-index="` + items[1] + `"]`)
	if _, err := env.WaitStatus(o.Code, order.StatusMade, 5*time.Second); err != nil {
		t.Fatalf("the last bump did not make the order: %v", err)
	}
	waitOp(t, env, o.Code, "31")
	b.wait("ticket gone", `document.querySelector(`+jsString(ticketSel(o.Code))+`) === null`, 5*time.Second)

	b.click("#kds-recall-btn")
	recall := `#kds-recent [data-code="` + o.Code + `"]`
	b.wait("in the recall list", `document.querySelector(`+jsString(recall)+`) !== null`, 5*time.Second)
	b.saveShot("s12-kitchen-recall")
	b.click(recall)
	b.wait("recalled ticket", `(() => { const t = document.querySelector(`+jsString(ticketSel(o.Code))+`);
		return t && t.classList.contains('recalled') && t.querySelectorAll('.kds-item.bumped').length === 0; })()`, 5*time.Second)
	if rec, _ := env.Order(o.Code); rec.Status != order.StatusMade {
		t.Errorf("a recall moved the order to %s; the customer was already called", rec.Status)
	}

	// The kitchen hears a refund request pause an order and a refund stop it.
	c := teaOrder(env, order.TypePickup, "")
	b.wait("second ticket", `document.querySelector(`+jsString(ticketSel(c.Code))+`) !== null`, 10*time.Second)
	b.assertSound(b.waitSound("new_order", c.PickupNo), "chime", append([]string{"new_order"}, digitClips(c.PickupNo)...)...)
	if err := env.Fake.RequestRefund(c.Code, "不想要了"); err != nil {
		t.Fatal(err)
	}
	b.wait("ticket paused", `document.querySelector(`+jsString(ticketSel(c.Code))+`).classList.contains('paused')`, 10*time.Second)
	b.assertSound(b.waitSound("refund_request", c.PickupNo), "alert", append(digitClips(c.PickupNo), "refund")...)
	if status, _ := env.API("POST", "/api/orders/"+c.Code+"/refund/approve", map[string]string{}, nil); status != 202 {
		t.Fatalf("approve refund: HTTP %d", status)
	}
	b.wait("refunded ticket gone", `document.querySelector(`+jsString(ticketSel(c.Code))+`) === null`, 10*time.Second)
	b.assertSound(b.waitSound("cancel", c.PickupNo), "alert", append(digitClips(c.PickupNo), "cancel_order")...)

	// The phone-sized screen stacks the tickets.
	b.do(chromedp.EmulateViewport(390, 844))
	b.saveShot("s13-kitchen-390")
	b.noJSErrors()
}

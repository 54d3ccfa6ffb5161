package console_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
)

// The pickup TV: numbers being made under 制作中; the scan that marks an
// order made moves its number to 请取餐 and calls it, a chime and
// "请1003号顾客取餐" from the clips; the second scan (collected) takes it
// off. No buttons, links or fields: a TV has a remote at best.
func TestPickupScreenCallsTheNumber(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{ExtraYAML: "scanner:\n  double_scan_window: 100ms\n"})
	t.Cleanup(func() { _ = env.Stop() })
	b.do(chromedp.EmulateViewport(1366, 768))
	b.do(chromedp.Navigate(env.ConsoleURL + "/pickup"))
	// The one press a TV browser needs before it may play sound.
	b.click("body")
	b.wait("sound unlocked", `document.getElementById('pk-hint').hidden`, 5*time.Second)

	a := teaOrder(env, order.TypePickup, "")
	c := teaOrder(env, order.TypePickup, "")
	d := teaOrder(env, order.TypeDelivery, "")
	for _, o := range []order.Order{a, c, d} {
		if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	in := func(col, code string) string {
		return `document.querySelector('#pk-` + col + ` li[data-code="` + code + `"]') !== null`
	}
	b.wait("both numbers being made", in("making", a.Code)+" && "+in("making", c.Code), 10*time.Second)
	if eval[bool](b, in("making", d.Code)) {
		t.Error("a delivery order is on the pickup screen: a courier collects it")
	}
	if status, _ := env.API("POST", "/api/scan", map[string]string{"code": a.Code}, nil); status != 202 {
		t.Fatalf("scan: HTTP %d", status)
	}
	b.wait("number ready", in("ready", a.Code)+" && !("+in("making", a.Code)+")", 10*time.Second)
	b.assertSound(b.waitSound("made", a.PickupNo), "dingdong", append(append([]string{"qing"}, digitClips(a.PickupNo)...), "guest_pickup")...)
	b.wait("the call shows big", `!document.getElementById('pk-call').hidden && document.getElementById('pk-call').innerText.includes(`+jsString(a.PickupNo)+`)`, 3*time.Second)
	b.saveShot("s20-pickup-call-1366")
	b.wait("call over", `document.getElementById('pk-call').hidden`, 15*time.Second)
	if n := eval[int](b, `document.querySelectorAll('button, input, select, textarea, a').length`); n != 0 {
		t.Errorf("the pickup screen has %d controls; it must have none", n)
	}
	b.do(chromedp.EmulateViewport(1920, 1080))
	b.saveShot("s21-pickup-1920")

	// A read within the double-scan window is a repeat (200); once it is
	// past, the second scan counts (202).
	if !harness.WaitFor(5*time.Second, func() bool {
		status, _ := env.API("POST", "/api/scan", map[string]string{"code": a.Code}, nil)
		return status == 202
	}) {
		t.Fatal("the second scan never completed the order")
	}
	b.wait("collected number gone", `!(`+in("ready", a.Code)+`)`, 10*time.Second)
	b.noJSErrors()
}

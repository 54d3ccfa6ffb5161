package console_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
)

// soundRecord is one announcement the page made (voice.js's `played`).
type soundRecord struct {
	Event  string   `json:"event"`
	Pickup string   `json:"pickup"`
	Sound  string   `json:"sound"`
	Voice  []string `json:"voice"`
	Text   string   `json:"text"`
	Via    string   `json:"via"`
}

// digitClips is what the clips say for a pickup number: digit by digit, then 号.
func digitClips(pickup string) []string {
	var out []string
	for _, d := range pickup {
		out = append(out, "d"+string(d))
	}
	return append(out, "hao")
}

// waitSound waits for the page to announce event for pickup and returns it.
func (b *browser) waitSound(event, pickup string) soundRecord {
	b.t.Helper()
	find := fmt.Sprintf(`(window.__posbridgeSounds || []).find((s) => s.event === %s && s.pickup === %s && s.via !== 'pending')`,
		jsString(event), jsString(pickup))
	deadline := time.Now().Add(30 * time.Second)
	for !eval[bool](b, "!!"+find) {
		if time.Now().After(deadline) {
			b.shot("failed-sound-" + event)
			b.t.Fatalf("%s %s was never announced; the page played: %s%s", event, pickup,
				eval[string](b, `JSON.stringify(window.__posbridgeSounds || [])`), b.jsErrors())
		}
		time.Sleep(100 * time.Millisecond)
	}
	rec := eval[soundRecord](b, find)
	b.t.Logf("%s %s announced via %s", event, pickup, rec.Via)
	return rec
}

func (b *browser) assertSound(got soundRecord, sound string, voice ...string) {
	b.t.Helper()
	if got.Sound != sound || strings.Join(got.Voice, " ") != strings.Join(voice, " ") {
		b.t.Errorf("%s %s: plays %s then %v, want %s then %v", got.Event, got.Pickup, got.Sound, got.Voice, sound, voice)
	}
	if got.Via != "clips" {
		b.t.Errorf("%s %s was played via %q, want the embedded clips (browser voice is the fallback only)", got.Event, got.Pickup, got.Via)
	}
}

// saveShot copies a screenshot to the screens' folder for the closing note
// when POSBRIDGE_SHOTS names one.
func (b *browser) saveShot(name string) {
	b.t.Helper()
	b.shot(name)
	if dir := os.Getenv("POSBRIDGE_SHOTS"); dir != "" {
		if data, err := os.ReadFile(filepath.Join(b.shots, name+".png")); err == nil {
			_ = os.MkdirAll(dir, 0o755)
			_ = os.WriteFile(filepath.Join(dir, name+".png"), data, 0o644)
		}
	}
}

func (b *browser) startShift(url string) {
	b.t.Helper()
	b.do(chromedp.Navigate(url))
	b.wait("start overlay", `!document.getElementById('start-overlay').hidden && document.querySelector('.conn.up') !== null`, 10*time.Second)
	b.click("#start-btn")
	b.wait("sound unlocked", `document.getElementById('start-overlay').hidden && document.getElementById('sound-locked') === null`, 5*time.Second)
}

// Auto-accepted orders are not silent: each one is announced with its
// pickup number by the embedded clips, and so are a cancel, a refund
// request and a 备餐提醒, each naming its order. The empty alert list
// reads 暂无提醒 on one line.
func TestAlertsSayEveryOrderWithItsNumber(t *testing.T) {
	b := newBrowser(t)
	// Pickup orders are accepted automatically; delivery orders wait for staff.
	env := startDaemon(t, harness.Options{Accept: "mode: auto\nmanual_timeout: 10m\nrules:\n  - { types: [delivery], mode: manual }"})
	t.Cleanup(func() { _ = env.Stop() })
	b.startShift(env.ConsoleURL + "/")

	b.click("#alerts-btn")
	b.wait("alert list open", `!document.getElementById('alerts-pop').hidden`, 3*time.Second)
	empty := eval[struct {
		Text   string  `json:"text"`
		Height float64 `json:"height"`
	}](b, `(() => { const li = document.querySelector('#alert-list li'); return { text: li.innerText, height: li.getBoundingClientRect().height }; })()`)
	if empty.Text != "暂无提醒" || empty.Height > 60 {
		t.Errorf("empty alert list: %q in a %.0f px high item, want 暂无提醒 on one line", empty.Text, empty.Height)
	}
	b.saveShot("s01-alerts-empty")
	b.click("#alerts-btn")

	a := teaOrder(env, order.TypePickup, "")
	c := teaOrder(env, order.TypePickup, "")
	for _, o := range []order.Order{a, c} {
		if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		b.assertSound(b.waitSound("new_order", o.PickupNo), "chime", append([]string{"new_order"}, digitClips(o.PickupNo)...)...)
	}

	if err := env.Fake.RemindPrepare(a.Code); err != nil {
		t.Fatal(err)
	}
	b.assertSound(b.waitSound("prep_remind", a.PickupNo), "remind", append(digitClips(a.PickupNo), "prep_remind")...)

	if err := env.Fake.RequestRefund(c.Code, "不想要了"); err != nil {
		t.Fatal(err)
	}
	b.assertSound(b.waitSound("refund_request", c.PickupNo), "alert", append(digitClips(c.PickupNo), "refund")...)

	d := teaOrder(env, order.TypeDelivery, "")
	b.assertSound(b.waitSound("new_order", d.PickupNo), "chime", append([]string{"new_order"}, digitClips(d.PickupNo)...)...)
	if err := env.Fake.CancelByUser(d.Code, "下错单了"); err != nil {
		t.Fatal(err)
	}
	b.assertSound(b.waitSound("cancel", d.PickupNo), "alert", append(digitClips(d.PickupNo), "cancel_order")...)

	env.Printers["kitchen"].Down()
	b.assertSound(b.waitSound("printer_fault", ""), "alert", "printer_fault")

	// Every announcement played once: a new order is not said again on
	// each later change of it.
	n := eval[int](b, `window.__posbridgeSounds.filter((s) => s.event === 'new_order').length`)
	if n != 3 {
		t.Errorf("%d new-order announcements for 3 orders", n)
	}
	b.click("#alerts-btn")
	b.wait("alerts listed", `document.querySelectorAll('#alert-list li[data-code]').length >= 2`, 5*time.Second)
	b.saveShot("s02-alerts-list")
	b.noJSErrors()
}

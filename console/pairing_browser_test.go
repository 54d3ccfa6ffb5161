package console_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
)

// Screens on the LAN pair once and never type the staff PIN:
// staff add a kitchen tablet under 屏幕 on the store PC, the tablet opens
// the pairing link and lands on its station's screen. Its token opens that
// screen and nothing else; a code works once; guessing is limited; a
// revoked screen is out at once.
func TestScreenPairingOnTheLAN(t *testing.T) {
	ip, inside := lanNamespace(t)
	if !inside {
		return
	}
	b := newBrowser(t)
	opts := harness.Options{Console: `pin: "2468"`} // for staff tablets; no screen ever types it
	env, err := harness.Prepare(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	env.Config.Console.Listen = "0.0.0.0:0" // loopback for the PC, 10.87.0.2 for the LAN
	if err := env.Run(context.Background(), opts); err != nil {
		env.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	_, port, _ := net.SplitHostPort(env.Daemon.ConsoleAddr)
	pc, lan := "http://127.0.0.1:"+port, "http://"+net.JoinHostPort(ip, port)

	// Without pairing, the LAN gets nothing.
	resp, err := http.Get(lan + "/api/kitchen?station=kitchen")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("kitchen data from the LAN without pairing: HTTP %d, want 401", resp.StatusCode)
	}

	b.startShift(pc + "/#screens")
	b.wait("screens view", `!document.getElementById('view-screens').hidden && document.querySelector('#screen-station option[value="kitchen"]') !== null`, 5*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("screen-name"), "热菜平板"))
	b.click(`#screen-form button[type="submit"]`)
	b.wait("pairing link", `document.querySelector('#screen-pairing .pair-urls div') !== null && document.getElementById('pair-qr') !== null`, 5*time.Second)
	link := eval[string](b, `document.querySelector('#screen-pairing .pair-urls div').textContent`)
	code := eval[string](b, `document.getElementById('pair-code').textContent`)
	if link != lan+"/pair/"+code {
		t.Fatalf("pairing link %q, want the LAN address %s/pair/%s", link, lan, code)
	}
	b.saveShot("s40-screens-admin")

	b.do(chromedp.Navigate(link))
	b.wait("on the kitchen screen", `location.pathname === '/kitchen' && new URLSearchParams(location.search).get('station') === 'kitchen' && document.querySelector('.kds-conn.up') !== null`, 10*time.Second)
	b.click("#screen-start-btn")
	// What the screen's event stream carries: that orders changed, never
	// the staff's messages and data.
	eval[bool](b, `(() => { window.__evs = []; const es = new EventSource('/api/events'); window.__es = es;
		for (const t of ['order', 'decision', 'alert', 'scan', 'printer', 'platform', 'kitchen']) es.addEventListener(t, (m) => __evs.push(JSON.parse(m.data)));
		return true; })()`)
	b.wait("the screen's own stream open", `__es.readyState === EventSource.OPEN`, 5*time.Second)
	o := teaOrder(env, order.TypePickup, "")
	b.wait("ticket on the paired screen", `document.querySelector(`+jsString(ticketSel(o.Code))+`) !== null`, 10*time.Second)
	b.wait("order events on the screen's stream", `__evs.some((e) => e.code === `+jsString(o.Code)+` && e.status === 'accepted')`, 10*time.Second)
	if leaked := eval[[]string](b, `__evs.filter((e) => e.message || e.data || e.level || !['order', 'decision', 'scan', 'kitchen'].includes(e.type)).map((e) => JSON.stringify(e))`); len(leaked) > 0 {
		t.Errorf("the screen's event stream carries staff matters: %v", leaked)
	}

	status := func(js string) int {
		t.Helper()
		return eval[int](b, js, chromedp.EvalAwaitPromise)
	}
	scope := map[string]int{
		`fetch('/api/orders').then((r) => r.status)`:                                                        http.StatusForbidden,
		`fetch('/api/devices').then((r) => r.status)`:                                                       http.StatusForbidden,
		`fetch('/').then((r) => r.status)`:                                                                  http.StatusForbidden,
		`fetch('/api/kitchen?station=other').then((r) => r.status)`:                                         http.StatusForbidden,
		`fetch('/api/kitchen/` + o.Code + `/bump?station=kitchen', {method: 'POST'}).then((r) => r.status)`: http.StatusForbidden, // no CSRF token
		`fetch('/api/kitchen?station=kitchen').then((r) => r.status)`:                                       http.StatusOK,
	}
	for js, want := range scope {
		if got := status(js); got != want {
			t.Errorf("%s from the paired tablet: HTTP %d, want %d", js, got, want)
		}
	}
	b.click(ticketSel(o.Code) + ` [data-act="bump-order"]`)
	if _, err := env.WaitStatus(o.Code, order.StatusMade, 5*time.Second); err != nil {
		t.Fatalf("the paired tablet's bump did not make the order: %v", err)
	}
	b.saveShot("s41-kitchen-paired")

	// The code was spent: a second screen cannot use it.
	resp, err = http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a spent pairing code: HTTP %d, want 401", resp.StatusCode)
	}
	// Staff revoke it on the PC: the tablet is out at once.
	b.startShift(pc + "/#screens")
	b.wait("device listed", `document.querySelector('#screens-body [data-act="revoke"]') !== null`, 10*time.Second)
	if !strings.Contains(eval[string](b, `document.getElementById('screens-body').innerText`), "已配对") {
		t.Error("the device list does not say the tablet is paired")
	}
	b.click(`#screens-body [data-act="revoke"]`)
	b.click("#confirm-ok")
	b.wait("revoked", `document.querySelector('#screens-body [data-act="revoke"]') === null`, 5*time.Second)
	b.do(chromedp.Navigate(lan + "/kitchen?station=kitchen"))
	b.wait("revoked tablet sent to pairing", `location.pathname === '/pair' && document.getElementById('code') !== null`, 10*time.Second)

	// The same browser paired again, as the pickup TV: the code typed in
	// the form, lower case and with a dash, as people type it.
	var tv struct {
		PairCode string `json:"pair_code"`
	}
	body := strings.NewReader(`{"name":"门口电视","kind":"pickup"}`)
	resp, err = http.Post(pc+"/api/devices", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(resp.Body).Decode(&tv); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create the pickup TV: HTTP %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	typed := strings.ToLower(tv.PairCode[:4] + "-" + tv.PairCode[4:])
	b.do(chromedp.SendKeys(chromedp.ID("code"), typed+"\r"))
	b.wait("on the pickup screen", `location.pathname === '/pickup' && document.getElementById('pk-ready') !== null`, 10*time.Second)
	if got := status(`fetch('/api/kitchen?station=kitchen').then((r) => r.status)`); got != http.StatusForbidden {
		t.Errorf("the pickup TV reads the kitchen's tickets: HTTP %d, want 403", got)
	}
	if got := status(`fetch('/api/pickup').then((r) => r.status)`); got != http.StatusOK {
		t.Errorf("the pickup TV's own data: HTTP %d, want 200", got)
	}

	// Guessing stops after a few tries (last: it locks this address out).
	limited := false
	for range 8 {
		resp, err := http.Get(lan + "/pair/ABCDEFGH")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("eight wrong pairing codes in a row were all checked; guessing must be limited")
	}

	// A staff member logging in with the PIN on a browser paired as a screen
	// gets the console: the PIN session beats the screen's narrower token.
	b.do(chromedp.Navigate(lan + "/login"))
	b.wait("login page", `document.getElementById('pin') !== null`, 10*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("pin"), "2468\r"))
	b.wait("console after login", `location.pathname === '/' && !document.getElementById('start-overlay').hidden`, 10*time.Second)
	if got := status(`fetch('/api/orders').then((r) => r.status)`); got != http.StatusOK {
		t.Errorf("the logged-in console on a paired browser: HTTP %d, want 200", got)
	}

	b.noJSErrors()
}

package console_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"

	"github.com/posbridge/posbridge/internal/browsertest"
)

func chromiumPath(t *testing.T) string { return browsertest.Chromium(t, "the console browser tests") }

// screenshotDir is where the main screens are saved for people to look at.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("POSBRIDGE_TEST_OUT")
	if dir == "" {
		dir = filepath.Join("..", "testout")
	}
	dir = filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser is one headless chromium tab on the console page; in(t) gives
// the same tab to a subtest.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string
	errs  *pageErrors
}

// pageErrors collects the page's uncaught exceptions.
type pageErrors struct {
	mu   sync.Mutex
	list []string
}

func (b *browser) in(t *testing.T) *browser {
	c := *b
	c.t = t
	return &c
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 768),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true), chromedp.Flag("lang", "zh-CN"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, shots: screenshotDir(t), errs: &pageErrors{}}
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			msg := "?"
			if d := ev.ExceptionDetails; d != nil {
				msg = fmt.Sprintf("%s at %s:%d", d.Text, d.URL, d.LineNumber+1)
				if d.Exception != nil && d.Exception.Description != "" {
					msg += ": " + d.Exception.Description
				}
			}
			b.errs.mu.Lock()
			b.errs.list = append(b.errs.list, msg)
			b.errs.mu.Unlock()
		}
	}()
	b.do(chromedp.EmulateViewport(1366, 768))
	return b
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v%s", err, b.jsErrors())
	}
}

func (b *browser) jsErrors() string {
	b.errs.mu.Lock()
	defer b.errs.mu.Unlock()
	if len(b.errs.list) == 0 {
		return ""
	}
	return "\npage exceptions:\n" + strings.Join(b.errs.list, "\n")
}

// noJSErrors fails the test when the page threw an uncaught exception.
func (b *browser) noJSErrors() {
	b.t.Helper()
	if e := b.jsErrors(); e != "" {
		b.t.Error(e)
	}
}

// eval runs JavaScript and decodes its result into T.
func eval[T any](b *browser, js string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v%s", js, err, b.jsErrors())
	}
	return v
}

// wait polls a JavaScript condition until it is true. A poll does not
// survive a navigation (a form post), so it starts again on the new page.
func (b *browser) wait(what, js string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for {
		left := time.Until(deadline)
		if left <= 0 { // (a zero polling timeout would mean no timeout at all)
			break
		}
		_, err = chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(left),
			chromedp.WithPollingInterval(50*time.Millisecond)))
		if err == nil || b.ctx.Err() != nil || !pageWentAway(err) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("waiting for %s (%s): %v%s", what, js, err, b.jsErrors())
	}
}

// pageWentAway is a poll cut short by a navigation.
func pageWentAway(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "navigated") || strings.Contains(msg, "context was destroyed") ||
		strings.Contains(msg, "Cannot find context")
}

// click clicks the first element matching css once it is visible; a click
// on something that never shows fails within 5 s rather than hanging.
func (b *browser) click(css string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	for {
		err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(css)))
		if err == nil {
			return
		}
		// The live page re-renders lists as events arrive: the node found
		// may be replaced before the click lands. Find it again.
		if strings.Contains(err.Error(), "Could not find node") && ctx.Err() == nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		b.shot("failed-click")
		b.t.Fatalf("click %s: %v%s", css, err, b.jsErrors())
	}
}

// shot saves a screenshot of the viewport, once entry animations are over.
func (b *browser) shot(name string) {
	b.t.Helper()
	_ = chromedp.Do(b.ctx, chromedp.Sleep(350*time.Millisecond))
	buf, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.t.Error(err)
	}
}

func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

func cardSel(code string) string { return `.dcard[data-code="` + code + `"]` }

func teaOrder(env *harness.Env, typ order.Type, note string) order.Order {
	return env.Fake.NewOrder(fake.OrderSpec{Type: typ, Note: note, Mobile: "13812345678", Items: []order.Item{
		{Seq: 1, ProductID: "p1", Name: "珍珠奶茶", Price: 1500, Quantity: 2, Spec: "大杯", Property: "三分糖 / 少冰"},
		{Seq: 2, ProductID: "p2", Name: "鸡米花", Price: 1200, Quantity: 1},
		{Seq: 3, ProductID: "p3", Name: "杨枝甘露", Price: 1800, Quantity: 1, Spec: "中杯", Property: "去冰"},
	}})
}

func hasOp(env *harness.Env, code, op string) bool {
	for _, o := range env.OpsOf(code) {
		if o == op {
			return true
		}
	}
	return false
}

func waitOp(t *testing.T, env *harness.Env, code, op string) {
	t.Helper()
	if !harness.WaitFor(8*time.Second, func() bool { return hasOp(env, code, op) }) {
		t.Fatalf("the platform never saw %s for %s; it saw %v", op, code, env.OpsOf(code))
	}
}

func startDaemon(t *testing.T, opts harness.Options) *harness.Env {
	t.Helper()
	env, err := harness.Start(context.Background(), t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// The counter's day, in a real headless browser against the real daemon
// and the fake 开个店: orders arrive live and are accepted, rejected, refunded
// and scanned with clicks and keys; printers and the platform show their
// state; the page says when the daemon is gone.
func TestConsoleInBrowser(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{Accept: "mode: manual\nmanual_timeout: 10m",
		ExtraYAML: "scanner:\n  double_scan_window: 300ms\n"})
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = env.Stop()
		}
	})

	b.do(chromedp.Navigate(env.ConsoleURL + "/"))
	b.wait("start overlay", `!document.getElementById('start-overlay').hidden && document.querySelector('.conn.up') !== null`, 10*time.Second)
	b.shot("01-start-shift")
	if locked := eval[bool](b, `document.getElementById('sound-locked') !== null`); !locked {
		t.Error("no warning that sound is locked before 开始营业")
	}
	b.do(chromedp.SendKeys(chromedp.ID("start-staff"), "小王"))
	b.click("#start-btn")
	b.wait("overlay gone", `document.getElementById('start-overlay').hidden`, 5*time.Second)
	b.wait("sound unlocked", `document.getElementById('sound-locked') === null`, 3*time.Second)
	// Muting is possible, and never silent about it.
	b.click("#sound-btn")
	b.click("#mute-btn")
	b.wait("muted warning", `document.getElementById('sound-muted') !== null`, 3*time.Second)
	b.click("#sound-muted")
	b.wait("unmuted", `document.getElementById('sound-muted') === null && document.querySelector('.chip-ok') !== null`, 3*time.Second)

	t.Run("new order appears and is accepted with a click", func(t *testing.T) {
		b := b.in(t)
		o := teaOrder(env, order.TypePickup, "少冰，不要吸管")
		start := time.Now()
		b.wait("new order card", `document.querySelector(`+jsString(cardSel(o.Code)+` [data-act="accept"]`)+`) !== null`, 5*time.Second)
		t.Logf("new order %s on screen %v after the push", o.PickupNo, time.Since(start).Round(time.Millisecond))
		card := eval[string](b, `document.querySelector(`+jsString(cardSel(o.Code))+`).innerText`)
		for _, want := range []string{o.PickupNo, "珍珠奶茶", "大杯 / 三分糖 / 少冰", "少冰，不要吸管", "自取", "后"} {
			if !strings.Contains(card, want) {
				t.Errorf("new order card lacks %q:\n%s", want, card)
			}
		}
		d := teaOrder(env, order.TypeDelivery, "")
		b.wait("second card", `document.querySelectorAll('.dcard').length === 2`, 5*time.Second)
		b.shot("02-new-orders")
		b.click(cardSel(o.Code) + ` [data-act="accept"]`)
		waitOp(t, env, o.Code, "3")
		if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		b.wait("card gone", `document.querySelector(`+jsString(cardSel(o.Code))+`) === null`, 5*time.Second)
		op := lastOp(env, o.Code)
		if op.Operator != "小王" {
			t.Errorf("operator sent to the platform = %q, want the staff name 小王", op.Operator)
		}

		t.Run("a rejection with a reason", func(t *testing.T) {
			b := b.in(t)
			// Taps are ignored for a moment after a card leaves (so a double tap
			// cannot accept the next order); a person waits that long anyway.
			b.wait("queue settled", `!document.getElementById('queue-list').classList.contains('settling')`, 3*time.Second)
			b.click(cardSel(d.Code) + ` [data-act="reject"]`)
			b.wait("reason dialog", `!document.getElementById('modal-backdrop').hidden`, 3*time.Second)
			b.click(`#modal [data-reason="超出配送范围"]`)
			b.do(chromedp.SendKeys(chromedp.ID("reason-text"), "超过3公里"))
			b.shot("03-reject-reason")
			b.click("#reason-ok")
			waitOp(t, env, d.Code, "7")
			if got := lastOp(env, d.Code).Reason; got != "超出配送范围：超过3公里" {
				t.Errorf("reject reason at the platform = %q", got)
			}
			b.wait("queue empty", `document.querySelectorAll('.dcard').length === 0 && !document.getElementById('queue-empty').hidden`, 5*time.Second)
		})

		t.Run("a code typed into the scan box marks the order made", func(t *testing.T) {
			b := b.in(t)
			b.wait("scan box focused", `document.activeElement && document.activeElement.id === 'scan-input'`, 3*time.Second)
			b.do(chromedp.SendKeys(chromedp.ID("scan-input"), o.Code+"\r"))
			waitOp(t, env, o.Code, "31")
			b.wait("scan result", `(() => { const r = document.getElementById('scan-result'); return !r.hidden && r.classList.contains('ok') && r.innerText.includes('制作完成'); })()`, 5*time.Second)
			b.shot("04-scan-made")
			b.do(chromedp.SendKeys(chromedp.ID("scan-input"), "999999999\r"))
			b.wait("scan error", `(() => { const r = document.getElementById('scan-result'); return !r.hidden && r.classList.contains('err') && r.innerText.includes('999999999'); })()`, 5*time.Second)
			b.click("#scan-result") // a tap dismisses it
		})
	})

	t.Run("a refund approval", func(t *testing.T) {
		b := b.in(t)
		o := teaOrder(env, order.TypeDineIn, "")
		b.wait("card", `document.querySelector(`+jsString(cardSel(o.Code))+`) !== null`, 5*time.Second)
		if code, err := env.API("POST", "/api/orders/"+o.Code+"/accept", nil, nil); err != nil || code != 202 {
			t.Fatalf("accept over the API: %d %v", code, err)
		}
		waitOp(t, env, o.Code, "3")
		if err := env.Fake.RequestRefund(o.Code, "点错了，不想要了"); err != nil {
			t.Fatal(err)
		}
		b.wait("refund card", `document.querySelector(`+jsString(cardSel(o.Code)+`[data-decision="refund"] [data-act="approve-refund"]`)+`) !== null`, 8*time.Second)
		if txt := eval[string](b, `document.querySelector(`+jsString(cardSel(o.Code))+`).innerText`); !strings.Contains(txt, "退款申请") {
			t.Errorf("refund card: %s", txt)
		}
		b.shot("05-refund-request")
		b.click(cardSel(o.Code) + ` [data-act="approve-refund"]`)
		b.wait("confirm", `document.getElementById('confirm-ok') !== null`, 3*time.Second)
		b.click("#confirm-ok")
		waitOp(t, env, o.Code, "r1")
		b.wait("refund card gone", `document.querySelector(`+jsString(cardSel(o.Code))+`) === null`, 5*time.Second)
	})

	t.Run("a cancel before accept is announced", func(t *testing.T) {
		b := b.in(t)
		o := teaOrder(env, order.TypePickup, "")
		b.wait("card", `document.querySelector(`+jsString(cardSel(o.Code))+`) !== null`, 5*time.Second)
		if err := env.Fake.CancelByUser(o.Code, "不想要了"); err != nil {
			t.Fatal(err)
		}
		b.wait("card gone", `document.querySelector(`+jsString(cardSel(o.Code))+`) === null`, 8*time.Second)
		b.wait("cancel notice", `document.getElementById('status-alert').innerText.includes(`+jsString(o.PickupNo+" 已取消")+`)`, 5*time.Second)
	})

	t.Run("board and order detail with printed previews", func(t *testing.T) {
		b := b.in(t)
		var codes []string
		for _, typ := range []order.Type{order.TypeDineIn, order.TypePickup, order.TypeDelivery} {
			o := teaOrder(env, typ, "")
			codes = append(codes, o.Code)
			b.wait("card", `document.querySelector(`+jsString(cardSel(o.Code))+`) !== null`, 5*time.Second)
			if code, err := env.API("POST", "/api/orders/"+o.Code+"/accept", nil, nil); err != nil || code != 202 {
				t.Fatalf("accept: %d %v", code, err)
			}
		}
		for _, c := range codes {
			if err := env.WaitJobsDone(c, 10*time.Second); err != nil {
				t.Fatal(err)
			}
		}
		teaOrder(env, order.TypePickup, "多加珍珠") // one waiting, as in a real rush
		b.click(`.tab[data-tab="making"]`)
		b.wait("board rows", `document.querySelectorAll('#board-list .orow').length >= 3`, 5*time.Second)
		b.shot("06-order-board")
		// Search by the phone's last four digits finds today's orders and older ones.
		b.do(chromedp.SendKeys(chromedp.ID("search-input"), "5678"))
		b.wait("search results", `document.querySelector('#board-list .board-note') !== null && document.querySelector('#board-list .board-note').innerText.includes('5678') && document.querySelectorAll('#board-list .orow').length >= 5`, 5*time.Second)
		b.do(chromedp.SendKeys(chromedp.ID("search-input"), "\x1b"))
		b.wait("board back", `document.getElementById('search-input').value === '' && document.querySelector('.tab.active') !== null`, 3*time.Second)
		b.click(`.orow[data-code="` + codes[0] + `"]`)
		b.wait("previews", `document.querySelectorAll('#drawer-body .paper').length >= 2 && !document.getElementById('drawer').hidden`, 8*time.Second)
		paper := eval[string](b, `document.querySelector('#drawer-body .doc[data-doc="receipt"] .paper').innerText`)
		if !strings.Contains(paper, "珍珠奶茶") || !strings.Contains(paper, "￥") {
			t.Errorf("receipt preview lacks the items or prices:\n%s", paper)
		}
		b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#drawer-body .docs').scrollIntoView()`))
		b.shot("07-order-detail")
		b.click(`#drawer-body [data-reprint="receipt"]`)
		if !harness.WaitFor(5*time.Second, func() bool {
			jobs, _ := env.Jobs(codes[0])
			for _, j := range jobs {
				if j.Reprint && j.Doc == "receipt" {
					return true
				}
			}
			return false
		}) {
			t.Error("补打小票 queued no reprint")
		}
		b.click("#drawer-close")
	})

	t.Run("a printer that goes offline shows as offline", func(t *testing.T) {
		b := b.in(t)
		env.Printers["kitchen"].Down()
		b.do(chromedp.Evaluate[chromedp.Void](`location.hash = '#printers'`))
		b.wait("kitchen offline", `(() => { const s = document.querySelector('.pcard[data-printer="kitchen"] .pcard-state'); return s && s.textContent === '离线'; })()`, 10*time.Second)
		b.wait("status bar chip", `document.querySelector('#status-warnings [data-printer="kitchen"]') !== null`, 5*time.Second)
		// staff read what to check in Chinese, not the OS's English error
		b.wait("a Chinese hint on the card", `(() => { const e = document.querySelector('.pcard[data-printer="kitchen"] .pcard-err'); return e && e.textContent.includes('打印机') && !/refused|timeout|dial/i.test(e.textContent); })()`, 10*time.Second)
		b.shot("08-printers")
		before := len(env.Printers["front"].Jobs())
		b.click(`[data-test="front"]`)
		if !env.Printers["front"].WaitJobs(before+1, 5*time.Second) {
			t.Fatal("测试打印 printed nothing on the receipt printer")
		}
		if n := env.CountPrinted("front", "测试页"); n == 0 {
			t.Errorf("the job sent by 测试打印 is not a test page:\n%s", strings.Join(env.Printed("front"), "\n----\n"))
		}
	})

	t.Run("a platform call that keeps failing shows with its reason and a retry", func(t *testing.T) {
		b := b.in(t)
		b.do(chromedp.Evaluate[chromedp.Void](`location.hash = '#orders'`))
		env.Fake.SetFault("statusOperation", fake.Fault{Kind: fake.FaultCode500})
		o := teaOrder(env, order.TypePickup, "")
		b.wait("card", `document.querySelector(`+jsString(cardSel(o.Code)+` [data-act="accept"]`)+`) !== null`, 5*time.Second)
		b.click(cardSel(o.Code) + ` [data-act="accept"]`)
		b.wait("status bar says the platform fails", `document.getElementById('status-warnings').innerText.includes('平台调用失败')`, 10*time.Second)
		b.do(chromedp.Evaluate[chromedp.Void](`location.hash = '#platform'`))
		b.wait("failing call", `[...document.querySelectorAll('#calls-body tr[data-call]')].some((r) => r.innerText.includes('接单') && r.innerText.includes('重试中'))`, 5*time.Second)
		b.wait("polls", `document.querySelectorAll('#polls-body tr').length > 0 && document.querySelectorAll('#platform-kpis .kpi').length === 4`, 5*time.Second)
		b.shot("09-platform")
		b.click(`#calls-body [data-retry]`)
		b.wait("retry answered", `[...document.querySelectorAll('.toast.ok')].some((e) => e.innerText.includes('已安排重试'))`, 5*time.Second)
		env.Fake.ClearFaults()
		waitOp(t, env, o.Code, "3")
		b.wait("no failing call", `document.querySelectorAll('#calls-body tr[data-call]').length === 0`, 20*time.Second)
	})

	t.Run("platform and today", func(t *testing.T) {
		b := b.in(t)
		b.do(chromedp.Evaluate[chromedp.Void](`location.hash = '#today'`))
		b.wait("today's orders", `document.querySelectorAll('#today-chart rect').length > 0 && document.querySelector('#today-kpis .kpi b').textContent === '9'`, 5*time.Second)
		b.shot("10-today")
		b.do(chromedp.Evaluate[chromedp.Void](`location.hash = '#orders'`))
	})

	t.Run("tablet", func(t *testing.T) {
		b := b.in(t)
		b.do(chromedp.EmulateViewport(1024, 768))
		b.wait("layout", `document.querySelector('.view-orders').offsetWidth <= 1024`, 3*time.Second)
		b.shot("11-tablet")
		b.do(chromedp.EmulateViewport(1366, 768))
	})

	t.Run("disconnected banner when the daemon stops", func(t *testing.T) {
		b := b.in(t)
		stopped = true
		if err := env.Stop(); err != nil {
			t.Fatal(err)
		}
		b.wait("offline banner", `document.getElementById('offline-banner') !== null`, 10*time.Second)
		b.shot("12-disconnected")

		// The daemon comes back on the same address: the page reconnects by
		// itself and live orders flow again.
		opts := harness.Options{Accept: "mode: manual"}
		again, err := harness.Prepare(t.TempDir(), opts)
		if err != nil {
			t.Fatal(err)
		}
		again.Config.Console.Listen = env.Daemon.ConsoleAddr
		if err := again.Run(context.Background(), opts); err != nil {
			again.Close()
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = again.Stop() })
		b.wait("reconnected", `document.getElementById('offline-banner') === null && document.querySelector('.conn.up') !== null`, 15*time.Second)
		o := teaOrder(again, order.TypePickup, "")
		b.wait("live order after the restart", `document.querySelector(`+jsString(cardSel(o.Code))+`) !== null`, 5*time.Second)
	})
	b.noJSErrors()
}

func lastOp(env *harness.Env, code string) fake.Operation {
	s, ok := env.Fake.Order(code)
	if !ok || len(s.Operations) == 0 {
		return fake.Operation{}
	}
	return s.Operations[len(s.Operations)-1]
}

// lanAddress is this machine's first non-loopback IPv4 address: a browser
// connecting to it is, for the console, a client on the store's LAN.
// netnsEnv marks the test process that runs inside the network namespace
// lanNamespace made.
const netnsEnv = "POSBRIDGE_TEST_IN_NETNS"

// lanNamespace gives a test a non-loopback IPv4 address without touching the
// machine's interfaces: the test runs again (this binary, this test only)
// under `unshare -n`, in a network namespace of its own, where its loopback
// interface also gets 10.87.0.2. In the parent it waits for that run and reports
// it (ok false: the test is done); inside it returns the address.
func lanNamespace(t *testing.T) (ip string, ok bool) {
	t.Helper()
	if os.Getenv(netnsEnv) == "1" {
		// On the namespace's own loopback interface: no kernel module needed
		// (a dummy or veth link may not exist in a container), and 10.87.0.2
		// is not a loopback address, so the console sees a LAN client.
		for _, args := range [][]string{
			{"link", "set", "lo", "up"},
			{"addr", "add", "10.87.0.2/24", "dev", "lo"},
		} {
			if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
				t.Fatalf("ip %s in the test's namespace: %v: %s", strings.Join(args, " "), err, out)
			}
		}
		return "10.87.0.2", true
	}
	unshare, err := exec.LookPath("unshare")
	_, ipErr := exec.LookPath("ip")
	if err == nil && ipErr == nil && os.Geteuid() != 0 {
		err = errors.New("a network namespace needs root")
	} else if err == nil {
		err = ipErr
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the LAN console test runs in a network namespace of its own: %v (scripts/ci-deps.sh installs unshare and ip)", err)
		}
		t.Skipf("the LAN console test needs its own network namespace: %v", err)
	}
	cmd := exec.Command(unshare, "-n", "--", os.Args[0], "-test.run", "^"+t.Name()+"$", "-test.count", "1", "-test.v")
	cmd.Env = append(os.Environ(), netnsEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("in a network namespace of its own:\n%s", out)
	if err != nil {
		t.Fatalf("the run in the network namespace failed: %v", err)
	}
	if !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatal("the run in the network namespace did not pass the test")
	}
	return "", false
}

// A console listening on the LAN refuses a browser without the PIN, rate
// limits nothing yet for one wrong try, and once logged in the page works:
// its state-changing calls carry the session's CSRF token.
func TestConsoleOnLANNeedsThePin(t *testing.T) {
	ip, inside := lanNamespace(t)
	if !inside {
		return
	}
	b := newBrowser(t)
	opts := harness.Options{Accept: "mode: manual", Console: `pin: "2468"`}
	env, err := harness.Prepare(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	env.Config.Console.Listen = net.JoinHostPort(ip, "0")
	if err := env.Run(context.Background(), opts); err != nil {
		env.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	base := "http://" + env.Daemon.ConsoleAddr

	resp, err := http.Get(base + "/api/orders")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("LAN API call without a session: HTTP %d, want 401", resp.StatusCode)
	}

	b.do(chromedp.Navigate(base + "/"))
	b.wait("login page", `location.pathname === '/login' && document.getElementById('pin') !== null`, 10*time.Second)
	if status := eval[int](b, `fetch('/api/orders').then((r) => r.status)`, chromedp.EvalAwaitPromise); status != http.StatusUnauthorized {
		t.Errorf("the page's own API call without the PIN: HTTP %d, want 401", status)
	}
	b.shot("13-lan-login")
	b.do(chromedp.SendKeys(chromedp.ID("pin"), "1357"))
	b.click(".login-submit")
	b.wait("wrong PIN message", `(document.querySelector('.login-error') || {}).textContent === 'PIN 不正确，还可以再试 4 次'`, 5*time.Second)
	b.click(`.keypad [data-key="2"]`)
	b.click(`.keypad [data-key="4"]`)
	b.click(`.keypad [data-key="6"]`)
	b.click(`.keypad [data-key="8"]`)
	b.click(".login-submit")
	b.wait("console after login", `location.pathname === '/' && !document.getElementById('start-overlay').hidden && document.querySelector('.conn.up') !== null`, 10*time.Second)
	b.click("#start-btn")
	if visible := eval[bool](b, `!document.getElementById('logout-btn').hidden`); !visible {
		t.Error("no 退出 button in a PIN session")
	}

	o := teaOrder(env, order.TypePickup, "")
	b.wait("new order card", `document.querySelector(`+jsString(cardSel(o.Code)+` [data-act="accept"]`)+`) !== null`, 5*time.Second)
	b.click(cardSel(o.Code) + ` [data-act="accept"]`)
	waitOp(t, env, o.Code, "3")

	b.click("#logout-btn")
	b.wait("back at the login page", `location.pathname === '/login'`, 5*time.Second)
	if status := eval[int](b, `fetch('/api/orders').then((r) => r.status)`, chromedp.EvalAwaitPromise); status != http.StatusUnauthorized {
		t.Errorf("API after logout: HTTP %d, want 401", status)
	}
	b.noJSErrors()
}

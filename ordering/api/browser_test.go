package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/ordering/orders"

	"github.com/posbridge/posbridge/internal/browsertest"
)

// phone is a headless Chromium tab in a phone's viewport (360 × 740,
// touch, mobile) on the ordering listener.
type phone struct {
	t     *testing.T
	ctx   context.Context
	shots string
	mu    sync.Mutex
	errs  []string
}

func chromium(t *testing.T) string { return browsertest.Chromium(t, "the phone page tests") }

func newPhone(t *testing.T, extra ...chromedp.ExecAllocatorOption) *phone {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(360, 740),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true), chromedp.Flag("lang", "zh-CN"),
	}
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	dir := os.Getenv("POSBRIDGE_TEST_OUT")
	if dir == "" {
		dir = filepath.Join("..", "..", "testout")
	}
	dir = filepath.Join(dir, "screenshots", "phone")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &phone{t: t, ctx: ctx, shots: dir}
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			msg := "?"
			if d := ev.ExceptionDetails; d != nil {
				msg = fmt.Sprintf("%s at %s:%d", d.Text, d.URL, d.LineNumber+1)
				if d.Exception != nil {
					msg += ": " + d.Exception.Description
				}
			}
			p.mu.Lock()
			p.errs = append(p.errs, msg)
			p.mu.Unlock()
		}
	}()
	p.do(chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	return p
}

func (p *phone) jsErrors() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.errs) == 0 {
		return ""
	}
	return "\npage exceptions:\n" + strings.Join(p.errs, "\n")
}

func (p *phone) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v%s", err, p.jsErrors())
	}
}

func evalJS[T any](p *phone, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v%s", js, err, p.jsErrors())
	}
	return v
}

// wait polls a condition; a navigation restarts the poll.
func (p *phone) wait(what, js string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		_, err = chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(left), chromedp.WithPollingInterval(50*time.Millisecond)))
		if err == nil || p.ctx.Err() != nil || !(strings.Contains(err.Error(), "navigated") || strings.Contains(err.Error(), "context was destroyed") || strings.Contains(err.Error(), "Cannot find context")) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		p.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		p.t.Fatalf("waiting for %s (%s): %v%s", what, js, err, p.jsErrors())
	}
}

func (p *phone) click(css string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	// centre it first: the fixed cart bar must not take the tap
	_ = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(document.querySelector(`+quoteJS(css)+`)||{scrollIntoView(){}}).scrollIntoView({block:'center'})`))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		p.shot("failed-click")
		p.t.Fatalf("click %s: %v%s", css, err, p.jsErrors())
	}
}

func (p *phone) shot(name string) {
	p.t.Helper()
	_ = chromedp.Do(p.ctx, chromedp.Sleep(300*time.Millisecond))
	buf, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(p.shots, name+".png"), buf, 0o644); err != nil {
		p.t.Error(err)
	}
}

func (p *phone) text(css string) string {
	return evalJS[string](p, `(document.querySelector(`+quoteJS(css)+`)||{innerText:''}).innerText`)
}

func quoteJS(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// fitsPhone: nothing is wider than the 360 px screen.
func (p *phone) fitsPhone(where string) {
	p.t.Helper()
	if w := evalJS[float64](p, `document.documentElement.scrollWidth`); w > 360 {
		p.t.Errorf("%s: the page is %v px wide on a 360 px screen", where, w)
	}
}

// A customer at table A1 orders a large milk tea with pearls and a set
// meal, sees the total from calc-fee, orders, and follows the order: take
// code and its barcode, 制作中 within two seconds of the accept, then a
// second order the store rejects shows 商家已取消 with the reason.
func TestPhoneOrdersEndToEnd(t *testing.T) {
	r := newRig(t, "", nil)
	p := newPhone(t)
	p.do(chromedp.Navigate(r.http.URL + "/?rid=1&tid=1&ver=1"))
	p.wait("menu", `document.querySelectorAll('.item').length === 6`, 10*time.Second)
	if got := p.text("#where"); !strings.Contains(got, "A1") || !strings.Contains(got, "堂食") {
		t.Errorf("header: %q", got)
	}
	p.fitsPhone("menu")
	p.shot("01-menu")

	p.click(`.item[data-product="101"] button.add`)
	p.wait("options", `!document.getElementById('sheet').hidden`, 3*time.Second)
	p.do(chromedp.Evaluate[chromedp.Void](`Array.from(document.querySelectorAll('#sheet-options .chip')).find(b => b.textContent.startsWith('大杯')).click()`))
	p.do(chromedp.Evaluate[chromedp.Void](`Array.from(document.querySelectorAll('#sheet-options .chip')).find(b => b.textContent.startsWith('加珍珠')).click()`))
	p.click("#sheet-plus")
	p.wait("line price", `document.getElementById('sheet-price').textContent === '￥34.00'`, 3*time.Second)
	p.shot("02-options")
	p.click("#sheet-add")

	p.click(`.item[data-product="301"] button.add`)
	p.wait("set meal", `!document.getElementById('sheet').hidden`, 3*time.Second)
	p.click("#sheet-add") // the optional group is not chosen yet
	p.wait("choose two", `document.getElementById('sheet-error').textContent.includes('要选 2 样')`, 3*time.Second)
	p.do(chromedp.Evaluate[chromedp.Void](`['珍珠奶茶','满杯百香果'].forEach(n => Array.from(document.querySelectorAll('#sheet-options .chip')).find(b => b.textContent.startsWith(n)).click())`))
	p.wait("set price", `document.getElementById('sheet-price').textContent === '￥38.00'`, 3*time.Second)
	p.click("#sheet-add")
	p.wait("cart bar", `!document.getElementById('cartbar').hidden && document.getElementById('cart-count').textContent === '3'`, 3*time.Second)

	p.click("#go")
	p.wait("totals", `document.querySelector('#totals dd.total') && !document.getElementById('submit').disabled`, 5*time.Second)
	// 34 + 38 = 72, less the menu's 满50减5: the server's calc-fee says so
	if got, totals := p.text("#totals dd.total"), p.text("#totals"); got != "￥67.00" || !strings.Contains(totals, "满50减5") {
		t.Errorf("total %q, want ￥67.00 with 满50减5:\n%s", got, totals)
	}
	p.fitsPhone("checkout")
	p.shot("03-checkout")
	p.do(chromedp.SendKeys(chromedp.ID("remark"), "少冰"))
	p.click("#submit")
	p.wait("status page", `document.getElementById('take-code') && document.getElementById('take-code').textContent === '5001'`, 5*time.Second)
	if got := p.text("#state"); !strings.Contains(got, "等待商家确认") {
		t.Errorf("status %q", got)
	}
	if !evalJS[bool](p, `!!document.querySelector('.take img[src^="data:image/png"]')`) {
		t.Error("no barcode of the take code")
	}
	p.fitsPhone("status")
	p.shot("04-placed")
	list, _ := r.db.OrderingOrdersAtTable(t.Context(), 1, 1, wednesdayNoon.Add(-time.Hour), "")
	if len(list) != 1 {
		t.Fatalf("orders stored: %d", len(list))
	}
	rec, _ := orders.Decode(list[0].OrderJSON)
	if rec.Remark != "少冰" || rec.CustomerCount != 4 || int64(rec.TotalFee) != int64(evalMoney(p.text("#order-total"))) {
		t.Errorf("stored: remark %q, people %d, total %d", rec.Remark, rec.CustomerCount, rec.TotalFee)
	}

	start := time.Now()
	r.srv.SetStatus(t.Context(), list[0].ID, orders.Preparing, "", orders.Awaiting)
	p.wait("preparing", `document.getElementById('state').textContent.startsWith('制作中')`, 2*time.Second)
	t.Logf("制作中 on the phone %v after the accept", time.Since(start).Round(time.Millisecond))
	r.srv.SetStatus(t.Context(), list[0].ID, orders.Ready, "")
	p.wait("ready", `document.getElementById('state').textContent.includes('马上为您上桌')`, 2*time.Second)
	p.shot("05-ready")

	// a reload keeps following the order (its token is in localStorage)
	p.do(chromedp.Reload())
	p.wait("status after reload", `document.getElementById('take-code') && document.getElementById('state').textContent.startsWith('制作完成')`, 5*time.Second)

	p.click("#status button.primary") // 继续点单
	p.wait("menu again", `!document.getElementById('menu').hidden && document.querySelectorAll('.item').length === 6`, 5*time.Second)
	p.click(`.item[data-product="105"] button.add`)
	p.click("#sheet-add")
	p.click("#go")
	p.wait("totals 2", `!document.getElementById('submit').disabled`, 5*time.Second)
	p.click("#submit")
	p.wait("second order", `document.getElementById('take-code') && document.getElementById('take-code').textContent === '5002'`, 5*time.Second)
	list, _ = r.db.OrderingOrdersAtTable(t.Context(), 1, 1, wednesdayNoon.Add(-time.Hour), "")
	r.srv.SetStatus(t.Context(), list[0].ID, orders.Rejected, "蛋挞今天卖完了，抱歉。")
	p.wait("rejected", `document.getElementById('state').textContent === '商家已取消' && document.getElementById('state-note').textContent.includes('卖完了')`, 2*time.Second)
	p.shot("06-rejected")
	if e := p.jsErrors(); e != "" {
		t.Error(e)
	}
}

func evalMoney(s string) int {
	var y, f int
	fmt.Sscanf(strings.TrimPrefix(s, "￥"), "%d.%d", &y, &f)
	return y*100 + f
}

// A closed store and an old sticker: the page says so and offers no
// ordering; the server refuses anyway (TestCreateRecomputesAndRefuses).
func TestPhoneClosedStoreAndOldSticker(t *testing.T) {
	r := newRig(t, "", nil)
	r.clock.set(time.Date(2026, 12, 2, 23, 0, 0, 0, cst))
	p := newPhone(t)
	p.do(chromedp.Navigate(r.http.URL + "/?rid=1&tid=-2&ver=1"))
	p.wait("closed notice", `document.getElementById('notice').textContent.includes('不在营业时间')`, 10*time.Second)
	if !evalJS[bool](p, `Array.from(document.querySelectorAll('.item button.add')).every(b => b.disabled)`) {
		t.Error("ordering is offered while closed")
	}
	p.shot("07-closed")

	r.clock.set(wednesdayNoon)
	p.do(chromedp.Navigate(r.http.URL + "/?rid=1&tid=1&ver=0"))
	p.wait("void sticker", `!document.getElementById('blocked').hidden && document.getElementById('blocked').textContent.includes('二维码已失效')`, 10*time.Second)
	if evalJS[bool](p, `!document.getElementById('menu').hidden`) {
		t.Error("the menu shows under a void sticker")
	}
	p.shot("08-old-sticker")
	p.do(chromedp.Navigate(r.http.URL + "/?rid=1&tid=77&ver=1"))
	p.wait("unknown table", `document.getElementById('blocked').textContent.includes('二维码无效')`, 10*time.Second)
}

// The page keeps the Idempotency-Key until it has the reply: reloaded
// while the reply never came, it sends the same create again and gets the
// same order — one order, not two.
func TestPhoneResendsAnUnansweredCreateOnce(t *testing.T) {
	r := newRig(t, "", nil)
	// The first create is carried out and its reply lost: the connection
	// then hangs, as over a dead network, until the page gives up on it.
	release := make(chan struct{})
	var dropped atomic.Bool
	lossy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == "POST" && strings.HasPrefix(req.URL.Path, prefix+"orders") && !strings.Contains(req.URL.Path, "calc") &&
			dropped.CompareAndSwap(false, true) {
			r.srv.ServeHTTP(httptest.NewRecorder(), req)
			select {
			case <-release:
			case <-req.Context().Done():
			}
			return
		}
		r.srv.ServeHTTP(w, req)
	}))
	t.Cleanup(func() { close(release); lossy.Close() })
	p := newPhone(t)
	p.do(chromedp.Navigate(lossy.URL + "/?rid=1&tid=1&ver=1"))
	p.wait("menu", `document.querySelectorAll('.item').length === 6`, 10*time.Second)
	p.click(`.item[data-product="104"] button.add`)
	p.click("#sheet-add")
	p.click("#go")
	p.wait("totals", `!document.getElementById('submit').disabled`, 5*time.Second)
	p.click("#submit")
	p.wait("create sent", `document.getElementById('submit').textContent === '正在提交…'`, 3*time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for {
		list, _ := r.db.OrderingOrdersAtTable(t.Context(), 1, 1, wednesdayNoon.Add(-time.Hour), "")
		if len(list) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the create never reached the store")
		}
		time.Sleep(20 * time.Millisecond)
	}
	pending := evalJS[string](p, `localStorage.getItem('pb-pending-1') || ''`)
	if !strings.Contains(pending, `"key"`) {
		t.Fatalf("no pending create kept: %q", pending)
	}
	p.do(chromedp.Reload()) // the reply is lost with the page
	p.wait("same order", `document.getElementById('take-code') && document.getElementById('take-code').textContent === '5001'`, 10*time.Second)
	list, _ := r.db.OrderingOrdersAtTable(t.Context(), 1, 1, wednesdayNoon.Add(-time.Hour), "")
	if len(list) != 1 {
		t.Fatalf("%d orders: the resend created another", len(list))
	}
	if evalJS[string](p, `localStorage.getItem('pb-pending-1') || ''`) != "" {
		t.Error("the pending create is still kept after its reply")
	}
}

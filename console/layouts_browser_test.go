package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
)

// Receipt layouts from the console: the preview follows each change, a
// saved layout is in the settings layer and the next order prints with it
// (a 商家联 turned on, the customer's QR code off), and a broken layout is
// refused with its reason.
func TestReceiptLayoutsFromTheConsole(t *testing.T) {
	b := newBrowser(t)
	env := startEnv(t, harness.Options{})
	b.do(chromedp.Navigate(env.ConsoleURL + "/#printers"))
	b.click("#start-btn")
	b.click("#layouts-btn")
	b.wait("preview of 顾客联", `(document.getElementById('layout-preview')?.dataset.text || '').includes('[二维码:')`, 10*time.Second)

	// 顾客联: a header, no QR code; the preview follows.
	b.do(chromedp.SendKeys(`#layout-form [data-layout="header"]`, "开业大吉 全场九折"))
	b.click(`#layout-form [data-field-toggle="qr"]`)
	b.wait("preview with the header and without the QR", `(() => { const t = document.getElementById('layout-preview').dataset.text || '';
		return t.includes('开业大吉 全场九折') && !t.includes('[二维码:') && t.includes('[条码:'); })()`, 10*time.Second)
	b.shot("34-layout-customer")

	// 商家联: one copy, a footer.
	b.click(`.layout-tabs [data-doc="merchant"]`)
	b.wait("商家联 form", `document.getElementById('layout-preview')?.dataset.doc === 'merchant'`, 10*time.Second)
	b.do(clearInput(`#layout-form [data-layout="copies"]`))
	b.do(chromedp.SendKeys(`#layout-form [data-layout="copies"]`, "1"))
	b.do(chromedp.SendKeys(`#layout-form [data-layout="footer"]`, "存根联 请留存"))
	b.wait("商家联 preview", `(document.getElementById('layout-preview')?.dataset.text || '').includes('存根联 请留存')`, 10*time.Second)

	// 后厨联: extra-large items, no order code.
	b.click(`.layout-tabs [data-doc="kitchen"]`)
	b.wait("后厨联 preview", `document.getElementById('layout-preview')?.dataset.doc === 'kitchen' && (document.getElementById('layout-preview')?.dataset.text || '').includes('厨打')`, 10*time.Second)
	b.click(`#layout-form [data-field-toggle="code"]`)
	b.wait("后厨联 without the code", `!(document.getElementById('layout-preview')?.dataset.text || '').includes('订单号')`, 10*time.Second)
	b.shot("35-layout-kitchen")
	b.click("#confirm-ok")
	b.wait("saved", `document.getElementById('modal-backdrop').hidden`, 10*time.Second)

	layer := settingsOnDisk(t, env)
	for _, want := range []string{"layouts:", "header: 开业大吉 全场九折", "footer: 存根联 请留存", "hide: [qr]", "hide: [code]"} {
		if !strings.Contains(layer, want) {
			t.Fatalf("settings layer lacks %q:\n%s", want, layer)
		}
	}

	// The next order prints with them: two receipts on the receipt printer.
	o := teaOrder(env, order.TypePickup, "")
	front := env.Printers["front"]
	if !front.WaitJobs(2, 15*time.Second) {
		t.Fatalf("the receipt printer printed %d jobs for %s, want the 顾客联 and the 商家联", len(front.Jobs()), o.Code)
	}
	var customer, merchant bool
	for _, j := range front.Jobs() {
		txt := decodeText(j)
		switch {
		case strings.Contains(txt, "开业大吉 全场九折") && !strings.Contains(txt, "[二维码:"):
			customer = true
		case strings.Contains(txt, "商家联") && strings.Contains(txt, "存根联 请留存"):
			merchant = true
		}
	}
	if !customer || !merchant {
		t.Fatalf("receipts printed: customer %v merchant %v", customer, merchant)
	}

	// A broken layout is refused with its reason.
	b.click("#layouts-btn")
	b.wait("editor again", `(document.getElementById('layout-preview')?.dataset.text || '').length > 0`, 10*time.Second)
	b.do(clearInput(`#layout-form [data-layout="copies"]`))
	b.do(chromedp.SendKeys(`#layout-form [data-layout="copies"]`, "9"))
	b.click("#confirm-ok")
	b.wait("refusal", `(() => { const e = document.querySelector('.modal-error'); return e && e.textContent.includes('layouts.customer.copies'); })()`, 10*time.Second)
	b.shot("36-layout-refused")
	if after := settingsOnDisk(t, env); after != layer {
		t.Fatalf("a refused layout changed the layer:\n%s", after)
	}
	b.noJSErrors()
}

// decodeText is what a printer printed, as the virtual printer decodes it.
func decodeText(job []byte) string { return printer.Decode("escpos", job).Text() }

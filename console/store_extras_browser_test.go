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

// What the rest of the 开个店 store shows staff, in a real browser against
// the real daemon: the courier of a delivery push on the board, a cancelled
// waybill flagged on its row, 部分退款 and 备餐提醒 on their orders, and the
// courier company and waybill number staff enter when they deliver
// themselves reaching the platform's deliveryInfo.
func TestStoreExtrasInBrowser(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{})
	t.Cleanup(func() { _ = env.Stop() })
	del := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypeDelivery, Menu: "restaurant"})
	pick := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypePickup, Menu: "tea"})
	self := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypeDelivery, Menu: "restaurant"})
	for _, o := range []order.Order{del, pick, self} {
		if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	b.do(chromedp.Navigate(env.ConsoleURL + "/#orders"))
	b.wait("start overlay", `!document.getElementById('start-overlay').hidden`, 10*time.Second)
	b.click("#start-btn")
	b.click(`[data-tab="making"]`)
	row := func(code string) string { return `.orow[data-code="` + code + `"]` }
	rowText := func(code string) string {
		return `(document.querySelector(` + jsString(row(code)) + `) || {innerText: ''}).innerText`
	}

	if err := env.Fake.Deliver(del.Code, fake.DeliveryEvent{Status: 2, RiderName: "王明艳", RiderPhone: "18260253511", ChannelCode: "MeiTuan", ChannelName: "美团"}); err != nil {
		t.Fatal(err)
	}
	b.wait("courier on the board", rowText(del.Code)+`.includes('美团 骑手 王明艳 182****3511 · 已分配骑手')`, 10*time.Second)
	if err := env.Fake.Deliver(del.Code, fake.DeliveryEvent{Status: 8, CancelReasonID: 1, ChannelCode: "MeiTuan", ChannelName: "美团"}); err != nil {
		t.Fatal(err)
	}
	b.wait("cancelled waybill flagged", `document.querySelector(`+jsString(row(del.Code))+`).classList.contains('is-delivery-alert') && `+
		rowText(del.Code)+`.includes('运单已取消（没有配送员接单）')`, 10*time.Second)
	b.wait("alert bar", `document.getElementById('status-alert').innerText.includes('运单已取消')`, 5*time.Second)

	if err := env.Fake.PartialRefund(pick.Code); err != nil {
		t.Fatal(err)
	}
	if err := env.Fake.RemindPrepare(pick.Code); err != nil {
		t.Fatal(err)
	}
	b.wait("部分退款 and 备餐提醒 on the row", rowText(pick.Code)+`.includes('部分退款') && `+rowText(pick.Code)+`.includes('备餐提醒')`, 20*time.Second)
	b.shot("kgd19-board-courier-refund-remind")
	b.click(row(pick.Code))
	b.wait("drawer says where the amount is", `document.getElementById('drawer-body').innerText.includes('部分退款（退款金额与商品请在开个店后台查看）')`, 10*time.Second)
	b.wait("drawer shows the reminder", `document.querySelector('.section-extras').innerText.includes('备餐提醒')`, 5*time.Second)
	// The slips as printed, decoded from the bytes the printers got.
	b.wait("部分退款 slip preview", `[...document.querySelectorAll('#drawer-body .doc[data-doc="partial_refund"]')].some((d) => d.innerText.includes('退款金额与退款商品请在开个店后台查看'))`, 10*time.Second)
	b.wait("备餐提醒 slip preview", `[...document.querySelectorAll('#drawer-body .doc[data-doc="reminder"]')].some((d) => d.innerText.includes('请尽快备餐'))`, 10*time.Second)
	b.shot("kgd19-drawer-slips")
	b.click("#drawer-close")

	// Staff deliver the third order themselves.
	b.click(row(self.Code))
	b.wait("deliver button", `document.querySelector('#drawer-body [data-act="deliver"]') !== null`, 10*time.Second)
	b.click(`#drawer-body [data-act="deliver"]`)
	b.wait("courier form", `document.getElementById('courier-channel') !== null`, 5*time.Second)
	b.do(chromedp.SendKeys("#courier-name", "张三"), chromedp.SendKeys("#courier-phone", "13912345678"),
		chromedp.SetValue("#courier-channel", "DaDa"), chromedp.SendKeys("#courier-no", "DD20261202001"), chromedp.SendKeys("#courier-remark", "放前台"))
	b.shot("kgd19-courier-form")
	b.click(`#modal .btn-brand`)
	waitOp(t, env, self.Code, "4")
	snap, _ := env.Fake.Order(self.Code)
	var info string
	for _, op := range snap.Operations {
		if op.Delivery != nil {
			info = op.Delivery.ContactsName + "|" + op.Delivery.Mobile + "|" + op.Delivery.ExpressChannelCode + "|" +
				op.Delivery.ExpressChannelName + "|" + op.Delivery.ExpressNo + "|" + op.Delivery.Remark
		}
	}
	if info != "张三|13912345678|DaDa|达达|DD20261202001|放前台" {
		t.Fatalf("deliveryInfo the platform got: %q", info)
	}
	b.wait("drawer shows the staff courier", `document.querySelector('.section-extras') && document.querySelector('.section-extras').innerText.includes('DD20261202001')`, 10*time.Second)
	text := eval[string](b, `document.querySelector('.section-extras').innerText`)
	if !strings.Contains(text, "达达") || !strings.Contains(text, "139****5678") {
		t.Fatalf("courier section:\n%s", text)
	}
	b.shot("kgd19-drawer-staff-courier")
	b.noJSErrors()
}

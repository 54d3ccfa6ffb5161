package console_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// 围餐 at the counter, in a real browser against the real daemon and the
// fake 开个店: staff add a noodle and a fried rice to a table's order (the
// platform gets updateOrderItem with the new lines by thirdOrderCode,
// orderClient 19; the kitchen prints 加菜 for what was added), then settle
// it with a 5.00 discount (payAfterSyncOrderInfo with the amounts in fen).
func TestTableOrderEditAndSettleInBrowser(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{})
	t.Cleanup(func() { _ = env.Stop() })
	noodle := order.Item{Seq: 1, ProductID: "138418632407492001", ThirdProductID: "R2001", Name: "红烧牛肉面", Price: 2800, Quantity: 1, Unit: "碗", ProductType: 1}
	rice := order.Item{Seq: 1, ProductID: "138418632407492004", ThirdProductID: "R2004", Name: "扬州炒饭", Price: 2200, Quantity: 1, Unit: "份", ProductType: 1}
	other := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypePickup, Items: []order.Item{rice}})
	o := env.Fake.NewOrder(fake.OrderSpec{Channel: kaigedian.OrderClientTableDining, Type: order.TypeDineIn, Items: []order.Item{noodle}})
	for _, x := range []order.Order{other, o} {
		if _, err := env.WaitStatus(x.Code, order.StatusAccepted, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.WaitJobsDone(o.Code, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(env.ConsoleURL + "/#orders"))
	b.wait("start overlay", `!document.getElementById('start-overlay').hidden`, 10*time.Second)
	b.click("#start-btn")
	b.click(`[data-tab="making"]`)
	b.wait("row", `document.querySelector('.orow[data-code="`+o.Code+`"]') !== null`, 10*time.Second)
	b.click(`.orow[data-code="` + o.Code + `"]`)
	b.wait("table buttons", `document.querySelector('#drawer-body [data-act="table-items"]') !== null`, 10*time.Second)
	b.click(`#drawer-body [data-act="table-items"]`)
	b.wait("editor", `document.querySelector('#modal [data-more="0"]') !== null && document.querySelectorAll('#table-add option').length > 1`, 10*time.Second)
	b.click(`#modal [data-more="0"]`)
	eval[bool](b, `(() => { const s = document.getElementById('table-add'); s.value = [...s.options].find((x) => x.text.includes('扬州炒饭')).value; s.dispatchEvent(new Event('change')); return true; })()`)
	b.wait("total", `document.getElementById('table-total').innerText.includes('￥78.00')`, 5*time.Second)
	b.shot("kgd19-table-edit")
	b.click("#confirm-ok")
	if !harness.WaitFor(10*time.Second, func() bool {
		snap, _ := env.Fake.Order(o.Code)
		for _, op := range snap.Operations {
			if op.Path == kaigedian.PathUpdateOrderItem && op.OrderClient == "19" && len(op.Items) == 2 &&
				op.Items[0].ThirdProductID == "R2001" && op.Items[0].Quantity == 2 && op.Items[1].ThirdProductID == "R2004" {
				return true
			}
		}
		return false
	}) {
		snap, _ := env.Fake.Order(o.Code)
		t.Fatalf("platform operations: %+v", snap.Operations)
	}
	if !harness.WaitFor(10*time.Second, func() bool {
		return env.CountPrinted("kitchen", "加菜", "红烧牛肉面", "扬州炒饭") == 1
	}) {
		t.Fatalf("kitchen: %q", env.Printed("kitchen"))
	}

	// A dish added online: 加菜 on the kitchen ticket, as the drawer shows what the printer got.
	if err := env.Fake.AddOnline(o.Code, []fake.AddedLine{{Code: "R2006", Quantity: 2}}, true); err != nil {
		t.Fatal(err)
	}
	b.wait("加菜 in the drawer", `document.querySelector('.section-extras') && document.querySelector('.section-extras').innerText.includes('酸梅汤 ×2')`, 15*time.Second)
	b.wait("加菜 kitchen ticket preview", `[...document.querySelectorAll('#drawer-body .doc[data-doc="kitchen"]')].some((d) => d.innerText.includes('加菜') && d.innerText.includes('酸梅汤'))`, 15*time.Second)
	b.shot("kgd19-table-added-ticket")
	// The platform's detail, fetched again, has the dish: settle what the table had.
	if !harness.WaitFor(10*time.Second, func() bool { rec, _ := env.Order(o.Code); return rec.Detail != nil && len(rec.Detail.Items) == 3 }) {
		t.Fatal("the order's detail never got the dish added online")
	}
	b.wait("three lines in the drawer", `document.querySelectorAll('#drawer-body ul.items > li:not(.child)').length === 3`, 10*time.Second)
	b.wait("settle button", `document.querySelector('#drawer-body [data-act="table-settle"]') !== null`, 10*time.Second)
	b.click(`#drawer-body [data-act="table-settle"]`)
	b.wait("settle form", `document.getElementById('settle-discount') !== null`, 5*time.Second)
	b.do(chromedp.SendKeys("#settle-discount", "5"))
	b.wait("due", `document.getElementById('settle-due').innerText === '应收 ￥89.00'`, 5*time.Second)
	b.click("#confirm-ok")
	if !harness.WaitFor(10*time.Second, func() bool {
		snap, _ := env.Fake.Order(o.Code)
		for _, op := range snap.Operations {
			if st := op.Settlement; st != nil && st.Original == 9400 && st.Discount == 500 && st.ActualPay == 8900 && st.PayChannelName == "现金" {
				return true
			}
		}
		return false
	}) {
		snap, _ := env.Fake.Order(o.Code)
		t.Fatalf("platform operations: %+v", snap.Operations)
	}
	b.noJSErrors()
}

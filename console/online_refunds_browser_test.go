package console_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// paidOnlineOrder stores a scan-to-order order paid ￥25.00 through 钱方
// and the refund of it the provider refused, as the sweep leaves it.
func paidOnlineOrder(t *testing.T, db *store.DB) *store.OrderingOrder {
	t.Helper()
	ctx := context.Background()
	o, _, err := db.CreateOrderingOrder(ctx, store.NewOrderingOrder{Order: store.OrderingOrder{
		RestaurantID: 1, StoreID: "1862", TableID: -1, EatType: 2, Status: 0, PaidType: 2, BusinessDay: "2026-12-02",
		TotalFee: 2500, ViewTokenHash: "x", OrderJSON: "{}"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddOrderingPayment(ctx, store.OrderingPayment{OrderID: o.ID, Provider: "qf", TradeNo: "QF" + o.TradeNo, AmountFen: 2500}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.ApplyOrderingPayment(ctx, store.PaymentOutcome{TradeNo: "QF" + o.TradeNo, Paid: true, ProviderTradeNo: "20261202000100020001"}, "R-unused"); err != nil {
		t.Fatal(err)
	}
	if n, err := db.RefundOrderingOrder(ctx, o.ID, "rejected", func() string { return "R" + o.TradeNo }); err != nil || n != 1 {
		t.Fatalf("queue refund: %d %v", n, err)
	}
	refunds, _ := db.OrderingRefunds(ctx, o.ID)
	if err := db.SetOrderingRefund(ctx, refunds[0].ID, store.RefundFailed, "", "respcd 1155: refund refused", time.Time{}); err != nil {
		t.Fatal(err)
	}
	return o
}

// The refund of an order paid online, in the order drawer: 退款失败 with the
// provider's answer and what to do, a retry that puts it back under the same
// refund number (audited), 退款中 while the daemon sends it, then 已退款 —
// shown without reopening the drawer. An order not paid online shows no
// refund section; a retry of nothing is refused.
func TestOnlineRefundStateInTheDrawer(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{Accept: "mode: manual\nmanual_timeout: 10m"})
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	db := env.Daemon.DB

	paid := paidOnlineOrder(t, db)
	o := env.Fake.NewOrder(fake.OrderSpec{Code: paid.TradeNo, Type: order.TypeDelivery, Mobile: "13812345678",
		Items: []order.Item{{Seq: 1, ProductID: "p1", Name: "珍珠奶茶", Price: 2500, Quantity: 1}}})
	plain := teaOrder(env, order.TypePickup, "")

	b.do(chromedp.Navigate(env.ConsoleURL + "/"))
	b.wait("start overlay", `!document.getElementById('start-overlay').hidden`, 10*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("start-staff"), "小王"))
	b.click("#start-btn")
	b.wait("overlay gone", `document.getElementById('start-overlay').hidden`, 5*time.Second)

	// An order not paid online: no refund section.
	b.wait("plain card", `document.querySelector(`+jsString(cardSel(plain.Code)+` .dcard-top`)+`) !== null`, 8*time.Second)
	b.click(cardSel(plain.Code) + ` .dcard-top`)
	b.wait("drawer", `!document.getElementById('drawer').hidden && document.querySelector('#drawer-body .section') !== null`, 8*time.Second)
	time.Sleep(300 * time.Millisecond) // the refunds' read answers (empty)
	if shown := eval[bool](b, `(() => { const s = document.getElementById('online-refunds'); return !!s && !s.hidden; })()`); shown {
		t.Error("an order not paid online shows a refund section")
	}
	b.click("#drawer-close")

	// The refused refund: its state, the provider's answer, what to do, a retry.
	b.wait("paid card", `document.querySelector(`+jsString(cardSel(o.Code)+` .dcard-top`)+`) !== null`, 8*time.Second)
	b.click(cardSel(o.Code) + ` .dcard-top`)
	b.wait("refund failed", `(() => { const s = document.getElementById('online-refunds'); return !!s && !s.hidden &&
		s.innerText.includes('退款失败') && s.innerText.includes('￥25.00') && s.innerText.includes('钱还没有退给顾客') &&
		s.innerText.includes('respcd 1155') && document.getElementById('refund-retry') !== null; })()`, 8*time.Second)
	b.shot("online-refund-failed")
	b.click("#refund-retry")
	b.wait("refunding", `(() => { const s = document.getElementById('online-refunds'); return s.innerText.includes('退款中') &&
		s.innerText.includes('不会重复退款') && document.getElementById('refund-retry') === null; })()`, 8*time.Second)
	refunds, _ := db.OrderingRefunds(ctx, paid.ID)
	if len(refunds) != 1 || refunds[0].State != store.RefundPending || refunds[0].RefundNo != "R"+paid.TradeNo || refunds[0].NextAt.After(time.Now().Add(time.Second)) {
		t.Fatalf("after the retry: %+v", refunds)
	}
	audit, _ := db.AuditLog(ctx, 20)
	found := false
	for _, a := range audit {
		if a.Action == "online_refund_retry" && a.Actor == "staff:小王" {
			found = true
		}
	}
	if !found {
		t.Errorf("the retry is not in the audit log: %+v", audit)
	}
	// A second retry has nothing to retry.
	if code, _ := env.API(http.MethodPost, "/api/orders/"+o.Code+"/online-refunds/retry", map[string]any{}, nil); code != http.StatusConflict {
		t.Errorf("retry of a pending refund: HTTP %d, want 409", code)
	}
	if code, _ := env.API(http.MethodPost, "/api/orders/"+plain.Code+"/online-refunds/retry", map[string]any{}, nil); code != http.StatusNotFound {
		t.Errorf("retry of an order not paid online: HTTP %d, want 404", code)
	}

	// The provider made it: the open drawer says so by itself.
	if err := db.SetOrderingRefund(ctx, refunds[0].ID, store.RefundDone, "20261202000100020009", "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	b.wait("refunded", `document.getElementById('online-refunds').innerText.includes('已退款') &&
		document.getElementById('online-refunds').innerText.includes('已原路退回顾客 ￥25.00')`, 15*time.Second)
	var list struct {
		Refunds []struct {
			State string `json:"state"`
		} `json:"refunds"`
	}
	if code, err := env.API(http.MethodGet, "/api/orders/"+o.Code+"/online-refunds", nil, &list); code != 200 || err != nil || len(list.Refunds) != 1 || list.Refunds[0].State != "done" {
		t.Errorf("GET online-refunds: %d %v %+v", code, err, list)
	}
	b.noJSErrors()
}

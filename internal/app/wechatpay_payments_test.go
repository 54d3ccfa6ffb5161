package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/posbridge/posbridge/store"
)

// The sync learns of a WeChat payment from the order's paid attempt
// (checkout's table): its WeChat transaction and our trade number; a
// counter-paid order, or one whose attempt is still pending, has none.
func TestWeChatPaymentsReadTheCheckout(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "posbridge.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	place := func(key string, paidType int) *store.OrderingOrder {
		o, _, err := db.CreateOrderingOrder(ctx, store.NewOrderingOrder{
			Order: store.OrderingOrder{RestaurantID: 1, StoreID: "1862", TableID: -1, TableName: "外卖", EatType: 2, Status: 0,
				BusinessDay: "2026-12-02", TotalFee: 2800, ViewTokenHash: "h", OrderJSON: "{}", PaidType: paidType},
			IdemKey: key, BodyHash: key, TakeCode: true, TakeCodeStart: 5001,
		})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	p := weChatPayments{db}
	wx := place("k-wechat-0001", 2)
	if _, err := db.AddOrderingPayment(ctx, store.OrderingPayment{OrderID: wx.ID, Provider: "qf", TradeNo: "T20261202000001", AmountFen: 2800}); err != nil {
		t.Fatal(err)
	}
	if got, err := p.WeChatPayment(ctx, wx.TradeNo); err != nil || got != nil {
		t.Fatalf("a pending attempt: %+v %v, want none", got, err)
	}
	paidAt := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	if _, _, err := db.ApplyOrderingPayment(ctx, store.PaymentOutcome{TradeNo: "T20261202000001", Paid: true,
		ProviderTradeNo: "QF1", ChannelTxn: "4200000001202612020000000001", PaidAt: paidAt}, "R1"); err != nil {
		t.Fatal(err)
	}
	got, err := p.WeChatPayment(ctx, wx.TradeNo)
	if err != nil || got == nil || got.TransactionID != "4200000001202612020000000001" || got.OutTradeNo != "T20261202000001" || !got.PayTime.Equal(paidAt) {
		t.Fatalf("paid: %+v %v", got, err)
	}
	counter := place("k-counter-001", 1)
	if got, err := p.WeChatPayment(ctx, counter.TradeNo); err != nil || got != nil {
		t.Fatalf("a counter-paid order: %+v %v", got, err)
	}
	if got, err := p.WeChatPayment(ctx, "999999"); err != nil || got != nil {
		t.Fatalf("an unknown order: %+v %v", got, err)
	}
}

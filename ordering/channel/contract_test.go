package channel_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge/channeltest"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/channel"
	"github.com/posbridge/posbridge/ordering/hours"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/store"
)

// The scan-to-order channel keeps bridge's channel contract against its
// own tables in a real SQLite file: orders placed as the API places them.
func TestContract(t *testing.T) {
	m, err := menu.Parse(menu.Example())
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	channeltest.Run(t, func(t *testing.T) channeltest.Fixture {
		db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"), store.Options{SkipIntegrity: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		var fail atomic.Bool
		ch := channel.New(channel.Options{DB: db, BeforeSend: func() error {
			if fail.CompareAndSwap(true, false) {
				return errors.New("database is locked")
			}
			return nil
		}})
		n := 0
		place := func(t *testing.T) (string, string, []byte) {
			n++
			var req pricing.CalcFeeRequest
			pricing.Decode([]byte(`{"table_id": -2, "eat_type": 3, "products": [{"product": 101, "pu": 0, "qty": 1}]}`), &req)
			q, err := pricing.CalcFee(m, &req, pricing.Env{Schedule: hours.Schedule{Location: cst}, Now: time.Date(2026, 12, 2, 12, 0, 0, 0, cst)})
			if err != nil {
				t.Fatal(err)
			}
			rec := orders.FromQuote(q)
			o, _, err := db.CreateOrderingOrder(t.Context(), store.NewOrderingOrder{Order: store.OrderingOrder{RestaurantID: 1, StoreID: "1862",
				TableID: -2, TableName: "吧台等取", EatType: 3, Status: 1, BusinessDay: "2026-12-02", TotalFee: int64(q.TotalFee),
				ViewTokenHash: "h", OrderJSON: rec.Encode()}, TakeCode: true, TakeCodeStart: 5001})
			if err != nil {
				t.Fatal(err)
			}
			it := channel.Announce(o)
			return o.TradeNo, it.Kind, it.Body
		}
		status := func(t *testing.T, code string) order.Status {
			o, err := db.OrderingOrderByTradeNo(t.Context(), code)
			if err != nil {
				t.Fatal(err)
			}
			s, ok := ch.StatusOf(o.Status)
			if !ok {
				t.Fatalf("status %d", o.Status)
			}
			return s
		}
		return channeltest.Fixture{
			Channel: ch, Place: place, Status: status,
			CancelThere: func(t *testing.T, code string) {
				o, _ := db.OrderingOrderByTradeNo(t.Context(), code)
				db.SetOrderingStatus(t.Context(), o.ID, int(orders.UserCancel), "顾客取消")
			},
			RequestRefund: func(t *testing.T, code string) {}, // counter-paid: the refund is the store's decision alone
			FailNext:      func(t *testing.T) { fail.Store(true) },
		}
	})
}

package poller_test

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// Issue 13 item 14: a nextStartTimestamp in seconds (the lists' unit until
// 2019-05) is read as milliseconds, so the cursor moves and polling reads
// every page, not only the first.
func TestCursorInSecondsIsNormalised(t *testing.T) {
	if got := mustBatch(t, `{"total":1,"nextStartTimestamp":"1559201308","itemList":[]}`); got != 1559201308000 {
		t.Fatalf("batchQuery cursor in seconds read as %d", got)
	}
	if res, err := kaigedian.DecodeRefundOrdersBody([]byte(`{"total":"1","nextStartTimestamp":1559201308,"itemList":[]}`)); err != nil || res.NextStartTimestamp != 1559201308000 {
		t.Fatalf("queryRefundOrders cursor in seconds: %+v %v", res, err)
	}
	if got := mustBatch(t, `{"nextStartTimestamp":"1559201308000"}`); got != 1559201308000 {
		t.Fatalf("a cursor in ms is kept: %d", got)
	}

	env, err := harness.Prepare(t.TempDir(), harness.Options{PushDisabled: true, NoPrinters: true, Accept: "mode: manual",
		Fake: func(o *fake.Options) { o.CursorSeconds = true }})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	t0 := now.Add(-2 * time.Minute)
	if midnight := startOfDay(now); t0.Before(midnight.Add(time.Second)) {
		t0 = midnight.Add(time.Second)
	}
	const n = 35
	for i := range n {
		at := t0.Add(time.Duration(i) * 1500 * time.Millisecond)
		// Pickup orders: a delivery order's address is read through historyOrders.
		env.Fake.NewOrder(fake.OrderSpec{NoPush: true, UpdatedAt: at, CreatedAt: at, Type: order.TypePickup})
	}
	if err := env.Run(context.Background(), harness.Options{}); err != nil {
		t.Fatal(err)
	}
	defer env.Stop()
	if !harness.WaitFor(20*time.Second, func() bool {
		counts, _ := env.Daemon.DB.CountOrders(context.Background(), "")
		return counts[string(order.StatusNew)] == n
	}) {
		counts, _ := env.Daemon.DB.CountOrders(context.Background(), "")
		t.Fatalf("orders stored: %v, want %d new", counts, n)
	}
	// The cursor reaches the newest order's second by batchQuery alone: a
	// cursor left in seconds looked stuck, and every poll read the whole
	// day again through historyOrders.
	last := t0.Add(time.Duration(n-1) * 1500 * time.Millisecond).Truncate(time.Second).UnixMilli()
	if !harness.WaitFor(10*time.Second, func() bool {
		c, ok, _ := env.Daemon.DB.Cursor(context.Background(), "orders/1862")
		return ok && c >= last
	}) {
		c, _, _ := env.Daemon.DB.Cursor(context.Background(), "orders/1862")
		t.Fatalf("cursor %d never reached %d", c, last)
	}
	if calls := env.Fake.CallsTo("historyOrders"); len(calls) != 0 {
		t.Fatalf("%d historyOrders calls: the cursor looked stuck", len(calls))
	}
}

func mustBatch(t *testing.T, body string) int64 {
	t.Helper()
	res, err := kaigedian.DecodeBatchQueryBody([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return res.NextStartTimestamp
}

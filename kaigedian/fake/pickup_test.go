package fake_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
)

// Pickup numbers are unique per store and day: they go on after the ones
// already handed out today (a sandbox restarted at noon), each store counts
// on its own, and the next day starts at 1001 again.
func TestPickupNumbersUniquePerStoreAndDay(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
	r := newRig(t, func(o *fake.Options) {
		o.PickupUsed = map[string]int{"1862": 1003}
		o.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	})
	pick := func(store string) string {
		return r.p.NewOrder(fake.OrderSpec{StoreID: store, NoPush: true}).PickupNo
	}
	if got := []string{pick("1862"), pick("1862"), pick("1030")}; got[0] != "1004" || got[1] != "1005" || got[2] != "1001" {
		t.Fatalf("after a restart with 1003 used in 1862: %v, want 1004 1005 and 1001 in 1030", got)
	}
	mu.Lock()
	now = now.Add(24 * time.Hour)
	mu.Unlock()
	if got := pick("1862"); got != "1001" {
		t.Fatalf("the next day begins at %s, want 1001", got)
	}
}

// A customer who cancels gets a platform cancel while the order is new and,
// once the store accepted, a refund request the store decides: the stream
// the sandbox runs has cancels in auto mode as in manual mode.
func TestCustomerCancelBeforeAndAfterAccept(t *testing.T) {
	cancelled := func(accept bool) fake.OrderSnapshot {
		t.Helper()
		r := newRig(t, nil)
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		go func() {
			// One order at once, cancelled by its customer 75–300 ms later.
			_ = r.p.Run(ctx, fake.GeneratorOptions{Rate: 1.0 / 3600, FirstAfter: 10 * time.Millisecond, CancelRatio: 1,
				CancelAfter: 300 * time.Millisecond, Spec: fake.OrderSpec{NoPush: true}})
		}()
		var code string
		deadline := time.Now().Add(5 * time.Second)
		for code == "" && time.Now().Before(deadline) {
			if orders := r.p.Orders(); len(orders) > 0 {
				code = orders[0].Order.Code
			}
			time.Sleep(time.Millisecond)
		}
		if code == "" {
			t.Fatal("no order")
		}
		if accept { // as auto-accept does, within milliseconds
			if err := r.p.SetStatus(code, kaigedian.PlatformAccepted); err != nil {
				t.Fatal(err)
			}
		}
		for time.Now().Before(deadline) {
			s, _ := r.p.Order(code)
			if s.PlatformStatus == kaigedian.PlatformCancelled || s.RefundStatus == 1 {
				return s
			}
			time.Sleep(10 * time.Millisecond)
		}
		s, _ := r.p.Order(code)
		t.Fatalf("order %s never cancelled: status %d", code, s.PlatformStatus)
		return s
	}
	if s := cancelled(false); s.PlatformStatus != kaigedian.PlatformCancelled || s.CancelType != 2 {
		t.Errorf("cancel before accept: status %d cancelType %d, want 6 / 2", s.PlatformStatus, s.CancelType)
	}
	if s := cancelled(true); s.RefundStatus != 1 || s.RefundReason != "用户取消订单" {
		t.Errorf("cancel after accept: refund status %d reason %q, want a refund request", s.RefundStatus, s.RefundReason)
	}
}

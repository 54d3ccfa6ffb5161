package bridge_test

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// Issue 13 item 12: the refund poll announced a request first, staff
// refused it, and then the platform's late pushes of that same request
// arrive (both the status push and the refund push): they neither reopen
// the request nor pause the kitchen again, whether the refusal is still on
// its way to the platform or the platform took it already.
func TestLatePushOfAnAnsweredRefundIsAbsorbed(t *testing.T) {
	env := start(t, harness.Options{})
	for _, refusalGetsThrough := range []bool{false, true} {
		o := teaOrder(env, fake.OrderSpec{})
		_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
		must(t, err)
		must(t, env.WaitPlatform(o.Code, kaigedian.PlatformAccepted, 5*time.Second))
		must(t, env.WaitJobsDone(o.Code, 10*time.Second))

		env.Fake.HoldPushes(true)
		must(t, env.Fake.RequestRefund(o.Code, "太慢了"))
		_, err = env.WaitStatus(o.Code, order.StatusRefundRequested, 10*time.Second) // from the refund poll
		must(t, err)
		if !refusalGetsThrough {
			env.Fake.SetFault("refundOperation", fake.Fault{Kind: fake.FaultCode500})
		}
		if s, err := env.API("POST", "/api/orders/"+o.Code+"/refund/reject", map[string]string{}, nil); s != 202 {
			t.Fatalf("refuse: %d %v", s, err)
		}
		if refusalGetsThrough && !harness.WaitFor(10*time.Second, func() bool {
			s, _ := env.Fake.Order(o.Code)
			return s.RefundStatus == 3
		}) {
			t.Fatal("the refusal never reached the platform")
		}
		env.Fake.HoldPushes(false)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		must(t, env.Fake.WaitPushes(ctx))
		cancel()
		if !harness.WaitFor(10*time.Second, func() bool {
			items, err := env.Daemon.DB.PendingInbox(context.Background(), 1)
			return err == nil && len(items) == 0
		}) {
			t.Fatal("the pushes were never applied")
		}
		env.Fake.SetFault("refundOperation", fake.Fault{})

		rec, err := env.Order(o.Code)
		must(t, err)
		if rec.Status != order.StatusAccepted || rec.Decision != "" {
			t.Fatalf("refusal through=%v: a late push reopened the request: %s decision %q", refusalGetsThrough, rec.Status, rec.Decision)
		}
		must(t, env.WaitJobsDone(o.Code, 10*time.Second))
		if n := env.CountPrinted("kitchen", "暂停制作", o.PickupNo); n != 1 {
			t.Fatalf("refusal through=%v: the kitchen was paused %d times", refusalGetsThrough, n)
		}
	}
}

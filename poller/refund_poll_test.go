package poller_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

func startPoll(t *testing.T, opts harness.Options) *harness.Env {
	t.Helper()
	env, err := harness.Start(context.Background(), t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	return env
}

// accepted creates n orders and waits until they are accepted and printed.
func accepted(t *testing.T, env *harness.Env, n int) []string {
	t.Helper()
	var codes []string
	for range n {
		codes = append(codes, env.Fake.NewOrder(fake.OrderSpec{}).Code)
	}
	for _, c := range codes {
		if _, err := env.WaitStatus(c, order.StatusAccepted, 15*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := env.WaitPlatform(c, kaigedian.PlatformAccepted, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := env.WaitJobsDone(c, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	return codes
}

// Issue 13 item 12: a queryRefundOrders item without refundstatus (seed
// 001's shape) is a pending request when pending requests were asked for,
// and staff are asked.
func TestRefundItemWithoutStatusPrompts(t *testing.T) {
	env := startPoll(t, harness.Options{NoPrinters: true, Fake: func(o *fake.Options) { o.RefundItemsBare = true }})
	code := accepted(t, env, 1)[0]
	env.Fake.SetPushEnabled(false)
	if err := env.Fake.RequestRefund(code, "太慢了"); err != nil {
		t.Fatal(err)
	}
	rec, err := env.WaitStatus(code, order.StatusRefundRequested, 15*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Decision != store.DecisionRefund || strings.Contains(rec.DecisionNote, "未知") {
		t.Fatalf("the refund request does not reach staff: decision %q note %q", rec.Decision, rec.DecisionNote)
	}
}

// Issue 13 item 12: a pending item that the refund poll lists again after
// staff refused (the refusal still on its way to the platform) does not
// reopen the request or pause the kitchen a second time.
func TestRefusedRefundIsNotReopenedByThePoll(t *testing.T) {
	env := startPoll(t, harness.Options{})
	code := accepted(t, env, 1)[0]
	if err := env.Fake.RequestRefund(code, "太慢了"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.WaitStatus(code, order.StatusRefundRequested, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	env.Fake.SetFault("refundOperation", fake.Fault{Kind: fake.FaultCode500}) // the refusal does not get through yet
	before := len(env.Fake.CallsTo("queryRefundOrders"))
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+code+"/refund/reject", map[string]string{"reason": "已制作"}, &res); s != 202 {
		t.Fatalf("refuse: %d %v", s, res)
	}
	// Refund polls run while the platform still lists the request as pending.
	if !harness.WaitFor(15*time.Second, func() bool { return len(env.Fake.CallsTo("queryRefundOrders")) >= before+9 }) {
		t.Fatal("the refund poll did not run")
	}
	env.Fake.SetFault("refundOperation", fake.Fault{})
	if !harness.WaitFor(15*time.Second, func() bool { s, _ := env.Fake.Order(code); return s.RefundStatus == 3 }) {
		t.Fatal("the refusal never reached the platform")
	}
	time.Sleep(1500 * time.Millisecond) // one more refund poll after the platform took it
	rec, _ := env.Order(code)
	if rec.Status != order.StatusAccepted || rec.Decision != "" {
		t.Fatalf("after the refusal: %s decision %q", rec.Status, rec.Decision)
	}
	if err := env.WaitJobsDone(code, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if n := env.CountPrinted("kitchen", "暂停制作"); n != 1 {
		t.Fatalf("the kitchen was paused %d times", n)
	}
	hist, _ := env.Daemon.DB.History(context.Background(), code)
	asked := 0
	for _, h := range hist {
		if h.To == order.StatusRefundRequested {
			asked++
		}
	}
	if asked != 1 {
		t.Fatalf("the refund request was opened %d times", asked)
	}
}

// slowPolls leaves the refund poll alone: orders and reconciliation polls
// would also see what a finished refund does to an order.
const slowPolls = "interval: 1h\nfast_interval: 1h\nrefund_interval: 300ms\nreconcile_interval: 1h"

// Issue 13 item 14: refunds that share one millisecond are split by
// refundstatus, so twelve (8 pending, 4 done) are all seen although a call
// lists ten.
func TestRefundsSharingAMillisecondAreSplitByStatus(t *testing.T) {
	env := startPoll(t, harness.Options{NoPrinters: true, Poll: slowPolls})
	codes := accepted(t, env, 12)
	env.Fake.SetPushEnabled(false)
	at := time.Now().Truncate(time.Millisecond)
	for i, c := range codes {
		st := 1
		if i%3 == 2 {
			st = 5
		}
		if err := env.Fake.SetRefund(c, st, at); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range codes {
		want := order.StatusRefundRequested
		if i%3 == 2 {
			want = order.StatusRefunded
		}
		if _, err := env.WaitStatus(c, want, 15*time.Second); err != nil {
			t.Fatal(err)
		}
	}
}

// Issue 13 item 14: ten or more refunds of one status in one millisecond
// cannot be listed past the tenth: the day is read through historyOrders,
// where finished refunds show as cancelled orders.
func TestRefundsStuckInAMillisecondFallBackToHistory(t *testing.T) {
	env := startPoll(t, harness.Options{NoPrinters: true, Poll: slowPolls})
	codes := accepted(t, env, 12)
	env.Fake.SetPushEnabled(false)
	historyBefore := len(env.Fake.CallsTo("historyOrders"))
	at := time.Now().Truncate(time.Millisecond)
	for _, c := range codes {
		if err := env.Fake.SetRefund(c, 5, at); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range codes {
		if _, err := env.WaitStatus(c, order.StatusRefunded, 15*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if len(env.Fake.CallsTo("historyOrders")) == historyBefore {
		t.Fatal("the stuck refund window was not read through historyOrders")
	}
}

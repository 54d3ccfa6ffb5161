package poller_test

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// Poll only (push disabled): 200 orders across page boundaries, in groups of
// up to nine sharing one update millisecond and one group of twelve (more
// than a page: the cursor cannot move, so that window is read through
// historyOrders). Every order arrives exactly once and the poller does not
// fetch forever.
func TestPollOnlyAllOrdersExactlyOnce(t *testing.T) {
	env, err := harness.Prepare(t.TempDir(), harness.Options{PushDisabled: true, NoPrinters: true, Accept: "mode: manual"})
	if err != nil {
		t.Fatal(err)
	}
	// The orders exist before the daemon starts: its first poll backfills today.
	now := time.Now()
	t0 := now.Add(-10 * time.Minute)
	if midnight := startOfDay(now); t0.Before(midnight.Add(time.Second)) {
		t0 = midnight.Add(time.Second)
	}
	sizes := []int{1, 9, 3, 12, 7, 9, 2, 9, 5, 9, 1, 8, 4, 9, 6, 9, 3, 9, 2}
	var codes []string
	ms := t0
	for len(codes) < 200 {
		n := sizes[len(codes)%len(sizes)]
		if len(codes) == 0 {
			n = 12
		}
		n = min(n, 200-len(codes))
		for i := 0; i < n; i++ {
			o := env.Fake.NewOrder(fake.OrderSpec{NoPush: true, UpdatedAt: ms, CreatedAt: ms})
			codes = append(codes, o.Code)
		}
		ms = ms.Add(time.Millisecond)
	}
	if err := env.Run(context.Background(), harness.Options{}); err != nil {
		t.Fatal(err)
	}
	defer env.Stop()

	db := env.Daemon.DB
	if !harness.WaitFor(30*time.Second, func() bool {
		counts, _ := db.CountOrders(context.Background(), "")
		return counts[string(order.StatusNew)] == 200
	}) {
		counts, _ := db.CountOrders(context.Background(), "")
		t.Fatalf("orders stored: %v, want 200 new", counts)
	}
	for _, c := range codes {
		hist, err := db.History(context.Background(), c)
		if err != nil || len(hist) == 0 {
			t.Fatalf("order %s missing: %v", c, err)
		}
		firsts := 0
		for _, h := range hist {
			if h.Reason == "新订单" {
				firsts++
			}
		}
		if firsts != 1 {
			t.Fatalf("order %s arrived %d times", c, firsts)
		}
	}
	if n := len(env.Fake.CallsTo("historyOrders")); n == 0 {
		t.Fatal("the group of twelve sharing one millisecond was not read through historyOrders")
	}
	// Caught up: the cursor reaches the newest order and the poller settles
	// to one call per poll instead of fetching forever.
	last := ms.Add(-time.Millisecond).UnixMilli()
	if !harness.WaitFor(20*time.Second, func() bool {
		c, ok, _ := db.Cursor(context.Background(), "orders/1862")
		return ok && c >= last
	}) {
		t.Fatal("cursor never reached the newest order")
	}
	before := len(env.Fake.CallsTo("batchQuery"))
	time.Sleep(1500 * time.Millisecond)
	after := len(env.Fake.CallsTo("batchQuery"))
	if after-before > 10 {
		t.Fatalf("poller keeps paging after catching up: %d batchQuery calls in 1.5 s", after-before)
	}
}

// A refund request whose push was lost is found by the refund poll, and a
// cancel whose push was lost is found by reconciliation.
func TestRefundPollAndReconcileCatchLostPushes(t *testing.T) {
	env, err := harness.Start(context.Background(), t.TempDir(), harness.Options{NoPrinters: true})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Stop()
	a := env.Fake.NewOrder(fake.OrderSpec{})
	b := env.Fake.NewOrder(fake.OrderSpec{})
	for _, c := range []string{a.Code, b.Code} {
		if _, err := env.WaitStatus(c, order.StatusAccepted, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := env.WaitPlatform(c, kaigedian.PlatformAccepted, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	env.Fake.SetPushEnabled(false)
	if err := env.Fake.RequestRefund(a.Code, "太慢了"); err != nil {
		t.Fatal(err)
	}
	if err := env.Fake.SetStatus(b.Code, kaigedian.PlatformCancelled); err != nil {
		t.Fatal(err)
	}
	if _, err := env.WaitStatus(a.Code, order.StatusRefundRequested, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := env.WaitStatus(b.Code, order.StatusRefunded, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	h := env.Daemon.Bridge.Health()
	// Reconciliation with nothing open asks nothing: it reports itself idle,
	// never a success (only an answer from the platform is one).
	if r := h.Polls["reconcile"]; h.Polls["refunds/1862"].LastSuccess.IsZero() || (r.LastSuccess.IsZero() && !r.Idle) {
		t.Fatalf("poll health not reported: %+v", h.Polls)
	}
}

// While pushes flow, an order the poll finds that no push announced is
// raised as a possible missed push.
func TestMissedPushAlarm(t *testing.T) {
	env, err := harness.Start(context.Background(), t.TempDir(), harness.Options{NoPrinters: true, Accept: "mode: manual",
		ExtraYAML: ""})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Stop()
	events, stop := env.Daemon.Bridge.Bus().Subscribe()
	defer stop()
	pushed := env.Fake.NewOrder(fake.OrderSpec{})
	if _, err := env.WaitStatus(pushed.Code, order.StatusNew, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	// Pushes are flowing now; this one never gets a push and is a minute old.
	lost := env.Fake.NewOrder(fake.OrderSpec{NoPush: true, CreatedAt: time.Now().Add(-time.Minute)})
	if _, err := env.WaitStatus(lost.Code, order.StatusNew, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Type == bridge.EvAlert && e.Kind == "missed_push" && e.Code == lost.Code {
				if env.Daemon.Bridge.Health().MissedPushes != 1 {
					t.Fatalf("missed pushes counted: %d", env.Daemon.Bridge.Health().MissedPushes)
				}
				return
			}
		case <-deadline:
			t.Fatal("no missed-push alarm")
		}
	}
}

func startOfDay(t time.Time) time.Time {
	s := t.In(bridge.Shanghai)
	return time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, bridge.Shanghai)
}

package bridge_test

import (
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// refundRequested is an accepted, printed order whose customer asked for a refund.
func refundRequested(t *testing.T, env *harness.Env) order.Order {
	t.Helper()
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitPlatform(o.Code, kaigedian.PlatformAccepted, 5*time.Second))
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	must(t, env.Fake.RequestRefund(o.Code, "不想要了"))
	_, err = env.WaitStatus(o.Code, order.StatusRefundRequested, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	return o
}

// Issue 13 item 9: an approved refund shows 退款处理中 and prints no refund
// slip while the platform has not confirmed it; refundOperation's answer is
// no confirmation. The platform's refund push is, and the slip follows.
func TestApprovedRefundWaitsForThePlatform(t *testing.T) {
	slow := "interval: 1h\nfast_interval: 1h\nrefund_interval: 1h\nreconcile_interval: 1h"
	env := start(t, harness.Options{Poll: slow})
	o := refundRequested(t, env)
	env.Fake.SetPushEnabled(false) // the confirmation is held back
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/refund/approve", nil, &res); s != 202 || res["status"] != "refund_processing" {
		t.Fatalf("approve: %d %v", s, res)
	}
	wantOps(t, env, o.Code, "3", "r1")
	if !harness.WaitFor(10*time.Second, func() bool {
		rows, _ := env.Daemon.DB.ListOutbox(t.Context(), store.OutboxFilter{OrderCode: o.Code, States: []string{store.OutboxPending}})
		return len(rows) == 0
	}) {
		t.Fatal("refundOperation never answered")
	}
	time.Sleep(500 * time.Millisecond)
	rec, _ := env.Order(o.Code)
	var view map[string]any
	env.API("GET", "/api/orders/"+o.Code, nil, &view)
	if rec.Status != order.StatusRefundProcessing || view["status_label"] != "退款处理中" {
		t.Fatalf("after refundOperation's answer: %s %v", rec.Status, view["status_label"])
	}
	if n := env.CountPrinted("front", "退单") + env.CountPrinted("kitchen", "退单"); n != 0 {
		t.Fatalf("%d refund slips before the platform confirmed", n)
	}
	env.Fake.SetPushEnabled(true)
	must(t, env.Fake.Push(o.Code)) // orderStatus 6 after accept: refunded
	_, err := env.WaitStatus(o.Code, order.StatusRefunded, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	for _, p := range []string{"front", "kitchen"} {
		if n := env.CountPrinted(p, "退单"); n != 1 {
			t.Fatalf("%s refund slips after the confirmation: %d", p, n)
		}
	}
}

// A refund that does not happen after staff approved it (the customer
// withdrew, the platform refused) restores the order: the paused kitchen
// gets 恢复制作, staff get an alert, no refund slip prints, and the answer
// that can no longer be sent is dropped.
func TestApprovedRefundThatDoesNotHappenRestoresTheOrder(t *testing.T) {
	env := start(t, harness.Options{})
	events, stop := env.Daemon.Bridge.Bus().Subscribe()
	defer stop()
	o := refundRequested(t, env)
	if n := env.CountPrinted("kitchen", "暂停制作"); n != 1 {
		t.Fatalf("setup: %d pause notices", n)
	}
	env.Fake.SetFault("refundOperation", fake.Fault{Kind: fake.FaultCode500}) // the platform refuses, again and again
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/refund/approve", nil, &res); s != 202 {
		t.Fatalf("approve: %d %v", s, res)
	}
	must(t, env.Fake.WithdrawRefund(o.Code))
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if n := env.CountPrinted("kitchen", "恢复制作"); n != 1 {
		t.Fatalf("kitchen resume notices: %d", n)
	}
	if n := env.CountPrinted("front", "退单") + env.CountPrinted("kitchen", "退单"); n != 0 {
		t.Fatalf("%d refund slips for a refund that did not happen", n)
	}
	if !harness.WaitFor(5*time.Second, func() bool {
		rows, _ := env.Daemon.DB.ListOutbox(t.Context(), store.OutboxFilter{OrderCode: o.Code, States: []string{store.OutboxPending}})
		return len(rows) == 0
	}) {
		t.Fatal("the refund answer still waits to be sent")
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Type == bridge.EvAlert && e.Kind == "refund_undone" && e.Code == o.Code && e.Level == bridge.LevelCritical {
				return
			}
		case <-deadline:
			t.Fatal("staff were not told the refund did not happen")
		}
	}
}

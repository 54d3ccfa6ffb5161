package bridge_test

import (
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// Issue 13 item 1: reconciliation corrects a local end the platform
// contradicts. An accepted order marked refunded locally (as a forged push
// did before pushes were confirmed) while the platform still has it
// accepted is restored, the kitchen that printed it is told to carry on,
// and staff are alerted.
func TestReconcileRestoresAnEndThePlatformContradicts(t *testing.T) {
	env := start(t, harness.Options{})
	events, stop := env.Daemon.Bridge.Bus().Subscribe()
	defer stop()
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitPlatform(o.Code, kaigedian.PlatformAccepted, 5*time.Second))
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))

	// The damage: a cancel the platform never made, applied locally.
	_, err = env.Daemon.Bridge.IngestPoll(t.Context(), bridge.PollPage{Via: order.ViaPoll,
		Statuses: []bridge.CodeStatus{{Code: o.Code, PlatformStatus: kaigedian.PlatformCancelled}}})
	must(t, err)
	if rec, _ := env.Order(o.Code); rec.Status != order.StatusRefunded {
		t.Fatalf("setup: %s", rec.Status)
	}
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if env.CountPrinted("kitchen", "退单") != 1 {
		t.Fatal("setup: no refund slip on the kitchen")
	}

	_, err = env.WaitStatus(o.Code, order.StatusAccepted, 15*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if n := env.CountPrinted("kitchen", "恢复制作"); n != 1 {
		t.Fatalf("the kitchen that stopped got %d 恢复制作", n)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Type == bridge.EvAlert && e.Kind == "end_contradicted" && e.Code == o.Code && e.Level == bridge.LevelCritical {
				// The order goes on as usual: the first scan marks it made.
				res := env.Daemon.Bridge.Scan(t.Context(), o.Code, "test")
				if res.Action != "made" {
					t.Fatalf("scan after the restore: %+v", res)
				}
				wantOps(t, env, o.Code, "3", "31")
				return
			}
		case <-deadline:
			t.Fatal("no alert for the contradicted end")
		}
	}
}

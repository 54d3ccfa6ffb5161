package bridge_test

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// The simulated order stream (the sandbox's) brings cancels in both accept
// modes: in manual mode the customer cancels while the order waits for
// staff; in auto mode it was accepted within milliseconds, so the cancel is
// a refund request for staff to decide.
func TestSimulatedCancelsInBothAcceptModes(t *testing.T) {
	for _, c := range []struct {
		accept string
		want   order.Status
	}{{"mode: manual", order.StatusCancelled}, {"mode: auto", order.StatusRefundRequested}} {
		env := start(t, harness.Options{Accept: c.accept})
		ctx, stop := context.WithCancel(context.Background())
		go func() {
			_ = env.Fake.Run(ctx, fake.GeneratorOptions{Rate: 1.0 / 3600, FirstAfter: 10 * time.Millisecond, CancelRatio: 1,
				CancelAfter: 2 * time.Second, Spec: fake.OrderSpec{Type: order.TypePickup}})
		}()
		var code string
		if !harness.WaitFor(10*time.Second, func() bool {
			if orders := env.Fake.Orders(); len(orders) > 0 {
				code = orders[0].Order.Code
			}
			return code != ""
		}) {
			t.Fatal("no simulated order")
		}
		if _, err := env.WaitStatus(code, c.want, 15*time.Second); err != nil {
			t.Errorf("accept %s: %v", c.accept, err)
		}
		stop()
	}
}

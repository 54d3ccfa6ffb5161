package bridge_test

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// After `posbridge restore`, an order created before the restore that the
// backup did not know may have been accepted and printed already, whatever
// status it comes back with — accepted through polling, or new through a
// push the landing still held: its tickets print marked 补打, never as new
// ones the kitchen would make twice.
func TestOrdersFromBeforeARestorePrintMarked(t *testing.T) {
	env := start(t, harness.Options{})
	path := env.Daemon.DB.Path()
	if err := env.StopDaemon(); err != nil {
		t.Fatal(err)
	}
	// The restore happened "later" than every order of this test.
	if err := store.MarkRestored(context.Background(), path, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := env.Run(context.Background(), harness.Options{}); err != nil {
		t.Fatal(err)
	}
	o := teaOrder(env, fake.OrderSpec{})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := env.WaitJobsDone(o.Code, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	jobs, err := env.Jobs(o.Code)
	if err != nil || len(jobs) == 0 {
		t.Fatalf("jobs: %v %v", jobs, err)
	}
	for _, j := range jobs {
		if !j.Reprint {
			t.Errorf("the %s of an order from before the restore printed without 补打", j.Doc)
		}
	}
}

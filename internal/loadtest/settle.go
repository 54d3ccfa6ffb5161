package loadtest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// Settle waits until the system is quiet: the platform has no push left to
// deliver, every order it produced is stored in its platform state with its
// detail, no staff decision waits, the outbox is empty and no print job is
// queued or printing. It returns the last reason it was not quiet on timeout.
func Settle(ctx context.Context, rig *Rig, timeout time.Duration) error {
	db, release, err := rig.DB(ctx)
	if err != nil {
		return err
	}
	defer release()
	deadline := time.Now().Add(timeout)
	quiet := 0
	for {
		why, err := busy(ctx, rig, db)
		if err != nil {
			return err
		}
		// Quiet twice in a row: busy reads jobs, then orders, and a step
		// between the two (an address arriving queues tickets) would pass.
		if why == "" {
			if quiet++; quiet == 2 {
				return nil
			}
		} else {
			quiet = 0
		}
		if why != "" && time.Now().After(deadline) {
			return fmt.Errorf("not settled after %s: %s", timeout, why)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// busy says why the system is not quiet yet ("" when it is).
func busy(ctx context.Context, rig *Rig, db *store.DB) (string, error) {
	if st := rig.Env.Fake.PushStats(); st.Pending > 0 {
		return fmt.Sprintf("%d pushes pending", st.Pending), nil
	}
	out, err := db.OutboxStats(ctx)
	if err != nil {
		return "", err
	}
	if n := out[store.OutboxPending]; n > 0 {
		return fmt.Sprintf("%d platform calls pending", n), nil
	}
	jobs, err := db.ListPrintJobs(ctx, store.PrintJobFilter{States: []string{store.JobQueued, store.JobSending}, Limit: 1})
	if err != nil {
		return "", err
	}
	if len(jobs) > 0 {
		return fmt.Sprintf("print job %d (%s of %s on %s) is %s", jobs[0].ID, jobs[0].Doc, jobs[0].OrderCode, jobs[0].Printer, jobs[0].State), nil
	}
	for _, s := range rig.Env.Fake.Orders() {
		rec, err := db.GetOrder(ctx, s.Order.Code)
		if errors.Is(err, store.ErrNotFound) {
			return "order " + s.Order.Code + " not stored yet", nil
		}
		if err != nil {
			return "", err
		}
		want := expectedStatuses(s)
		switch {
		case want != nil && !contains(want, rec.Status):
			return fmt.Sprintf("order %s is %s, platform says %d", rec.Code, rec.Status, s.PlatformStatus), nil
		case rec.NeedsDetail && rec.Status != order.StatusCancelled && rec.Status != order.StatusRejected:
			return "order " + rec.Code + " waits for its detail", nil
		case rec.Decision != store.DecisionNone:
			return "order " + rec.Code + " waits for staff (" + rec.Decision + ")", nil
		case rec.PrintPending && !rec.PrintAt.After(time.Now()):
			return "order " + rec.Code + " has tickets not queued yet", nil
		}
	}
	return "", nil
}

func contains(list []order.Status, s order.Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

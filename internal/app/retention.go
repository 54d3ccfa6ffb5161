package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/posbridge/posbridge/store"
)

// retention prunes closed orders older than retention.days, with their
// history, finished print jobs and outbox rows, processed inbox items and
// audit entries. Open orders and pending work are never pruned (store.Prune).
type retention struct {
	db   *store.DB
	days int
	log  *slog.Logger
	// firstDelay keeps pruning out of start-up; every is once a day. A PC
	// that is switched off every night prunes a few minutes after each start.
	firstDelay, every time.Duration
	now               func() time.Time
}

// newRetention is the daemon's daily pruning; Main runs it in its lifecycle.
func newRetention(db *store.DB, days int, log *slog.Logger) *retention {
	return &retention{db: db, days: days, log: log, firstDelay: 5 * time.Minute, every: 24 * time.Hour, now: time.Now}
}

// run prunes after firstDelay and then every day until ctx ends.
func (r *retention) run(ctx context.Context) {
	timer := time.NewTimer(r.firstDelay)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		_, _ = r.pruneOnce(ctx)
		r.pruneKeysAndClaims(ctx)
		timer.Reset(r.every)
	}
}

func (r *retention) pruneOnce(ctx context.Context) (store.PruneResult, error) {
	before := r.now().AddDate(0, 0, -r.days)
	start := time.Now()
	res, err := r.db.Prune(ctx, before)
	if err != nil {
		if ctx.Err() == nil {
			r.log.Warn("pruning old orders failed; retrying in a day", "before", before.Format(time.DateOnly), "err", err)
		}
		return res, err
	}
	if res != (store.PruneResult{}) {
		r.log.Info("pruned data older than retention.days", "days", r.days, "before", before.Format(time.DateOnly),
			"orders", res.Orders, "history", res.History, "print_jobs", res.Jobs, "outbox", res.Outbox,
			"inbox", res.Inbox, "rejected_pushes", res.Rejected, "audit", res.Audit,
			"took", time.Since(start).Round(time.Millisecond))
	}
	return res, nil
}

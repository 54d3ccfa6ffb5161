package bridge

import (
	"context"
	"errors"
	"time"

	"github.com/posbridge/posbridge/store"
)

// What the console reads, through bridge: the console never opens the
// store, so every read and write of a request passes the rules' package.
// The filters, rows and states are the store's, named here.
type (
	OutboxFilter   = store.OutboxFilter
	PrintJobFilter = store.PrintJobFilter
	PrintJob       = store.PrintJob
	DayStats       = store.DayStats
)

// States of print jobs and outbox calls, as the API names them.
const (
	JobQueued  = store.JobQueued
	JobSending = store.JobSending
	JobDone    = store.JobDone
	JobFailed  = store.JobFailed
	JobHeld    = store.JobHeld
	JobDropped = store.JobDropped

	CallPending = store.OutboxPending
	CallDone    = store.OutboxDone
	CallFailed  = store.OutboxFailed
	CallMoot    = store.OutboxMoot
)

// PrintJobs lists print jobs, newest first.
func (b *Bridge) PrintJobs(ctx context.Context, f PrintJobFilter) ([]*PrintJob, error) {
	return b.db.ListPrintJobs(ctx, f)
}

// PrintJob reads one print job (an Error of code ENotFound when there is
// no such job).
func (b *Bridge) PrintJob(ctx context.Context, id int64) (*PrintJob, error) {
	j, err := b.db.GetPrintJob(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Code: ENotFound, Message: "没有这个打印任务"}
	}
	return j, err
}

// PrintQueueCounts is, per printer, how many jobs are in each state.
func (b *Bridge) PrintQueueCounts(ctx context.Context) (map[string]map[string]int, error) {
	return b.db.PrintQueueCounts(ctx)
}

// DayStats is the 今日 panel of business day day (YYYY-MM-DD) in loc.
func (b *Bridge) DayStats(ctx context.Context, day string, loc *time.Location) (DayStats, error) {
	return b.db.Stats(ctx, day, loc)
}

package app

import (
	"context"
	"image"
	"sync"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
)

// LiveFleet is the printer fleet the bridge and the console use, which a
// settings edit replaces without a restart: the old fleet stops (a print
// write in progress finishes), the new one starts on the same job table, so
// queued jobs of printers that remain are printed by the new workers.
type LiveFleet struct {
	mu  sync.RWMutex
	cur *printer.Fleet
}

func newLiveFleet(f *printer.Fleet) *LiveFleet { return &LiveFleet{cur: f} }

func (l *LiveFleet) get() *printer.Fleet {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur
}

// swap stops the running fleet and starts next in its place.
func (l *LiveFleet) swap(ctx context.Context, next *printer.Fleet) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cur.Close()
	// Start fails only when the job table cannot be read, which stops the
	// old fleet as surely; the error goes to the staff as an alert.
	l.cur = next
	return next.Start(ctx)
}

// Close stops the current fleet.
func (l *LiveFleet) Close() { l.get().Close() }

func (l *LiveFleet) Health(name string) (bool, string) { return l.get().Health(name) }
func (l *LiveFleet) Wake(name string)                  { l.get().Wake(name) }
func (l *LiveFleet) OrderJobs(o *order.Order) []printer.Job {
	return l.get().OrderJobs(o)
}
func (l *LiveFleet) SlipJob(name string, kind printer.Kind, o *order.Order, reason string, at time.Time) (printer.Job, error) {
	return l.get().SlipJob(name, kind, o, reason, at)
}
func (l *LiveFleet) ReprintJobs(o *order.Order, kind printer.Kind) []printer.Job {
	return l.get().ReprintJobs(o, kind)
}
func (l *LiveFleet) AddedJobs(o *order.Order, batch string) []printer.Job {
	return l.get().AddedJobs(o, batch)
}
func (l *LiveFleet) Status() []printer.PrinterStatus { return l.get().Status() }
func (l *LiveFleet) TestPrint(ctx context.Context, name string) (int64, error) {
	return l.get().TestPrint(ctx, name)
}
func (l *LiveFleet) Profile(name string) (printer.Profile, bool) { return l.get().Profile(name) }
func (l *LiveFleet) Configs() []config.PrinterConfig             { return l.get().Configs() }

// PrintImage prints an image (a table's sticker) on the receipt printer of
// the fleet in service.
func (l *LiveFleet) PrintImage(ctx context.Context, title string, render func(width int) (image.Image, error)) (string, error) {
	return l.get().PrintImage(ctx, title, render)
}

// Enqueue queues a job that is no order's (a 日结单, a 交班单) on the fleet in
// service.
func (l *LiveFleet) Enqueue(ctx context.Context, j printer.Job) (int64, bool, error) {
	return l.get().Enqueue(ctx, j)
}

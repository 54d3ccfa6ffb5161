// Package bridge holds every business rule of posbridge: the order state
// machine of seed 000, the accept policy, scan rules, what to print where, and
// the outbox dispatcher. It drives store and printer, and the sources of
// orders through the ports of channel.go (开个店's is kaigedian/channel); adapters at
// the edges (push receiver, poller, console, scanner) call into it.
package bridge

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// Printers is the part of the printer fleet the bridge uses.
// *printer.Fleet implements it.
type Printers interface {
	// Health reports whether a printer can print now; one-way links and
	// printers with status_query off always can.
	Health(name string) (ok bool, why string)
	// Wake tells a printer's worker that a job was queued.
	Wake(name string)
	// OrderJobs plans an order's receipt, kitchen tickets and cup labels on
	// the printers that serve its store and match its items.
	OrderJobs(o *order.Order) []printer.Job
	// SlipJob plans a cancel, refund, pause or resume slip for one printer.
	SlipJob(printerName string, kind printer.Kind, o *order.Order, reason string, at time.Time) (printer.Job, error)
	// AddedJobs plans 加菜 kitchen tickets for lines added to an order.
	AddedJobs(o *order.Order, batch string) []printer.Job
	// ReprintJobs plans a 补打 of one kind of document.
	ReprintJobs(o *order.Order, kind printer.Kind) []printer.Job
	// Configs are the printers in service now: console edits change them
	// while the daemon runs, so the startup config's list is not read.
	Configs() []config.PrinterConfig
}

// printerConfigs are the printers in service.
func (b *Bridge) printerConfigs() []config.PrinterConfig {
	if b.printers != nil {
		return b.printers.Configs()
	}
	return b.cfg.Printers
}

// Deps are what a Bridge is built from.
type Deps struct {
	Config *config.Config
	Store  *store.DB
	// Channels are the sources of orders, one per source (channel.go);
	// Reporters follow orders' lifecycles (reporter.go).
	Channels  []Channel
	Reporters []Reporter
	Printers  Printers
	Bus       *Bus
	Logger    *slog.Logger
	// Now is the wall clock; drills inject one that jumps.
	Now func() time.Time
}

// Bridge applies platform events and staff decisions to orders.
type Bridge struct {
	cfg       *config.Config
	db        *store.DB
	channels  channels
	reporters reporters
	printers  Printers
	bus       *Bus
	log       *slog.Logger
	now       func() time.Time
	policy    *acceptPolicy

	inboxWake   chan struct{}
	detailWake  chan struct{}
	outboxWake  chan struct{}
	refundWake  chan struct{} // claims.go
	addressWake chan struct{} // address.go
	days        historyCache  // address.go

	scanMu    sync.Mutex
	lastScans map[string]time.Time

	health     *healthState
	outboxBoot int64       // newest outbox row of an earlier process (outbox.go)
	attempted  attemptSet  // rows sent whose outcome is not written yet (outbox.go)
	linked     linkedMenus // the scan-to-order menus 沽清 and 置休 reach too (linked_menus.go)
	damaged    atomic.Bool // a damaged database was reported (storage.go)
	restoredAt time.Time   // when the database was put back from a backup (ingest.go)
	problems   problemSet  // problems.go
}

// New builds a bridge. Call Run to start its loops.
func New(d Deps) *Bridge {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Bus == nil {
		d.Bus = NewBus(d.Now)
	}
	b := &Bridge{
		cfg: d.Config, db: d.Store, channels: newChannels(d.Channels), reporters: newReporters(d.Reporters), printers: d.Printers, bus: d.Bus,
		log: d.Logger, now: d.Now, policy: newAcceptPolicy(d.Config),
		inboxWake: make(chan struct{}, 1), detailWake: make(chan struct{}, 1), outboxWake: make(chan struct{}, 1),
		lastScans: map[string]time.Time{}, health: newHealthState(), refundWake: make(chan struct{}, 1),
		addressWake: make(chan struct{}, 1),
	}
	return b
}

// Bus is where live events go.
func (b *Bridge) Bus() *Bus { return b.bus }

// Store is the database the bridge writes.
func (b *Bridge) Store() *store.DB { return b.db }

// Run runs the bridge's loops until ctx ends.
func (b *Bridge) Run(ctx context.Context) error {
	if v, err := b.db.Meta(ctx, store.MetaRestoredAt); err == nil && v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			b.restoredAt = time.UnixMilli(n)
		}
	}
	var wg sync.WaitGroup
	loops := []func(context.Context){b.inboxLoop, b.detailLoop, b.outboxLoop, b.timerLoop, b.addressLoop}
	for _, loop := range loops {
		wg.Add(1)
		go func(f func(context.Context)) {
			defer wg.Done()
			f(ctx)
		}(loop)
	}
	wg.Wait()
	return nil
}

// NotifyInbox wakes the inbox loop (a push was committed).
func (b *Bridge) NotifyInbox() { wake(b.inboxWake) }

func wake(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// sleep waits for d, a wake-up or the end of ctx. It returns false when ctx ended.
func sleep(ctx context.Context, d time.Duration, wakeCh <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-wakeCh:
	case <-t.C:
	}
	return true
}

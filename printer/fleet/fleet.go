// Package fleet runs the store's printers: it plans an order's print jobs
// (receipt, kitchen tickets, cup labels, slips), keeps them in the job store,
// and gives each printer a worker that prints them in order exactly once,
// polls its status and fails over to a stand-in.
package fleet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/transport"
	"github.com/posbridge/posbridge/store"
)

// Fleet runs every configured printer: one worker per printer keeps its
// queue in order, so one offline printer never blocks another.
type Fleet struct {
	db      JobStore
	cfg     config.PrintConfig
	opt     FleetOptions
	configs map[string]config.PrinterConfig
	order   []string
	workers map[string]*worker
	logo    *document.Raster
	now     func() time.Time

	mu      sync.Mutex
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	started bool
}

// FleetOptions are the fleet's collaborators.
type FleetOptions struct {
	Sandbox   bool              // put the 测试 mark on everything
	OnEvent   func(Event)       // printer status and job alerts for the console; must not block
	Logger    *slog.Logger      // default slog.Default()
	Transport transport.Options // timeouts
	Now       func() time.Time  // default time.Now
	// Layouts are what each document prints (layouts: in the config); nil
	// is config.DefaultLayouts.
	Layouts *config.LayoutsConfig
	// StuckAfter: a job still unconfirmed this long (plus 1 ms per byte, the
	// pace of a 9600-baud serial link) makes the printer count as unable to
	// print for the accept policy — a printer that ran out of paper mid-job
	// holds the job's fence and answers nothing else. Default 5 s.
	StuckAfter time.Duration
}

// New checks every printer's config and builds its worker. The logo in
// print.logo is loaded once here.
func New(printers []config.PrinterConfig, pc config.PrintConfig, db JobStore, opt FleetOptions) (*Fleet, error) {
	if db == nil {
		return nil, errors.New("printer fleet needs the job store")
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	f := &Fleet{db: db, cfg: withPrintDefaults(pc), opt: opt, configs: map[string]config.PrinterConfig{},
		workers: map[string]*worker{}, now: opt.Now}
	if f.now == nil {
		f.now = time.Now
	}
	if pc.Logo != "" {
		logo, err := document.LoadImage(pc.Logo, 576)
		if err != nil {
			return nil, fmt.Errorf("print.logo: %w", err)
		}
		f.logo = logo
	}
	for _, c := range printers {
		if _, dup := f.configs[c.Name]; dup {
			return nil, fmt.Errorf("printer name %q is used twice: printer names must be unique", c.Name)
		}
		dev, err := transport.NewDevice(c, opt.Transport)
		if err != nil {
			return nil, err
		}
		f.configs[c.Name] = c
		f.order = append(f.order, c.Name)
		w := &worker{f: f, dev: dev, name: c.Name, wake: make(chan struct{}, 1), log: opt.Logger}
		w.status = PrinterStatus{Name: c.Name, Role: dev.Profile.Role, Connection: dev.Transport.String(),
			TwoWay: dev.Confirms(), State: transport.StateUnknown, Label: transport.StateUnknown.Label(), Backup: c.Backup}
		if _, queue := dev.Transport.(QueueReporter); !dev.Confirms() && !queue {
			w.status.StatusFrom = StatusFromNone
		}
		f.workers[c.Name] = w
	}
	for _, w := range f.workers {
		if b := f.configs[w.name].Backup; b != "" {
			bw, ok := f.workers[b]
			if !ok || bw == w {
				return nil, fmt.Errorf("printer %q: backup %q is not another configured printer", w.name, b)
			}
			w.backup = bw
		}
	}
	return f, nil
}

func withPrintDefaults(pc config.PrintConfig) config.PrintConfig {
	if pc.RetryMin <= 0 {
		pc.RetryMin = time.Second
	}
	if pc.RetryMax < pc.RetryMin {
		pc.RetryMax = max(pc.RetryMin, 30*time.Second)
	}
	if pc.StatusEvery <= 0 {
		pc.StatusEvery = 10 * time.Second
	}
	return pc
}

// Start recovers jobs left in `sending` by a crash (they print again with
// 补打) and starts the workers. Close stops them.
func (f *Fleet) Start(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.started {
		return errors.New("printer fleet already started")
	}
	n, err := f.db.RecoverSendingPrintJobs(ctx)
	if err != nil {
		return fmt.Errorf("recover interrupted print jobs: %w", err)
	}
	if n > 0 {
		f.opt.Logger.Warn("print jobs interrupted by a restart will print again marked 补打", "jobs", n)
	}
	ctx, f.cancel = context.WithCancel(context.WithoutCancel(ctx))
	f.started = true
	for _, name := range f.order {
		w := f.workers[name]
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			w.run(ctx)
		}()
	}
	return nil
}

// Close stops the workers and waits for them; a job being sent is recorded
// as retried (with 补打 if bytes went out) before Close returns.
func (f *Fleet) Close() {
	f.mu.Lock()
	cancel := f.cancel
	f.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	f.wg.Wait()
}

// Wake tells a printer's worker that a job was queued or released, or that
// the staff want a waiting job tried now.
func (f *Fleet) Wake(printer string) {
	if w, ok := f.workers[printer]; ok {
		w.mu.Lock()
		w.retryNow = true
		w.mu.Unlock()
		w.poke()
	}
}

// Status is a snapshot of every printer, in config order.
func (f *Fleet) Status() []PrinterStatus {
	out := make([]PrinterStatus, 0, len(f.order))
	for _, name := range f.order {
		st := f.workers[name].snapshot()
		st.FailingOver = st.Backup != "" && !f.workers[name].healthy()
		out = append(out, st)
	}
	return out
}

// Profile is the driver profile of a configured printer.
func (f *Fleet) Profile(printer string) (document.Profile, bool) {
	w, ok := f.workers[printer]
	if !ok {
		return document.Profile{}, false
	}
	return w.dev.Profile, true
}

// Options are the template options of a printer: the print section merged
// with its overrides, the logo, and the sandbox mark.
func (f *Fleet) Options(printer string) document.Options {
	opt := document.OptionsFor(f.configs[printer], f.cfg)
	opt.Logo = f.logo
	opt.Sandbox = f.opt.Sandbox
	return opt
}

// TestPrint queues the test page on a printer and wakes its worker.
func (f *Fleet) TestPrint(ctx context.Context, printer string) (int64, error) {
	p, ok := f.Profile(printer)
	if !ok {
		return 0, fmt.Errorf("no printer named %q in the config", printer)
	}
	id, _, err := f.Enqueue(ctx, Job{Printer: printer, Doc: document.TestPage(p, f.now(), f.opt.Sandbox), Title: "测试页"})
	return id, err
}

// Enqueue stores a job (idempotent by its DedupeKey) and wakes the printer.
func (f *Fleet) Enqueue(ctx context.Context, j Job) (id int64, created bool, err error) {
	if _, ok := f.workers[j.Printer]; !ok {
		return 0, false, fmt.Errorf("no printer named %q in the config", j.Printer)
	}
	payload, err := j.Doc.Marshal()
	if err != nil {
		return 0, false, fmt.Errorf("store print document: %w", err)
	}
	id, created, err = f.db.EnqueuePrintJob(ctx, store.PrintJob{Printer: j.Printer, OrderCode: j.Doc.OrderCode,
		Doc: string(j.Doc.Kind), Title: j.Title, DedupeKey: j.DedupeKey, Payload: payload, Reprint: j.Doc.Reprint})
	if err != nil {
		return 0, false, fmt.Errorf("queue print job for %s: %w", j.Printer, err)
	}
	if created {
		f.Wake(j.Printer)
	}
	return id, created, nil
}

func (f *Fleet) emit(e Event) {
	if f.opt.OnEvent == nil {
		return
	}
	if e.At.IsZero() {
		e.At = f.now()
	}
	f.opt.OnEvent(e)
}

// Configs are the fleet's printers, in config order.
func (f *Fleet) Configs() []config.PrinterConfig {
	out := make([]config.PrinterConfig, 0, len(f.order))
	for _, name := range f.order {
		out = append(out, f.configs[name])
	}
	return out
}

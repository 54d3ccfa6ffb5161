package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

// Main is one run of the daemon (WTF Dial's cmd/wtfd): Run opens the data
// directory and the database and starts every listener and loop, the
// retention included, inside one lifecycle; Close stops them all, waits for
// them (within stopBudget) and closes the printers, the database and the
// data-directory lock, in that order.
type Main struct {
	cfg  *config.Config
	log  *slog.Logger
	opts Options

	ctx    context.Context // the lifecycle: ends at Close or when a component fails
	cancel context.CancelFunc
	wg     sync.WaitGroup // every loop started by start

	mu       sync.Mutex
	closers  []func() // run last to first by Close, after the loops stopped
	daemon   *Daemon
	live     bool      // startLive began: Close logs the stop
	stopping time.Time // when the stop began ("posbridge stopped … took")

	failOnce sync.Once
	failed   chan struct{} // closed when a component failed
	startErr error         // why the start after setup mode failed (Close returns it)

	closeOnce sync.Once
	closeErr  error

	// retentionDelay replaces the retention's first delay (tests).
	retentionDelay time.Duration
}

// NewMain prepares a run; nothing is opened before Run.
func NewMain(cfg *config.Config, log *slog.Logger, opts Options) *Main {
	ctx, cancel := context.WithCancel(context.Background())
	return &Main{cfg: cfg, log: log, opts: opts, ctx: ctx, cancel: cancel, failed: make(chan struct{})}
}

// Run starts posbridge and returns once it is started: in live and sandbox
// mode when every listener is open and every loop runs; in setup mode once
// the setup console is started (live mode follows when the setup is
// complete). ctx bounds the start only (the database upgrade); the run
// lasts until Close. After an error, Close releases what was opened.
func (m *Main) Run(ctx context.Context) error {
	cfg, log := m.cfg, m.log
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("data directory %s cannot be created: %w", cfg.DataDir, err)
	}
	if m.opts.Lock != nil {
		release, err := m.opts.Lock(cfg.DataDir)
		if err != nil {
			return err
		}
		m.onClose(release)
	}

	// A schema upgrade of a large database takes a while (17 s for a million
	// orders): the log says why the console is not up yet.
	log.Info("opening the database", "path", filepath.Join(cfg.DataDir, "posbridge.db"), "schema", store.SchemaVersion())
	opened := time.Now()
	db, err := store.Open(ctx, filepath.Join(cfg.DataDir, "posbridge.db"), store.Options{})
	if err != nil {
		return err
	}
	m.onClose(func() { db.Close() })
	if took := time.Since(opened); took > 2*time.Second {
		log.Info("database opened", "took", took.Round(time.Millisecond))
	}

	instance := rand.Text() // names this run on the console's and the push listener's health checks
	m.daemon = &Daemon{Config: cfg, DB: db, instance: instance}
	if !cfg.SetupMode() {
		return m.beginLive(cfg)
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		next, err := m.daemon.runSetupMode(m.ctx, log, m.opts, m.markStopping)
		switch {
		case err != nil:
			m.startErr = err
			m.fail("setup console", err)
		case next != nil:
			m.daemon.Config = next
			if err := m.beginLive(next); err != nil {
				m.startErr = err
				m.fail("start after setup", err)
			}
		}
	}()
	return nil
}

// beginLive starts live mode unless Close came first.
func (m *Main) beginLive(cfg *config.Config) error {
	m.mu.Lock()
	if m.ctx.Err() != nil {
		m.mu.Unlock()
		return nil
	}
	m.live = true
	m.mu.Unlock()
	return m.startLive(cfg)
}

// start runs f in the lifecycle; a component that fails stops the run.
func (m *Main) start(name string, f func(context.Context) error) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		if err := f(m.ctx); err != nil && m.ctx.Err() == nil {
			m.fail(name, err)
		}
	}()
}

// fail logs a component's failure, ends the lifecycle and tells Failed.
func (m *Main) fail(name string, err error) {
	if m.ctx.Err() != nil {
		return
	}
	m.log.Error("component stopped", "component", name, "err", err)
	m.failOnce.Do(func() { close(m.failed) })
	m.cancel()
}

// Failed is closed when a component failed; the owner then calls Close.
func (m *Main) Failed() <-chan struct{} { return m.failed }

// Daemon is what Run started (nil before Run).
func (m *Main) Daemon() *Daemon { return m.daemon }

// onClose registers what Close releases, after the loops stopped.
func (m *Main) onClose(f func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closers = append(m.closers, f)
}

func (m *Main) markStopping() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stopping.IsZero() {
		m.stopping = time.Now()
	}
}

// Close stops every loop and listener, waits for them within stopBudget
// (then closes the database anyway) and releases what Run opened. It
// returns an error when a component had failed. Calling it again returns
// the same.
func (m *Main) Close() error {
	m.closeOnce.Do(func() {
		failed := false
		select {
		case <-m.failed:
			failed = true
		default:
		}
		m.mu.Lock()
		live := m.live
		m.mu.Unlock()
		if live {
			m.markStopping()
			reason := "asked to stop"
			if failed {
				reason = "a component failed"
			}
			m.log.Info("stopping posbridge", "reason", reason)
		}
		m.cancel()
		done := make(chan struct{})
		go func() { m.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(stopBudget):
			m.log.Warn("components did not stop within the budget; closing the database anyway", "budget", stopBudget)
		}
		m.mu.Lock()
		closers := m.closers
		m.mu.Unlock()
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
		// The last line of a run, after the database closed: a log that
		// ends without it ended in a crash or a kill.
		if m.mu.Lock(); !m.stopping.IsZero() {
			m.log.Info("posbridge stopped", "took", time.Since(m.stopping).Round(time.Millisecond))
		}
		m.mu.Unlock()
		switch {
		case m.startErr != nil: // written before failed was closed
			m.closeErr = m.startErr
		case failed:
			m.closeErr = errors.New("a component failed; see the log above")
		}
	})
	return m.closeErr
}

// retention is the daily pruning of data older than retention.days.
func (m *Main) retention(db *store.DB, cfg *config.Config, log *slog.Logger) *retention {
	r := newRetention(db, cfg.Retention.Days, log)
	if m.retentionDelay > 0 {
		r.firstDelay = m.retentionDelay
	}
	return r
}

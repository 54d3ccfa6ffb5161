package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// Run starts the sandbox daemon with every loop, retention included, inside
// its lifecycle; Close stops them all within a bound and leaves no goroutine
// of ours behind.
func TestMainRunThenCloseLeavesNothingRunning(t *testing.T) {
	if ours := ourGoroutines(); len(ours) > 0 {
		t.Fatalf("goroutines of ours before the run:\n%s", strings.Join(ours, "\n\n"))
	}
	cfg := config.Sandbox()
	cfg.DataDir = t.TempDir()
	cfg.Console.Listen, cfg.Push.Listen = "127.0.0.1:0", "127.0.0.1:0"
	if cfg.Ordering.Listen != "" {
		cfg.Ordering.Listen = "127.0.0.1:0"
	}
	ctx := context.Background()

	// An order closed long before retention.days, for the retention to prune.
	old := time.Now().AddDate(0, 0, -cfg.Retention.Days-30)
	db, err := store.Open(ctx, filepath.Join(cfg.DataDir, "posbridge.db"), store.Options{Now: func() time.Time { return old }})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error {
		return tx.SaveOrder(&store.OrderRecord{Code: "long-closed", StoreID: "1862", Status: order.StatusCompleted, Day: old.Format(time.DateOnly)})
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// The caller's loop takes a while to stop and uses the database on its
	// way out: Close must wait for it before the database closes.
	loopRan := make(chan struct{})
	var loopStopped atomic.Bool
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Loops: []Loop{{Name: "caller's loop", Run: func(ctx context.Context, d *Daemon) {
		close(loopRan)
		<-ctx.Done()
		time.Sleep(200 * time.Millisecond)
		if _, err := d.DB.GetOrder(context.Background(), "x"); errors.Is(err, store.ErrNotFound) {
			loopStopped.Store(true)
		}
	}}}})
	m.retentionDelay = time.Millisecond
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	d := m.Daemon()
	if d.ConsoleAddr == "" || d.PushAddr == "" || d.Bridge == nil || d.Fleet == nil {
		t.Fatalf("Run returned before the daemon was started: %+v", d)
	}
	select {
	case <-loopRan:
	case <-time.After(5 * time.Second):
		t.Fatal("the caller's loop never ran")
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		_, err := d.DB.GetOrder(ctx, "long-closed")
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the retention never pruned the old order: %v", err)
		}
	}

	closed := make(chan error, 1)
	go func() { closed <- m.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close after a clean run: %v", err)
		}
	case <-time.After(stopBudget):
		t.Fatalf("Close did not return within %s", stopBudget)
	}
	if !loopStopped.Load() {
		t.Fatal("Close returned before the caller's loop stopped, or closed the database under it")
	}
	// A goroutine that called wg.Done may still be on its way out.
	var left []string
	for deadline := time.Now().Add(100 * time.Millisecond); ; time.Sleep(10 * time.Millisecond) {
		if left = ourGoroutines(); len(left) == 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(left) > 0 {
		t.Fatalf("%d goroutines of ours outlive Close:\n%s", len(left), strings.Join(left, "\n\n"))
	}
	if _, err := d.DB.GetOrder(ctx, "x"); err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("the database is still open after Close: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// A component that fails ends the run: Failed tells the owner, and Close
// stops the rest and says so.
func TestMainFailingComponentEndsTheRun(t *testing.T) {
	cfg := config.Sandbox()
	cfg.DataDir = t.TempDir()
	cfg.Console.Listen, cfg.Push.Listen = "127.0.0.1:0", "127.0.0.1:0"
	if cfg.Ordering.Listen != "" {
		cfg.Ordering.Listen = "127.0.0.1:0"
	}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	m.start("broken", func(context.Context) error { return errors.New("broken") })
	select {
	case <-m.Failed():
	case <-time.After(5 * time.Second):
		t.Fatal("Failed never closed")
	}
	if err := m.Close(); err == nil || !strings.Contains(err.Error(), "a component failed") {
		t.Fatalf("Close after a failure: %v", err)
	}
}

// ourGoroutines are the stacks of the goroutines running code of this
// module, but the test's own.
func ourGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var ours []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "github.com/posbridge/posbridge/") && !strings.Contains(g, "testing.tRunner") {
			ours = append(ours, g)
		}
	}
	return ours
}

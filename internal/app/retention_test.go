package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

func TestRetentionPrunesOnlyOldClosedOrders(t *testing.T) {
	var clock atomic.Int64
	setNow := func(t time.Time) { clock.Store(t.UnixMilli()) }
	now := func() time.Time { return time.UnixMilli(clock.Load()) }
	today := time.Date(2026, 6, 1, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "posbridge.db"), store.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	save := func(at time.Time, code string, status order.Status) {
		setNow(at)
		if err := db.Write(ctx, func(tx *store.Tx) error {
			return tx.SaveOrder(&store.OrderRecord{Code: code, StoreID: "1862", Status: status, Day: at.Format(time.DateOnly)})
		}); err != nil {
			t.Fatal(err)
		}
	}
	save(today.AddDate(0, 0, -120), "old-completed", order.StatusCompleted)
	save(today.AddDate(0, 0, -120), "old-but-open", order.StatusAccepted)
	save(today.AddDate(0, 0, -10), "recent-completed", order.StatusCompleted)
	setNow(today)

	r := newRetention(db, 90, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r.now, r.firstDelay, r.every = now, 0, time.Hour
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { r.run(runCtx); close(done) }()

	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := db.GetOrder(ctx, "old-completed")
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("old completed order still there: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, keep := range []string{"old-but-open", "recent-completed"} {
		if _, err := db.GetOrder(ctx, keep); err != nil {
			t.Errorf("%s was pruned: %v", keep, err)
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("retention loop ignored cancellation")
	}
}

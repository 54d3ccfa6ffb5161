package bridge_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// Issue 13 item 15: the first error that says the database is damaged
// raises a critical problem in the console with what to do (before, the
// order list answered 500 and only doctor noticed).
func TestDamagedDatabaseRaisesACriticalProblem(t *testing.T) {
	env := start(t, harness.Options{NoPrinters: true})
	events, stop := env.Daemon.Bridge.Bus().Subscribe()
	defer stop()
	for range 30 {
		teaOrder(env, fake.OrderSpec{})
	}
	if !harness.WaitFor(15*time.Second, func() bool {
		n, _ := env.Daemon.DB.CountOrders(t.Context(), "")
		return n[string(order.StatusAccepted)] == 30
	}) {
		t.Fatal("orders not stored")
	}
	// A real "malformed" error: a copy of the database, damaged, read.
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := env.Daemon.DB.Backup(t.Context(), copyPath); err != nil {
		t.Fatal(err)
	}
	damageFile(t, copyPath, 4, 2) // half the file, from its first quarter: pages of orders
	damaged, readErr := store.Open(context.Background(), copyPath, store.Options{ReadOnly: true})
	if readErr == nil {
		_, _, readErr = damaged.ListOrders(context.Background(), store.OrderFilter{Limit: 1000})
		damaged.Close()
	}
	if !store.IsCorrupt(readErr) {
		t.Fatalf("the damaged copy read without a damage error: %v", readErr)
	}

	env.Daemon.Bridge.NoteStorageError(readErr)
	deadline := time.After(10 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Type != bridge.EvAlert || e.Kind != "problem" || e.Level != bridge.LevelCritical {
				continue
			}
			var plat struct {
				Health struct {
					Problems []bridge.Problem `json:"problems"`
				} `json:"health"`
			}
			env.API("GET", "/api/platform", nil, &plat)
			if len(plat.Health.Problems) != 1 || plat.Health.Problems[0].Key != "database_damaged" ||
				!strings.Contains(plat.Health.Problems[0].Message, "posbridge restore") {
				t.Fatalf("the console's problems: %+v", plat.Health.Problems)
			}
			return
		case <-deadline:
			t.Fatal("no critical problem for a damaged database")
		}
	}
}

// A database too large to check before the start (a year of orders) is
// checked right after it, while pushes are answered; damage found then
// raises the same critical problem.
func TestDeferredCheckRaisesACriticalProblem(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "posbridge.db")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	note := strings.Repeat("少冰，谢谢", 60)
	if err := db.Write(ctx, func(tx *store.Tx) error {
		for i := range 400 {
			code := fmt.Sprintf("1796%016d", i)
			if err := tx.SaveOrder(&store.OrderRecord{Code: code, Status: order.StatusAccepted, StoreID: "1862",
				Detail: &order.Order{Code: code, StoreID: "1862", Note: note}}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	damageFile(t, path, 2, 0) // 16 KiB in the middle: orders, not the schema the open reads
	defer func(was int64) { store.SyncIntegrityMaxBytes = was }(store.SyncIntegrityMaxBytes)
	store.SyncIntegrityMaxBytes = 64 << 10
	big, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("the large database did not open: %v", err)
	}
	defer big.Close()
	b := bridge.New(bridge.Deps{Config: &config.Config{}, Store: big})
	b.CheckDeferredStorage(ctx)
	if !harness.WaitFor(10*time.Second, func() bool {
		for _, p := range b.Problems() {
			if p.Key == "database_damaged" && p.Level == bridge.LevelCritical {
				return true
			}
		}
		return false
	}) {
		t.Fatalf("no critical problem after the deferred check: %+v", b.Problems())
	}
}

// damageFile overwrites part of a database file with noise, as a failing
// disk would: from size/from, size/length bytes (16 KiB when length is 0).
func damageFile(t *testing.T, path string, from, length int64) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := int64(16 << 10)
	if length > 0 {
		n = info.Size() / length
	}
	junk := make([]byte, n)
	_, _ = rand.Read(junk)
	if _, err := f.WriteAt(junk, info.Size()/from); err != nil {
		t.Fatal(err)
	}
}

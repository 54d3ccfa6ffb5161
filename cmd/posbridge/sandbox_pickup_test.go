package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/posbridge/posbridge/store"
)

// The sandbox restarted the same day goes on with the pickup numbers: the
// board never shows two 1001s of one store.
func TestSandboxRestartKeepsPickupNumbersUnique(t *testing.T) {
	exe, dir, cfgFile := daemonDir(t, "")
	dbFile := filepath.Join(dir, "data", "posbridge.db")
	for run, want := range []int{1, 2} {
		cmd := posbridgeCommand(exe, dir, "run", "--config", cfgFile)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		// numbered orders: under load an order's detail (its number) may come after the stop
		for numberedOrders(context.Background(), dbFile) < want {
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("run %d: fewer than %d orders after 20 s", run+1, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !interrupt(cmd, 15*time.Second) {
			t.Fatalf("run %d did not stop", run+1)
		}
	}
	db, err := store.Open(context.Background(), dbFile, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, _, err := db.ListOrders(context.Background(), store.OrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, r := range recs {
		if r.PickupNo == "" {
			continue // its detail never came: no number to repeat
		}
		key := r.StoreID + " " + r.Day + " " + r.PickupNo
		if other, dup := seen[key]; dup {
			t.Fatalf("pickup number %s of store %s given twice on %s: orders %s and %s", r.PickupNo, r.StoreID, r.Day, other, r.Code)
		}
		seen[key] = r.Code
	}
	if len(seen) < 2 {
		t.Fatalf("%d orders", len(seen))
	}
}

// numberedOrders counts the stored orders that have a pickup number.
func numberedOrders(ctx context.Context, path string) int {
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	db, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		return 0
	}
	defer db.Close()
	recs, _, err := db.ListOrders(ctx, store.OrderFilter{})
	if err != nil {
		return 0
	}
	n := 0
	for _, r := range recs {
		if r.PickupNo != "" {
			n++
		}
	}
	return n
}

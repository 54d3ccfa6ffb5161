package main

import (
	"context"
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
		for storedOrders(context.Background(), dbFile) < want {
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

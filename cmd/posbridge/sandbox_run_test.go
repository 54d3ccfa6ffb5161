package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/posbridge/posbridge/store"
)

// `posbridge run` on the sandbox shows the flow at once: an order arrives,
// is accepted and stored within seconds of the start, not after the
// stream's average interval.
func TestSandboxRunShowsAnOrderWithinSeconds(t *testing.T) {
	exe, dir, cfgFile := daemonDir(t, "")
	dataDir := filepath.Join(dir, "data")
	cmd := posbridgeCommand(exe, dir, "run", "--config", cfgFile)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer interrupt(cmd, 20*time.Second)
	ctx := context.Background()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if n := storedOrders(ctx, filepath.Join(dataDir, "posbridge.db")); n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no order stored within 15 s of starting the sandbox")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// storedOrders counts the orders of a running daemon's database (0 while
// it does not exist yet).
func storedOrders(ctx context.Context, path string) int {
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	db, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		return 0
	}
	defer db.Close()
	counts, err := db.CountOrders(ctx, "")
	if err != nil {
		return 0
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	return total
}

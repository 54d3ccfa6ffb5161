package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/posbridge/posbridge/internal/loadtest"
)

// runSeed is `posbridge-load seed`: a database of a busy store's history,
// written directly (a million orders in minutes, not the months it takes).
func runSeed(args []string) int {
	fs := flag.NewFlagSet("posbridge-load seed", flag.ContinueOnError)
	dir := fs.String("dir", "", "folder to seed: the database goes to DIR/data/posbridge.db (required; it must not exist yet)")
	orders := fs.Int("orders", 1_000_000, "orders to write")
	perDay := fs.Int("per-day", 1500, "orders per day, over every store (a busy store makes ~1,500)")
	stores := fs.Int("stores", 3, "stores")
	seed := fs.Int64("seed", 1, "seed of the generator")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "posbridge-load seed: -dir is required")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := loadtest.Seed(ctx, loadtest.SeedOptions{Path: filepath.Join(*dir, "data", "posbridge.db"), Orders: *orders,
		PerDay: *perDay, Stores: *stores, Seed: *seed, Progress: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge-load seed:", err)
		return 1
	}
	fmt.Printf("seeded %d orders over %d days in %s: %d history, %d print jobs, %d platform calls, %d pushes; %.1f MB (%.0f bytes per order)\n",
		res.Orders, res.Days, res.Took.Round(time.Second), res.History, res.Jobs, res.Outbox, res.Inbox,
		float64(res.Bytes)/(1<<20), float64(res.Bytes)/float64(max(res.Orders, 1)))
	return 0
}

// runLongRun is `posbridge-load longrun`: the measurements of a seeded database.
func runLongRun(args []string) int {
	fs := flag.NewFlagSet("posbridge-load longrun", flag.ContinueOnError)
	dir := fs.String("dir", "", "a folder seeded by `posbridge-load seed` (required); the measurement prunes its oldest day and adds orders")
	bin := fs.String("bin", "", "posbridge binary for the start-up time and `posbridge backup` (default: go build ./cmd/posbridge)")
	requests := fs.Int("requests", 300, "requests per console query")
	rate := fs.Float64("rate", 2, "orders pushed per second while acks are measured")
	jsonOut := fs.String("json", "", "also write the result as JSON to this file")
	backupOnly := fs.Bool("backup-only", false, "only start-up, idle acks and acks during the backup (skips the queries and the five-minute wait for the prune)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "posbridge-load longrun: -dir is required")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "building ./cmd/posbridge …")
		if *bin, err = loadtest.BuildDaemon(ctx, *dir, false); err != nil {
			fmt.Fprintln(os.Stderr, "posbridge-load longrun:", err)
			return 1
		}
	}
	if *bin, err = filepath.Abs(*bin); err != nil {
		fmt.Fprintln(os.Stderr, "posbridge-load longrun:", err)
		return 1
	}
	res, err := loadtest.MeasureLongRun(ctx, loadtest.LongRunOptions{BackupOnly: *backupOnly, Dir: *dir, Bin: *bin, Requests: *requests, Rate: *rate,
		Progress: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge-load longrun:", err)
		return 1
	}
	res.WriteTable(os.Stdout)
	if *jsonOut != "" {
		if err := os.MkdirAll(filepath.Dir(*jsonOut), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "posbridge-load longrun:", err)
			return 1
		}
		raw, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(*jsonOut, raw, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "posbridge-load longrun:", err)
			return 1
		}
	}
	return 0
}

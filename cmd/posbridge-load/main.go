// Command posbridge-load runs a posbridge daemon against the fake 开个店 and
// fake TCP printers under a named load scenario and reports push-ack and
// order-to-print latency, throughput, peak RSS, database size and every
// error, as a table, as JSON and as an HTML page with latency charts.
//
//	posbridge-load -scenario rush                 # builds ./cmd/posbridge, runs it as a child
//	posbridge-load -scenario steady -rate 20 -duration 1m -bin bin/posbridge
//	posbridge-load -scenario mixed -mode attach   # you start `posbridge run --config …` yourself
//	posbridge-load seed -dir /data/years -orders 1000000   # a busy store's history, written directly
//	posbridge-load longrun -dir /data/years -bin bin/posbridge   # start-up, lists, search, 今日, acks during prune and backup
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/posbridge/posbridge/internal/loadtest"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 {
		switch args[0] {
		case "seed":
			os.Exit(runSeed(args[1:]))
		case "longrun":
			os.Exit(runLongRun(args[1:]))
		}
	}
	os.Exit(run(args))
}

func run(args []string) int {
	fs := flag.NewFlagSet("posbridge-load", flag.ContinueOnError)
	name := fs.String("scenario", "steady", "scenario: steady (N orders/s for T), rush (500 orders in 60 s, 3 stores), mixed (staff and customer actions)")
	rate := fs.Float64("rate", 0, "orders per second (overrides the scenario's)")
	duration := fs.Duration("duration", 0, "how long orders arrive (overrides the scenario's)")
	orders := fs.Int("orders", 0, "total orders (overrides rate × duration)")
	stores := fs.Int("stores", 0, "number of stores (overrides the scenario's)")
	seed := fs.Int64("seed", 0, "seed of the order generator (0 = the default)")
	mode := fs.String("mode", "child", "how the daemon runs: child (the real binary), inprocess, attach (you start it on the prepared config)")
	bin := fs.String("bin", "", "posbridge binary for -mode child (default: go build ./cmd/posbridge of this checkout)")
	dir := fs.String("dir", "", "working directory for config, keys, database and daemon log (default: a temporary one, removed unless -keep)")
	keep := fs.Bool("keep", false, "keep the working directory")
	jsonOut := fs.String("json", "", "JSON report file (default posbridge-load-SCENARIO.json); the HTML page goes next to it")
	settle := fs.Duration("settle", 2*time.Minute, "how long to wait for the daemon to finish after the last order")
	attachWait := fs.Duration("attach-wait", 5*time.Minute, "-mode attach: how long to wait for your daemon")
	warmup := fs.Duration("warmup", 2*time.Second, "idle time after the daemon starts, before the first order")
	phones := fs.Int("phones", 0, "customers' phones ordering through the scan-to-order API while the scenario runs, each from its own 127.0.0.0/8 address")
	phoneOrders := fs.Int("phone-orders", 0, "orders the phones place over the run (default 2 per phone)")
	targets := fs.Bool("targets", false, "exit 2 when a target is missed (order-to-print p99 ≤ 250 ms, peak RSS ≤ 100 MB, push ack p99 ≤ 10 ms)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	s, err := loadtest.Named(*name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge-load:", err)
		return 2
	}
	if *rate > 0 {
		s.Rate, s.Orders = *rate, 0
	}
	if *duration > 0 {
		s.Duration = *duration
		if s.Rate == 0 && *orders == 0 {
			s.Rate = float64(s.Orders) / s.Duration.Seconds()
			s.Orders = 0
		}
	}
	if *orders > 0 {
		s.Orders = *orders
	}
	if *stores > 0 {
		s.Stores = *stores
	}
	s.Seed = *seed
	// The report's folder is made first: a run of minutes must not end in
	// "no such file or directory" (bench/ does not exist in a fresh clone).
	reportPath := *jsonOut
	if reportPath == "" {
		reportPath = "posbridge-load-" + *name + ".json"
	}
	if err := os.MkdirAll(filepath.Dir(reportPath), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "posbridge-load: report folder:", err)
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	work := *dir
	if work == "" {
		if work, err = os.MkdirTemp("", "posbridge-load-"); err != nil {
			fmt.Fprintln(os.Stderr, "posbridge-load:", err)
			return 1
		}
		if !*keep {
			defer os.RemoveAll(work)
		}
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "posbridge-load:", err)
		return 1
	}
	m := loadtest.Mode(*mode)
	if m == loadtest.ModeChild && *bin == "" {
		fmt.Fprintln(os.Stderr, "building ./cmd/posbridge …")
		if *bin, err = loadtest.BuildDaemon(ctx, work, false); err != nil {
			fmt.Fprintln(os.Stderr, "posbridge-load:", err)
			return 1
		}
	}
	if *bin != "" {
		if *bin, err = filepath.Abs(*bin); err != nil {
			fmt.Fprintln(os.Stderr, "posbridge-load:", err)
			return 1
		}
	}
	if *phoneOrders == 0 {
		*phoneOrders = 2 * *phones
	}
	res, err := loadtest.RunScenario(ctx, loadtest.RunOptions{Scenario: s, SettleTimeout: *settle, Warmup: *warmup, Progress: os.Stderr,
		Phones: loadtest.Phones{N: *phones, Orders: *phoneOrders, Seed: uint64(*seed)},
		Rig:    loadtest.RigOptions{Dir: work, Mode: m, Bin: *bin, AttachWait: *attachWait, Announce: os.Stderr}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge-load:", err)
		if *keep || *dir != "" {
			fmt.Fprintln(os.Stderr, "daemon log:", filepath.Join(work, "daemon.log"))
		}
		return 1
	}
	if err := res.WriteTable(os.Stdout); err != nil {
		return 1
	}
	if err := writeReports(res, reportPath); err != nil {
		fmt.Fprintln(os.Stderr, "posbridge-load:", err)
		return 1
	}
	if !res.OK() {
		return 1
	}
	if misses := res.Misses(loadtest.DefaultTargets); len(misses) > 0 {
		fmt.Fprintln(os.Stderr, "targets missed:", strings.Join(misses, "; "))
		if *targets {
			return 2
		}
	}
	return 0
}

// writeReports writes the JSON report and the HTML page beside it.
func writeReports(res *loadtest.Result, jsonPath string) error {
	f, err := os.Create(jsonPath)
	if err != nil {
		return err
	}
	if err := res.WriteJSON(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	htmlPath := strings.TrimSuffix(jsonPath, filepath.Ext(jsonPath)) + ".html"
	h, err := os.Create(htmlPath)
	if err != nil {
		return err
	}
	if err := res.WriteHTML(h); err != nil {
		h.Close()
		return err
	}
	if err := h.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "reports: %s, %s\n", jsonPath, htmlPath)
	return nil
}

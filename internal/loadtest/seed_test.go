package loadtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
)

// A seeded database is one the daemon runs on: three seeded days, listed,
// searched by code tail, pickup number and phone digits, summed on the 今日
// panel, and its oldest day pruned.
func TestSeededDatabaseServes(t *testing.T) {
	dir := t.TempDir()
	res, err := Seed(context.Background(), SeedOptions{Path: filepath.Join(dir, "data", "posbridge.db"), Orders: 1800, PerDay: 600, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Orders != 1800 || res.Days != 3 || res.History < 3*res.Orders || res.Jobs < res.Orders || res.Outbox < res.Orders || res.Inbox < 2*res.Orders {
		t.Fatalf("seeded %+v", res)
	}
	if perOrder := res.Bytes / int64(res.Orders); perOrder < 5000 {
		t.Errorf("%d bytes per order: the rows are not a real order's", perOrder)
	}
	env, err := harness.Start(context.Background(), dir, harness.Options{Stores: seedStores(3), NoPrinters: true})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Stop()
	oldest, _, err := seededSpan(context.Background(), filepath.Join(dir, "data", "posbridge.db"))
	if err != nil {
		t.Fatal(err)
	}
	samples, err := sampleOrders(context.Background(), env.Daemon.DB, oldest, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range consoleQueries(samples) {
		for _, p := range q.paths {
			var body struct {
				Total int `json:"total"`
			}
			if status, err := env.API("GET", p, nil, &body); err != nil || status != 200 {
				t.Fatalf("%s %s: %d %v", q.name, p, status, err)
			}
			if q.name != "今日 panel" && q.name != "list active" && body.Total == 0 {
				t.Errorf("%s %s found nothing", q.name, p)
			}
		}
	}
	var all struct {
		Total int `json:"total"`
	}
	if _, err := env.API("GET", "/api/orders?date=all", nil, &all); err != nil || all.Total != 1800 {
		t.Fatalf("all days: %d orders (%v)", all.Total, err)
	}
	pr, err := env.Daemon.DB.Prune(context.Background(), oldest.AddDate(0, 0, 1).Add(7*time.Hour))
	if err != nil || pr.Orders != 600 || pr.Jobs == 0 || pr.Inbox == 0 || pr.Outbox == 0 {
		t.Fatalf("prune of the oldest day: %+v %v", pr, err)
	}
	if _, err := env.API("GET", "/api/orders?date="+oldest.In(bridge.Shanghai).Format(time.DateOnly), nil, &all); err != nil || all.Total != 0 {
		t.Fatalf("the pruned day still has %d orders (%v)", all.Total, err)
	}
}

// The long-run measurement reads the prune from the daemon's log line.
func TestWaitPruneReadsTheDaemonsLine(t *testing.T) {
	log := filepath.Join(t.TempDir(), "daemon.log")
	line := `time=2026-12-02T07:05:01.123+08:00 level=INFO msg="pruned data older than retention.days" days=665 before=2025-02-05 ` +
		`orders=1500 history=10245 print_jobs=3017 outbox=4355 inbox=5890 rejected_pushes=0 audit=0 took=1.234s`
	if err := os.WriteFile(log, []byte(fmt.Sprintln("time=x level=INFO msg=other")+line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pr, took, at, err := waitPrune(context.Background(), log, time.Now().Add(time.Second))
	if err != nil || pr.Orders != 1500 || pr.Inbox != 5890 || took != 1234*time.Millisecond || at.IsZero() {
		t.Fatalf("%+v %s %s %v", pr, took, at, err)
	}
}

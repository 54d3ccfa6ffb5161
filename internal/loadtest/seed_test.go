package loadtest

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A seeded database is one the daemon runs on: the long-run measurement
// starts a daemon on three seeded days, lists, searches and shows the 今日
// panel, prunes the oldest day while pushes are acknowledged.
func TestSeedThenMeasure(t *testing.T) {
	dir := t.TempDir()
	res, err := Seed(context.Background(), SeedOptions{Path: filepath.Join(dir, "data", "posbridge.db"), Orders: 1800, PerDay: 600, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Orders != 1800 || res.Days != 3 || res.History < 3*res.Orders || res.Jobs < res.Orders || res.Outbox < res.Orders || res.Inbox < 2*res.Orders {
		t.Fatalf("seeded %+v", res)
	}
	m, err := MeasureLongRun(context.Background(), LongRunOptions{Dir: dir, Requests: 5, Rate: 20, Window: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if m.Orders != 1800 || m.BytesPerOrder < 5000 {
		t.Errorf("measured %d orders, %.0f bytes each", m.Orders, m.BytesPerOrder)
	}
	for _, q := range []string{"list today", "list active", "search code tail", "search pickup no", "search phone digits", "今日 panel"} {
		if d := m.Queries[q]; d.Count != 5 {
			t.Errorf("%s: %+v", q, d)
		}
	}
	if m.Prune.Orders < 500 || m.Prune.Orders > 600 || m.Prune.Jobs == 0 || m.Prune.Inbox == 0 {
		t.Errorf("the oldest day's prune: %+v", m.Prune)
	}
	if m.Acks["idle"].Count == 0 {
		t.Errorf("no acks measured: %+v", m.Acks)
	}
}

package fleet_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/fakeprinter"
	"github.com/posbridge/posbridge/printer/fleet"
	"github.com/posbridge/posbridge/printer/transport"
	"github.com/posbridge/posbridge/store"
)

func TestHealthFollowsTheFakePrinter(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fp, err := fakeprinter.New()
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	f, err := fleet.New([]config.PrinterConfig{
		{Name: "kitchen", Role: "kitchen", Connection: fp.URI(), StatusQuery: "on"},
		{Name: "file", Role: "receipt", Connection: "file://" + filepath.Join(t.TempDir(), "out.bin")},
	}, config.PrintConfig{StatusEvery: 50 * time.Millisecond}, db, fleet.FleetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	waitHealth := func(want bool) string {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			ok, why := f.Health("kitchen")
			if ok == want {
				return why
			}
			if time.Now().After(deadline) {
				t.Fatalf("kitchen health never became %v (%s)", want, why)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitHealth(true)
	fp.SetState(transport.StatePaperOut)
	if why := waitHealth(false); why != transport.StatePaperOut.Label() {
		t.Fatalf("reason %q", why)
	}
	if ok, _ := f.Health("file"); !ok {
		t.Fatal("a one-way printer counts as online")
	}
	if ok, _ := f.Health("nope"); ok {
		t.Fatal("an unknown printer is not healthy")
	}
}

// movableClock is a wall clock a test can move.
type movableClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *movableClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *movableClock) jump(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// The wall clock jumping back an hour must not stop status polling (nor
// printing) for an hour.
func TestStatusPollingSurvivesAClockJumpBack(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fp, err := fakeprinter.New()
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	clk := &movableClock{}
	f, err := fleet.New([]config.PrinterConfig{{Name: "kitchen", Role: "kitchen", Connection: fp.URI(), StatusQuery: "on"}},
		config.PrintConfig{StatusEvery: 50 * time.Millisecond}, db, fleet.FleetOptions{Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	time.Sleep(200 * time.Millisecond)
	clk.jump(-time.Hour)
	fp.SetState(transport.StatePaperOut)
	deadline := time.Now().Add(3 * time.Second)
	for {
		if ok, _ := f.Health("kitchen"); !ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("status polling stopped after the clock jumped back")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A printer that stops confirming in the middle of a job (out of paper with
// the job in its buffer: it holds the fence and answers nothing else) counts
// as unable to print once the job is overdue, and as healthy again once it
// confirms.
func TestHealthOfAPrinterStuckMidJob(t *testing.T) {
	ctx := context.Background()
	db, fp := openStore(t, &clock{}), startFake(t)
	f, err := fleet.New([]config.PrinterConfig{{Name: "front", Role: "receipt", Connection: fp.URI()}},
		fastPrint(), db, fleet.FleetOptions{StuckAfter: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fp.HoldFences(true)
	for _, j := range f.OrderJobs(testOrder("901", "A001")) {
		if _, _, err := f.Enqueue(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "stuck mid-job", func() bool { ok, _ := f.Health("front"); return !ok })
	if ok, why := f.Health("front"); ok || why == "" {
		t.Fatalf("health %v %q", ok, why)
	}
	if st := f.Status()[0]; !st.Stuck || st.Hint == "" {
		t.Fatalf("status %+v does not show the stuck job", st)
	}
	fp.HoldFences(false)
	eventually(t, "confirmed and healthy", func() bool { ok, _ := f.Health("front"); return ok })
	eventually(t, "job done", allDone(t, db, 1))
}

package fleet

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/discover"
	"github.com/posbridge/posbridge/printer/transport"
	"github.com/posbridge/posbridge/store"
)

// A windows:// printer reports the spooler's view, not "online".
func TestSpoolerStateFromFlagsAndJobs(t *testing.T) {
	cases := []struct {
		name string
		q    discover.SpoolerQueue
		want transport.PrinterState
	}{
		{"ready", discover.SpoolerQueue{}, transport.StateOnline},
		{"offline flag", discover.SpoolerQueue{Printer: discover.WindowsInfo{Status: []string{"offline"}}}, transport.StateOffline},
		{"use printer offline", discover.SpoolerQueue{Printer: discover.WindowsInfo{WorkOffline: true}}, transport.StateOffline},
		{"paper out", discover.SpoolerQueue{Printer: discover.WindowsInfo{Status: []string{"error", "paper_out"}}}, transport.StatePaperOut},
		{"door", discover.SpoolerQueue{Printer: discover.WindowsInfo{Status: []string{"door_open"}}}, transport.StateCoverOpen},
		{"a job in error", discover.SpoolerQueue{Printer: discover.WindowsInfo{Jobs: 2}, Jobs: []discover.SpoolerJob{{ID: 4, Status: []string{"error"}}}}, transport.StateOffline},
		{"a job out of paper", discover.SpoolerQueue{Jobs: []discover.SpoolerJob{{ID: 4, Status: []string{"paper_out"}}}}, transport.StatePaperOut},
		{"paused", discover.SpoolerQueue{Printer: discover.WindowsInfo{Status: []string{"paused"}}}, transport.StateOffline},
	}
	for _, c := range cases {
		if got := spoolerState(c.q); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// spoolerRecording plays the Windows spooler's answers for one printer:
// a one-way link that has a queue to ask.
type spoolerRecording struct {
	transport.Transport
	mu sync.Mutex
	q  discover.SpoolerQueue
}

func (s *spoolerRecording) Queue(context.Context) (discover.SpoolerQueue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.q, nil
}

func (s *spoolerRecording) set(q discover.SpoolerQueue) {
	s.mu.Lock()
	s.q = q
	s.mu.Unlock()
}

// The worker of a windows:// printer reports the spooler's view, the
// console reads its words, and an offline spooler holds auto-accept.
func TestWorkerReportsTheSpoolersView(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f, err := New([]config.PrinterConfig{{Name: "win", Role: "receipt", Connection: "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "out.bin"))}},
		config.PrintConfig{StatusEvery: 30 * time.Millisecond}, db, FleetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec := &spoolerRecording{Transport: f.workers["win"].dev.Transport}
	f.workers["win"].dev.Transport = rec
	f.workers["win"].status.StatusFrom = ""
	rec.set(discover.SpoolerQueue{Printer: discover.WindowsInfo{Attributes: 0, WorkOffline: true}})
	if err := f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wait := func(what string, ok func(PrinterStatus) bool) PrinterStatus {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			st := f.Status()[0]
			if ok(st) {
				return st
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: status %+v", what, st)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	st := wait("offline from the spooler", func(st PrinterStatus) bool { return st.State == transport.StateOffline })
	if st.StatusFrom != StatusFromSpooler || st.Label != "已设为脱机使用" {
		t.Fatalf("status %+v", st)
	}
	if ok, why := f.Health("win"); ok || why != "已设为脱机使用" {
		t.Fatalf("Health = %v %q: an offline spooler must hold auto-accept", ok, why)
	}
	rec.set(discover.SpoolerQueue{Printer: discover.WindowsInfo{Jobs: 1}, Jobs: []discover.SpoolerJob{{ID: 3, Status: []string{"paper_out"}}}})
	st = wait("paper out from a job", func(st PrinterStatus) bool { return st.State == transport.StatePaperOut })
	if st.Label != "队列中 1 个任务、缺纸" {
		t.Fatalf("label %q", st.Label)
	}
	rec.set(discover.SpoolerQueue{})
	wait("ready again", func(st PrinterStatus) bool { return st.State == transport.StateOnline && st.Label == "就绪" })
	if ok, _ := f.Health("win"); !ok {
		t.Fatal("a ready spooler still holds orders")
	}
}

package drills

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/internal/loadtest"
	"github.com/posbridge/posbridge/store"
)

// kill -9 of the daemon (a child process of the real binary) twice in the
// middle of a rush, each time restarted on the same data: every order the
// platform produced — every acknowledged push among them — is stored
// exactly once in its final state, every accept reached the platform once
// (a call a kill may have cut off is sent again only once the order's status
// shows it did not get through), and every ticket printed exactly once, except
// those in flight at a kill, which printed once more with 补打.
// (Also issue 2's crash test.)
func TestKillDashNineMidRushThenRestart(t *testing.T) {
	s := drillScenario("kill", 240, 6*time.Second)
	rig := startRig(t, loadtest.ModeChild, harnessFor(s, nil))
	ctx := context.Background()
	rec := loadtest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, rig, rec) }()

	acked := func() int64 { return rig.Env.Fake.PushStats().Acked }
	for i, at := range []time.Duration{1500 * time.Millisecond, 3500 * time.Millisecond} {
		time.Sleep(time.Until(rec.Start.Add(at)))
		before := acked()
		must(t, rig.Kill())
		rec.Mark("kill -9")
		t.Logf("kill %d: %d orders created, %d pushes acknowledged so far", i+1, len(rec.Codes()), before)
		time.Sleep(300 * time.Millisecond) // orders keep coming while it is down
		must(t, rig.Start(ctx))
		rec.Mark("restarted")
		// The next kill comes once what this one left in flight printed
		// again (with 补打): under a loaded host the first job of a restart
		// can take seconds, and a second kill in that job's flight would
		// rightly print it a third time, which the drill does not ask about.
		waitReprinted(t, rig, 30*time.Second)
	}
	must(t, <-done)
	res := settleAndCheck(t, rig, 90*time.Second)
	if res.Orders != 240 || res.Stored != 240 {
		t.Fatalf("platform has %d orders, %d stored in their final state: want 240", res.Orders, res.Stored)
	}
	if st := rig.Env.Fake.PushStats(); st.Attempts == st.Acked {
		t.Fatalf("no push was refused or cut off by the kills (%+v): the drill did not hit the daemon mid-stream", st)
	}
}

// waitReprinted waits until no print job the restart recovered (marked
// 补打) is still queued or being sent.
func waitReprinted(t *testing.T, rig *loadtest.Rig, timeout time.Duration) {
	t.Helper()
	ctx := context.Background()
	var left int
	ok := harness.WaitFor(timeout, func() bool {
		db, err := store.Open(ctx, rig.DBPath(), store.Options{ReadOnly: true, SkipIntegrity: true})
		if err != nil {
			return false
		}
		defer db.Close()
		jobs, err := db.ListPrintJobs(ctx, store.PrintJobFilter{States: []string{store.JobQueued, store.JobSending}, Limit: 10000})
		if err != nil {
			return false
		}
		left = 0
		for _, j := range jobs {
			if j.Reprint {
				left++
			}
		}
		return left == 0
	})
	if !ok {
		t.Fatalf("%d jobs recovered after the restart are still not printed after %s", left, timeout)
	}
}

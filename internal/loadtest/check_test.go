package loadtest

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/store"
)

// The checker is what every drill trusts: it must see a lost order, a
// ticket printed twice and a platform call left in the outbox.
func TestCheckerSeesLostOrdersDuplicatePrintsAndPendingCalls(t *testing.T) {
	ctx := context.Background()
	s := Scenario{Name: "check", Rate: 20, Duration: 500 * time.Millisecond, Stores: 1, Steady: true}
	rig, err := NewRig(ctx, RigOptions{Dir: t.TempDir(), Mode: ModeInProcess, Harness: s.HarnessOptions()})
	if err != nil {
		t.Fatal(err)
	}
	defer rig.Close()
	rec := NewRecorder()
	if err := s.Run(ctx, rig, rec); err != nil {
		t.Fatal(err)
	}
	if err := Settle(ctx, rig, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	res, err := CheckRig(ctx, rig)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Stored != 10 || res.Jobs == 0 {
		t.Fatalf("a clean run: %+v", res)
	}

	db := rig.Env.Daemon.DB
	jobs, err := db.ListPrintJobs(ctx, store.PrintJobFilter{Printer: "front", States: []string{store.JobDone}, Limit: 1})
	if err != nil || len(jobs) != 1 {
		t.Fatalf("a printed receipt: %v %v", jobs, err)
	}
	if err := rig.Stop(); err != nil {
		t.Fatal(err)
	}
	// The same receipt again, as a double print would send it.
	nc, err := net.Dial("tcp", rig.Env.Printers["front"].Addr())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nc.Write(jobs[0].Bytes); err != nil {
		t.Fatal(err)
	}
	nc.Close()
	// An order the daemon never heard of.
	lost := rig.Env.Fake.NewOrder(fake.OrderSpec{NoPush: true})
	// A platform call still waiting.
	wdb, err := store.Open(ctx, rig.DBPath(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = wdb.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.EnqueueOutbox(store.OutboxRow{Kind: "status_operation", Op: "made", OrderCode: jobs[0].OrderCode,
			Payload: []byte(`{"order_code":"` + jobs[0].OrderCode + `","status":31}`)})
		return err
	})
	wdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the fake printer reads the duplicate
	res, err = CheckRig(ctx, rig)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(res.Problems, "\n")
	for _, want := range []string{
		"order " + lost.Code + " (platform status 1) is not in the database: lost",
		"receipt", "printed 2 times plain",
		"outbox not empty: made " + jobs[0].OrderCode,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("checker did not report %q; it said:\n%s", want, all)
		}
	}
}

package loadtest

import (
	"context"
	"testing"
	"time"
)

// A short steady run of the load tool's own scenario code against an
// in-process daemon: every order arrives, is stored once in its final
// state, its platform transitions went out once, and every ticket printed
// exactly once.
func TestShortSteadyRunLosesAndDuplicatesNothing(t *testing.T) {
	s := Scenario{Name: "steady", Rate: 10, Duration: 3 * time.Second, Stores: 2, Steady: true}
	res, err := RunScenario(context.Background(), RunOptions{Scenario: s, SettleTimeout: 60 * time.Second,
		Rig: RigOptions{Dir: t.TempDir(), Mode: ModeInProcess}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("errors %v, checker problems %v", res.Errors, res.Check.Problems)
	}
	if res.Orders != 30 || res.Check.Orders != 30 || res.Check.Stored != 30 {
		t.Fatalf("created %d, platform has %d, stored %d: want 30 each", res.Orders, res.Check.Orders, res.Check.Stored)
	}
	if res.Check.Transitions != 30 || res.Check.Jobs < 60 || res.OrderToPrint.Count != 30 {
		t.Fatalf("transitions %d (want one accept each), jobs %d, orders printed %d", res.Check.Transitions, res.Check.Jobs, res.OrderToPrint.Count)
	}
	if res.PushAck.Count < 60 || res.PeakRSS == 0 || res.DBBytes == 0 {
		t.Fatalf("measurements missing: %+v", res)
	}
}

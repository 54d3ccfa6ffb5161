package main

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// `print test` through the daemon waits for the page: a printer that never
// answers is a failure (exit 1) within the wait, and its page is dropped so
// it does not print hours later. `printers list` fails for it too, as it
// does without the daemon.
func TestPrintTestWaitsForTheOutcome(t *testing.T) {
	printTestWait = 3 * time.Second
	t.Cleanup(func() { printTestWait = 45 * time.Second })
	env, err := harness.Start(context.Background(), t.TempDir(), harness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Stop()
	cfg := []string{"--config", env.ConfigFile}
	env.Printers["kitchen"].Down()
	if code := dispatch(append([]string{"print", "test", "kitchen"}, cfg...)); code != 1 {
		t.Fatalf("print test on a printer that never answers: exit %d, want 1", code)
	}
	jobs, _ := env.Daemon.DB.ListPrintJobs(context.Background(), store.PrintJobFilter{Printer: "kitchen", Docs: []string{"test"}})
	if len(jobs) != 1 || jobs[0].State != store.JobDropped {
		t.Fatalf("the unprinted test page: %+v, want one dropped job", jobs)
	}
	if code := dispatch(append([]string{"print", "test", "front"}, cfg...)); code != 0 {
		t.Fatalf("print test on a working printer: exit %d", code)
	}
	if code := dispatch(append([]string{"print", "test", "nosuch"}, cfg...)); code != 2 {
		t.Fatalf("print test on an unknown printer: exit %d, want 2", code)
	}
	if !harness.WaitFor(15*time.Second, func() bool {
		for _, st := range env.Daemon.Fleet.Status() {
			if st.Name == "kitchen" && st.State == printer.StateOffline {
				return true
			}
		}
		return false
	}) {
		t.Fatalf("the daemon never saw the kitchen printer offline: %+v", env.Daemon.Fleet.Status())
	}
	if code := dispatch(append([]string{"printers", "list"}, cfg...)); code != 1 {
		t.Fatalf("printers list through the daemon with an offline printer: exit %d, want 1 (as without it)", code)
	}
}

// Before the service runs, `print test` prints on the printers itself and
// says which did not print.
func TestPrintTestWithoutDaemonPrintsDirectly(t *testing.T) {
	env, err := harness.Prepare(t.TempDir(), harness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	cfg := []string{"--config", env.ConfigFile}
	if code := dispatch(append([]string{"print", "test"}, cfg...)); code != 0 {
		t.Fatalf("print test without the daemon: exit %d", code)
	}
	for _, name := range []string{"front", "kitchen", "label"} {
		if !env.Printers[name].WaitJobs(1, 5*time.Second) {
			t.Errorf("printer %s got no test page", name)
		}
	}
	env.Printers["kitchen"].Down()
	if code := dispatch(append([]string{"print", "test", "kitchen"}, cfg...)); code != 1 {
		t.Fatalf("print test without the daemon on a dead printer: exit %d, want 1", code)
	}
}

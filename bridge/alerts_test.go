package bridge_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// An order left waiting for a decision raises an escalating alert.
func TestWaitingOrderEscalates(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual", ExtraYAML: "alerts:\n  waiting_order: 1s\n"})
	events, stop := env.Daemon.Bridge.Bus().Subscribe()
	defer stop()
	o := teaOrder(env, fake.OrderSpec{})
	levels := map[int]bool{}
	deadline := time.After(8 * time.Second)
	for len(levels) < 2 {
		select {
		case e := <-events:
			if e.Type == bridge.EvAlert && e.Kind == "waiting_order" && e.Code == o.Code {
				levels[e.Data.(map[string]int)["level"]] = true
			}
		case <-deadline:
			t.Fatalf("alert levels seen: %v", levels)
		}
	}
}

// With no console page open and an order waiting, the printers beep.
func TestPrintersBeepWhenNoConsoleWatches(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual", Console: "no_page_beep: 1s"})
	o := teaOrder(env, fake.OrderSpec{})
	if _, err := env.WaitStatus(o.Code, order.StatusNew, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if !harness.WaitFor(10*time.Second, func() bool {
		jobs, _ := env.Daemon.DB.ListPrintJobs(context.Background(), store.PrintJobFilter{Docs: []string{"beep"}, States: []string{store.JobDone}})
		seen := map[string]bool{}
		for _, j := range jobs {
			seen[j.Printer] = true
		}
		return seen["front"] && seen["kitchen"] && !seen["label"]
	}) {
		t.Fatal("receipt and kitchen printers did not beep")
	}
	// A page connects: the beeping stops.
	_, stop := env.Daemon.Bridge.Bus().Subscribe()
	defer stop()
	time.Sleep(200 * time.Millisecond)
	before, _ := env.Daemon.DB.ListPrintJobs(context.Background(), store.PrintJobFilter{Docs: []string{"beep"}})
	time.Sleep(2 * time.Second)
	after, _ := env.Daemon.DB.ListPrintJobs(context.Background(), store.PrintJobFilter{Docs: []string{"beep"}})
	if len(after) != len(before) {
		t.Fatalf("printers kept beeping with a console open: %d → %d", len(before), len(after))
	}
}

// A serial scanner (a socat pty pair) marks an order made.
func TestSerialScannerMarksMade(t *testing.T) {
	if _, err := exec.LookPath("socat"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("socat is required under CI")
		}
		t.Skip("socat not installed")
	}
	dir := t.TempDir()
	scannerEnd, hostEnd := filepath.Join(dir, "scanner"), filepath.Join(dir, "host")
	socat := exec.Command("socat", "pty,raw,echo=0,link="+scannerEnd, "pty,raw,echo=0,link="+hostEnd)
	if err := socat.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = socat.Process.Kill(); _ = socat.Wait() }()
	if !harness.WaitFor(5*time.Second, func() bool { _, err := os.Stat(hostEnd); return err == nil }) {
		t.Fatal("no pty pair")
	}
	env := start(t, harness.Options{ExtraYAML: "scanner:\n  serial: \"serial://" + scannerEnd + "?baud=9600\"\n"})
	o := teaOrder(env, fake.OrderSpec{})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the reader opens the port
	f, err := os.OpenFile(hostEnd, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(o.Code + "\r\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.WaitStatus(o.Code, order.StatusMade, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	wantOps(t, env, o.Code, "3", "31")
}

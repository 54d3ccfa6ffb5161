package drills

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/internal/loadtest"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/printer/fakeprinter"
)

// The receipt printer is out of paper and the label printer stalls (accepts
// but never reads) when the orders start to arrive, and the kitchen printer
// cuts every connection off after 200 bytes of a job; then each recovers.
// Orders that arrive while a printer cannot print are not accepted blindly:
// staff are asked (accept.prompt_when_printer_down). Staff — the drill,
// through the console API — accept some of them during the outage, so their
// kitchen tickets are cut off mid-job; once the printers are back the daemon
// accepts the rest itself. Every ticket ends printed exactly once whole;
// those cut off mid-job printed once more with 补打; nothing was lost or
// sent to the wrong printer.
func TestPrintersCutOffRunOutOfPaperAndStall(t *testing.T) {
	s := drillScenario("printers", 90, 6*time.Second)
	rig := startRig(t, loadtest.ModeInProcess, harnessFor(s, nil))
	ctx := context.Background()
	rec := loadtest.NewRecorder()
	kitchen, front, label := rig.Env.Printers["kitchen"], rig.Env.Printers["front"], rig.Env.Printers["label"]
	kitchen.DropAfter(200)
	front.SetState(printer.StatePaperOut)
	label.Stall(true)
	rec.Mark("kitchen cuts off, receipt out of paper, label stalls")
	if !harness.WaitFor(10*time.Second, func() bool { ok, _ := rig.Env.Daemon.Fleet.Health("front"); return !ok }) {
		t.Fatal("the daemon never saw the receipt printer out of paper")
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, rig, rec) }()

	time.Sleep(time.Second)
	byStaff := acceptWaiting(t, rig, 1500*time.Millisecond) // staff accept what waits, printers still down
	if byStaff == 0 {
		t.Fatal("no order waited for staff while the receipt printer was out of paper")
	}
	if !harness.WaitFor(5*time.Second, func() bool { return cutOffs(kitchen) > 0 }) {
		t.Fatal("no kitchen ticket was cut off: the cut-off fault was not exercised")
	}
	kitchen.DropAfter(0)
	front.SetState(printer.StateOnline)
	label.Stall(false)
	rec.Mark("printers recovered")
	must(t, <-done)
	byStaff += acceptWaiting(t, rig, 20*time.Second)
	prompted := promptedForPrinters(t, rig)
	if prompted < byStaff {
		t.Errorf("%d orders were put to staff for the printers, but staff accepted %d", prompted, byStaff)
	}
	t.Logf("%d orders were put to staff while printers were down; staff accepted %d, the daemon the rest once the printers were back", prompted, byStaff)
	res := settleAndCheck(t, rig, 90*time.Second)
	if res.Stored != 90 {
		t.Fatalf("%d of 90 orders stored", res.Stored)
	}
	if res.PartialCopies == 0 || res.Reprints == 0 {
		t.Fatalf("%d cut-off copies, %d reprints: the kitchen printer's cut-offs were not exercised", res.PartialCopies, res.Reprints)
	}
	var frontLate int
	for _, c := range front.Conns() {
		if c.HasJob() && c.FirstJobByteAt().After(rec.Start.Add(3500*time.Millisecond)) {
			frontLate++
		}
	}
	if frontLate == 0 {
		t.Fatal("no receipt printed after the paper came back: the paper-out was not exercised")
	}
}

// cutOffs counts the connections the fake printer dropped mid-job.
func cutOffs(p *fakeprinter.Printer) int {
	n := 0
	for _, c := range p.Conns() {
		if c.Dropped() {
			n++
		}
	}
	return n
}

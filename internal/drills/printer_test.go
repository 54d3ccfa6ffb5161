package drills

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/loadtest"
	"github.com/posbridge/posbridge/printer"
)

// While orders arrive, the kitchen printer cuts every connection off after
// 200 bytes of a job, the receipt printer runs out of paper, and the label
// printer stalls (accepts but never reads); then each recovers. Every
// ticket ends printed exactly once whole; those cut off mid-job printed
// once more with 补打; nothing was lost or sent to the wrong printer.
// Orders that arrived while a printer could not print were not accepted
// blindly: staff were asked (accept.prompt_when_printer_down), and staff —
// the drill, through the console API — accept them once the printers are back.
func TestPrintersCutOffRunOutOfPaperAndStall(t *testing.T) {
	s := drillScenario("printers", 90, 6*time.Second)
	rig := startRig(t, loadtest.ModeInProcess, harnessFor(s, nil))
	ctx := context.Background()
	rec := loadtest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, rig, rec) }()

	kitchen, front, label := rig.Env.Printers["kitchen"], rig.Env.Printers["front"], rig.Env.Printers["label"]
	time.Sleep(time.Second)
	kitchen.DropAfter(200)
	front.SetState(printer.StatePaperOut)
	label.Stall(true)
	rec.Mark("kitchen cuts off, receipt out of paper, label stalls")
	time.Sleep(2500 * time.Millisecond)
	kitchen.DropAfter(0)
	front.SetState(printer.StateOnline)
	label.Stall(false)
	rec.Mark("printers recovered")
	must(t, <-done)
	if prompted := acceptWaiting(t, rig, 20*time.Second); prompted == 0 {
		t.Error("no order was put to staff while printers could not print")
	} else {
		t.Logf("staff accepted %d orders put to them while printers were down", prompted)
	}
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

package fleet

import (
	"context"
	"slices"

	"github.com/posbridge/posbridge/printer/discover"
	"github.com/posbridge/posbridge/printer/transport"
)

// QueueReporter is a one-way transport that can still say what its queue
// knows: the Windows spooler (offline, out of paper, jobs in error).
type QueueReporter interface {
	Queue(ctx context.Context) (discover.SpoolerQueue, error)
}

// Where a printer's state comes from, for the console.
const (
	StatusFromPrinter = "printer" // the printer answered DLE EOT / <ESC>!?
	StatusFromSpooler = "spooler" // the Windows spooler's flags and job errors
	StatusFromNone    = "none"    // a one-way link: nothing is known
)

// oneWayHint is what staff read about a printer nothing can be asked of.
const oneWayHint = "单向连接，posbridge 读不到这台打印机的状态：请留意打印机的指示灯，用「测试打印」确认能出纸"

// spoolerState turns the spooler's view into a printer state: paper and
// cover first (they name what to do), then anything that stops the queue.
// With nothing flagged the spooler says ready, which for a USB printer that
// was switched off is not proof (it learns only when a job fails).
func spoolerState(q discover.SpoolerQueue) transport.PrinterState {
	w := q.Printer
	flagged := func(names ...string) bool {
		for _, n := range names {
			if slices.Contains(w.Status, n) {
				return true
			}
			for _, j := range q.Jobs {
				if slices.Contains(j.Status, n) {
					return true
				}
			}
		}
		return false
	}
	switch {
	case flagged("paper_out"):
		return transport.StatePaperOut
	case flagged("door_open"):
		return transport.StateCoverOpen
	case w.WorkOffline || flagged("offline", "not_available", "error", "paper_jam", "paper_problem", "user_intervention", "blocked", "paused", "server_unknown"):
		return transport.StateOffline
	}
	return transport.StateOnline
}

// pollQueue records what the spooler knows; false when the transport has
// no queue to ask.
func (w *worker) pollQueue(ctx context.Context) bool {
	qr, ok := w.dev.Transport.(QueueReporter)
	if !ok {
		return false
	}
	q, err := qr.Queue(ctx)
	if err != nil {
		w.setStateFrom(transport.StateUnknown, err.Error(), "", StatusFromSpooler)
		return true
	}
	w.setStateFrom(spoolerState(q), "", q.Label(), StatusFromSpooler)
	return true
}

package fleet

import (
	"time"

	"github.com/posbridge/posbridge/printer/transport"
)

// EventKind names what happened on a printer.
type EventKind string

const (
	EventStatus    EventKind = "printer_status" // the printer's state changed
	EventJobDone   EventKind = "job_done"
	EventJobRetry  EventKind = "job_retry"  // an attempt failed; the job waits for the printer
	EventJobFailed EventKind = "job_failed" // the job cannot be printed (broken document)
	EventJobMoved  EventKind = "job_moved"  // failed over to the backup printer
	EventJobsHeld  EventKind = "jobs_held"  // stale jobs wait for a staff decision
)

// Event is pushed to the console through FleetOptions.OnEvent.
type Event struct {
	Kind      EventKind              `json:"kind"`
	Printer   string                 `json:"printer"`
	State     transport.PrinterState `json:"state,omitempty"`
	JobID     int64                  `json:"job_id,omitempty"`
	OrderCode string                 `json:"order_code,omitempty"`
	Doc       string                 `json:"doc,omitempty"`
	To        string                 `json:"to,omitempty"`    // job_moved: the backup printer
	Count     int64                  `json:"count,omitempty"` // jobs_held
	Reprint   bool                   `json:"reprint,omitempty"`
	// Waiting is how long the job has waited since it was first tried.
	Waiting time.Duration `json:"waiting,omitempty"`
	Err     string        `json:"error,omitempty"`
	At      time.Time     `json:"at"`
}

package printer

import (
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/fleet"
)

type (
	Event         = fleet.Event
	EventKind     = fleet.EventKind
	Fleet         = fleet.Fleet
	FleetOptions  = fleet.FleetOptions
	Job           = fleet.Job
	JobStore      = fleet.JobStore
	PrinterStatus = fleet.PrinterStatus
	QueueReporter = fleet.QueueReporter
)

const (
	EventJobDone      = fleet.EventJobDone
	EventJobFailed    = fleet.EventJobFailed
	EventJobMoved     = fleet.EventJobMoved
	EventJobRetry     = fleet.EventJobRetry
	EventJobsHeld     = fleet.EventJobsHeld
	EventStatus       = fleet.EventStatus
	KindSticker       = fleet.KindSticker
	StatusFromNone    = fleet.StatusFromNone
	StatusFromPrinter = fleet.StatusFromPrinter
	StatusFromSpooler = fleet.StatusFromSpooler
)

var (
	ErrNoReceiptPrinter = fleet.ErrNoReceiptPrinter
)

func NewFleet(printers []config.PrinterConfig, pc config.PrintConfig, db fleet.JobStore, opt fleet.FleetOptions) (*fleet.Fleet, error) {
	return fleet.NewFleet(printers, pc, db, opt)
}

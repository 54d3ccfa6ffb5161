// The names bridge, console, internal/app, cmd and the reports use, so they
// keep importing one package while each concern lives in its own sub-package.
// New code inside printer/ imports the sub-packages directly.

package printer

import (
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/fleet"
	"github.com/posbridge/posbridge/printer/preview"
	"github.com/posbridge/posbridge/printer/render"
	"github.com/posbridge/posbridge/printer/transport"
)

// The fleet: printers, their workers and the jobs planned for an order (printer/fleet).

type (
	Event         = fleet.Event
	Fleet         = fleet.Fleet
	FleetOptions  = fleet.FleetOptions
	Job           = fleet.Job
	PrinterStatus = fleet.PrinterStatus
)

const (
	EventJobDone   = fleet.EventJobDone
	EventJobFailed = fleet.EventJobFailed
	EventJobMoved  = fleet.EventJobMoved
	EventJobRetry  = fleet.EventJobRetry
	EventJobsHeld  = fleet.EventJobsHeld
	EventStatus    = fleet.EventStatus
)

func NewFleet(printers []config.PrinterConfig, pc config.PrintConfig, db fleet.JobStore, opt fleet.FleetOptions) (*fleet.Fleet, error) {
	return fleet.New(printers, pc, db, opt)
}

// Documents, templates and printer profiles (printer/document).

type (
	Block    = document.Block
	Document = document.Document
	Kind     = document.Kind
	Matcher  = document.Matcher
	Options  = document.Options
	Profile  = document.Profile
	Style    = document.Style
)

const (
	AlignCenter       = document.AlignCenter
	KindCancel        = document.KindCancel
	KindKitchen       = document.KindKitchen
	KindPartialRefund = document.KindPartialRefund
	KindPause         = document.KindPause
	KindReceipt       = document.KindReceipt
	KindRefund        = document.KindRefund
	KindReminder      = document.KindReminder
	KindResume        = document.KindResume
	RoleReceipt       = document.RoleReceipt
)

func BeepDocument(times int) document.Document { return document.BeepDocument(times) }

func CupLabels(o *order.Order, m document.Matcher, opt document.Options) []document.Document {
	return document.CupLabels(o, m, opt)
}

func Cut() document.Block { return document.Cut() }

func Feed(n int) document.Block { return document.Feed(n) }

func KitchenTickets(o *order.Order, m document.Matcher, opt document.Options) []document.Document {
	return document.KitchenTickets(o, m, opt)
}

func LayoutFrom(c config.LayoutConfig) document.Layout { return document.LayoutFrom(c) }

func NewMatcher(m config.MatchConfig) document.Matcher { return document.NewMatcher(m) }

func OptionsFor(pc config.PrinterConfig, pr config.PrintConfig) document.Options {
	return document.OptionsFor(pc, pr)
}

func ProfileFromConfig(pc config.PrinterConfig) (document.Profile, error) {
	return document.ProfileFromConfig(pc)
}

func Receipt(o *order.Order, opt document.Options) document.Document { return document.Receipt(o, opt) }

func Row(left string, right string, st document.Style) document.Block {
	return document.Row(left, right, st)
}

func Separator(ch string) document.Block { return document.Separator(ch) }

func TestPage(p document.Profile, at time.Time, sandbox bool) document.Document {
	return document.TestPage(p, at, sandbox)
}

func Text(s string, st document.Style) document.Block { return document.Text(s, st) }

func UnmarshalDocument(b []byte) (document.Document, error) { return document.UnmarshalDocument(b) }

// Encoding in the printer's language (printer/render).

func Render(d document.Document, p document.Profile) ([]byte, error) { return render.Render(d, p) }

// Links to printers, their status and the errors staff read (printer/transport).

type (
	PrinterState     = transport.PrinterState
	TransportOptions = transport.Options
)

const (
	StateCoverOpen    = transport.StateCoverOpen
	StateOffline      = transport.StateOffline
	StateOnline       = transport.StateOnline
	StatePaperNearEnd = transport.StatePaperNearEnd
	StatePaperOut     = transport.StatePaperOut
	StateUnknown      = transport.StateUnknown
)

func Explain(errText string) string { return transport.Explain(errText) }

func NewDevice(pc config.PrinterConfig, opt transport.Options) (*transport.Device, error) {
	return transport.NewDevice(pc, opt)
}

func OpenTransport(uri string, opt transport.Options) (transport.Transport, error) {
	return transport.Open(uri, opt)
}

// Decoding printer bytes back into what the printer would print (printer/preview).

type (
	Preview = preview.Preview
)

func Decode(language string, data []byte) preview.Preview { return preview.Decode(language, data) }

func DecodeFor(p document.Profile, data []byte) preview.Preview { return preview.DecodeFor(p, data) }

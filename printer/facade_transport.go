package printer

import (
	"context"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/transport"
)

type (
	Device           = transport.Device
	Emulator         = transport.Emulator
	EmulatorReply    = transport.EmulatorReply
	Link             = transport.Link
	PrintError       = transport.PrintError
	PrinterState     = transport.PrinterState
	Transport        = transport.Transport
	TransportOptions = transport.TransportOptions
	VirtualJob       = transport.VirtualJob
	VirtualPrinter   = transport.VirtualPrinter
)

const (
	StateCoverOpen    = transport.StateCoverOpen
	StateOffline      = transport.StateOffline
	StateOnline       = transport.StateOnline
	StatePaperNearEnd = transport.StatePaperNearEnd
	StatePaperOut     = transport.StatePaperOut
	StateUnknown      = transport.StateUnknown
)

var (
	ErrCannotPrint = transport.ErrCannotPrint
	ErrNoReply     = transport.ErrNoReply
	ErrOneWay      = transport.ErrOneWay
)

func DLEEOTReplyFor(n byte, st transport.PrinterState) byte { return transport.DLEEOTReplyFor(n, st) }
func Explain(errText string) string                         { return transport.Explain(errText) }
func FenceReplyFor(st transport.PrinterState) byte          { return transport.FenceReplyFor(st) }
func IsDLEEOTReply(b byte) bool                             { return transport.IsDLEEOTReply(b) }
func IsFenceReply(b byte) bool                              { return transport.IsFenceReply(b) }
func NewDevice(pc config.PrinterConfig, opt transport.TransportOptions) (*transport.Device, error) {
	return transport.NewDevice(pc, opt)
}
func OpenTransport(uri string, opt transport.TransportOptions) (transport.Transport, error) {
	return transport.OpenTransport(uri, opt)
}
func QueryStatus(ctx context.Context, l transport.Link, language string) (transport.PrinterState, error) {
	return transport.QueryStatus(ctx, l, language)
}
func TSPLStatusFor(st transport.PrinterState) byte { return transport.TSPLStatusFor(st) }
func VirtualPrinterNamed(name string, language string) *transport.VirtualPrinter {
	return transport.VirtualPrinterNamed(name, language)
}

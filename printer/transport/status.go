package transport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/posbridge/posbridge/printer/document"
)

// PrinterState is what a printer reports about itself.
type PrinterState string

const (
	StateOnline       PrinterState = "online"
	StateOffline      PrinterState = "offline"
	StateCoverOpen    PrinterState = "cover_open"
	StatePaperNearEnd PrinterState = "paper_near_end"
	StatePaperOut     PrinterState = "paper_out"
	StateUnknown      PrinterState = "unknown" // no answer, or a one-way link
)

// Label is the state in Simplified Chinese for the staff console.
func (s PrinterState) Label() string {
	switch s {
	case StateOnline:
		return "正常"
	case StateOffline:
		return "离线"
	case StateCoverOpen:
		return "纸仓盖打开"
	case StatePaperNearEnd:
		return "纸将用完"
	case StatePaperOut:
		return "缺纸"
	}
	return "状态未知"
}

// CanPrint reports whether a job sent now would print.
func (s PrinterState) CanPrint() bool { return s == StateOnline || s == StatePaperNearEnd }

// Real-time status replies (spec §7.1, §7.2, §9).
const (
	dleEOTMask  = 0x93 // 0xx1xx10: bits 7, 4, 1, 0 fixed
	dleEOTValue = 0x12
	gsRMask     = 0x90 // 0xx0xxxx
	gsRValue    = 0x00
)

// cmdFence is GS r 1: the printer answers it in order, after the job before
// it, so its reply says the job went through.
var cmdFence = []byte{0x1D, 0x72, 0x01}

// IsDLEEOTReply reports whether b has the pattern of a DLE EOT reply.
func IsDLEEOTReply(b byte) bool { return b&dleEOTMask == dleEOTValue }

// IsFenceReply reports whether b has the pattern of a GS r reply.
func IsFenceReply(b byte) bool { return b&gsRMask == gsRValue }

// replyTimeout is how long a status reply may take: ~1 s on TCP and serial.
const replyTimeout = 1500 * time.Millisecond

// QueryStatus asks a printer on an open two-way link for its real-time
// status: DLE EOT 1, 2 and 4 on ESC/POS, <ESC>!? on TSPL. Bytes that are not
// replies (automatic status, echoes) are skipped.
func QueryStatus(ctx context.Context, l Link, language string) (PrinterState, error) {
	if language == document.LangTSPL {
		b, err := request(ctx, l, []byte{0x1B, 0x21, 0x3F}, func(byte) bool { return true })
		if err != nil {
			return StateUnknown, err
		}
		return tsplState(b), nil
	}
	var r [3]byte
	for i, n := range []byte{1, 2, 4} {
		b, err := request(ctx, l, []byte{0x10, 0x04, n}, IsDLEEOTReply)
		if err != nil {
			return StateUnknown, err
		}
		r[i] = b
	}
	return escposState(r[0], r[1], r[2]), nil
}

func escposState(printer, offline, paper byte) PrinterState {
	switch {
	case offline&0x04 != 0:
		return StateCoverOpen
	case offline&0x20 != 0 || paper&0x60 != 0:
		return StatePaperOut
	case printer&0x08 != 0:
		return StateOffline
	case paper&0x0C != 0:
		return StatePaperNearEnd
	}
	return StateOnline
}

func tsplState(b byte) PrinterState {
	switch {
	case b&0x41 != 0: // head open, cover open
		return StateCoverOpen
	case b&0x04 != 0:
		return StatePaperOut
	case b&0x9A != 0: // jam, ribbon, pause, temperature
		return StateOffline
	}
	return StateOnline // 0x00 ready, 0x20 printing
}

// request writes a query and waits for the first byte accepted by match.
func request(ctx context.Context, l Link, query []byte, match func(byte) bool) (byte, error) {
	ctx, cancel := context.WithTimeout(ctx, replyTimeout)
	defer cancel()
	if err := l.Write(ctx, query); err != nil {
		return 0, err
	}
	return awaitReply(ctx, l, match)
}

func awaitReply(ctx context.Context, l Link, match func(byte) bool) (byte, error) {
	var buf [64]byte
	for {
		n, err := l.Read(ctx, buf[:])
		for _, b := range buf[:n] {
			if match(b) {
				return b, nil
			}
		}
		if err != nil {
			return 0, err
		}
		if ctx.Err() != nil {
			return 0, ErrNoReply
		}
	}
}

// PrintError says how far a job got. Sent means bytes may have reached the
// printer, so it may have printed: a retry must carry the 补打 mark.
type PrintError struct {
	Stage   string // connect | status | write | fence
	Sent    bool
	State   PrinterState // what the printer said, when it said something
	Printer string
	Err     error
}

func (e *PrintError) Error() string {
	switch e.Stage {
	case "status":
		if e.State != "" && e.State != StateUnknown {
			return fmt.Sprintf("printer %s cannot print: %s", e.Printer, e.State.Label())
		}
	case "fence":
		return fmt.Sprintf("printer %s did not confirm the job (it may or may not have printed): %v", e.Printer, e.Err)
	}
	return fmt.Sprintf("printer %s: %s: %v", e.Printer, e.Stage, e.Err)
}

func (e *PrintError) Unwrap() error { return e.Err }

// ErrCannotPrint is wrapped when the printer reported it cannot print.
var ErrCannotPrint = errors.New("the printer reports it cannot print")

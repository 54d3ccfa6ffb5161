package transport

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/document"
)

// Device is one configured printer: its profile, its transport and whether it
// answers status queries. It sends one rendered job per session.
type Device struct {
	Profile   document.Profile
	Transport Transport
	// StatusQuery is false for printers that answer nothing (status_query: off):
	// their jobs count as printed once written, as on a one-way link.
	StatusQuery bool
	// FenceTimeout is how long the printer may take to print a job before its
	// GS r reply; default 20 s plus 1 s per 4 KiB.
	FenceTimeout time.Duration
}

// NewDevice validates a printer's config and opens its transport.
func NewDevice(pc config.PrinterConfig, opt Options) (*Device, error) {
	p, err := document.ProfileFromConfig(pc)
	if err != nil {
		return nil, err
	}
	if err := document.ValidateMatch(pc.Match); err != nil {
		return nil, fmt.Errorf("printer %q: %w", pc.Name, err)
	}
	opt.Language = p.Language
	if opt.Columns == 0 {
		opt.Columns = p.Columns
	}
	t, err := Open(pc.Connection, opt)
	if err != nil {
		return nil, fmt.Errorf("printer %q: %w", pc.Name, err)
	}
	sq := true
	switch strings.ToLower(strings.TrimSpace(pc.StatusQuery)) {
	case "", "on", "true", "yes":
	case "off", "false", "no":
		sq = false
	default:
		return nil, fmt.Errorf("printer %q: status_query %q is not on or off", pc.Name, pc.StatusQuery)
	}
	return &Device{Profile: p, Transport: t, StatusQuery: sq}, nil
}

// Confirms reports whether a job's printing is confirmed by the printer
// (fence reply) rather than assumed once the bytes are written.
func (d *Device) Confirms() bool { return d.StatusQuery && d.Transport.TwoWay() }

// Status asks the printer for its state; StateUnknown with an error when it
// cannot be reached or does not answer, StateUnknown without one on links
// that cannot answer.
func (d *Device) Status(ctx context.Context) (PrinterState, error) {
	if !d.Confirms() {
		return StateUnknown, nil
	}
	l, err := d.Transport.Open(ctx)
	if err != nil {
		return StateOffline, err
	}
	defer l.Close()
	st, err := QueryStatus(ctx, l, d.Profile.Language)
	if errors.Is(err, ErrNoReply) {
		return StateUnknown, fmt.Errorf("printer %s connected but did not answer the status query: %w (set status_query: off if it never answers)", d.Profile.Name, err)
	}
	return st, err
}

// Print sends one rendered job in one session. On a confirming link it first
// checks the printer can print (sending nothing to a printer out of paper,
// whose buffer would print the job later as a surprise duplicate), then
// writes the job and waits for the GS r fence: nil means the printer
// processed the job. On other links nil means every byte was written.
func (d *Device) Print(ctx context.Context, job []byte) error {
	name := d.Profile.Name
	l, err := d.Transport.Open(ctx)
	if err != nil {
		return &PrintError{Stage: "connect", Printer: name, State: StateOffline, Err: err}
	}
	defer l.Close()
	if d.Confirms() {
		st, err := QueryStatus(ctx, l, d.Profile.Language)
		if err != nil {
			return &PrintError{Stage: "status", Printer: name, State: StateUnknown, Err: err}
		}
		if !st.CanPrint() {
			return &PrintError{Stage: "status", Printer: name, State: st, Err: ErrCannotPrint}
		}
	}
	if err := l.Write(ctx, job); err != nil {
		return &PrintError{Stage: "write", Sent: true, Printer: name, Err: err}
	}
	if !d.Confirms() {
		return nil
	}
	if err := d.fence(ctx, l, len(job)); err != nil {
		return &PrintError{Stage: "fence", Sent: true, Printer: name, Err: err}
	}
	return nil
}

// fence waits until the printer has processed everything sent before it:
// GS r 1 on ESC/POS (answered in order); on TSPL, a status query that shows
// no error once the job is in.
func (d *Device) fence(ctx context.Context, l Link, size int) error {
	timeout := d.FenceTimeout
	if timeout <= 0 {
		timeout = 20*time.Second + time.Duration(size/4096)*time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if d.Profile.Language == document.LangTSPL {
		st, err := QueryStatus(ctx, l, document.LangTSPL)
		if err != nil {
			return err
		}
		if !st.CanPrint() {
			return fmt.Errorf("label printer reports %s after the job: %w", st.Label(), ErrCannotPrint)
		}
		return nil
	}
	if err := l.Write(ctx, cmdFence); err != nil {
		return err
	}
	_, err := awaitReply(ctx, l, IsFenceReply)
	return err
}

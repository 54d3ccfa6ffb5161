// Package scanner reads barcode scanners attached as serial ports (USB CDC
// or RS-232) and hands every code it reads to a callback. It reconnects when
// the scanner is unplugged and plugged back. It does not decide what a scan
// means, nor does it debounce: the double-scan rule lives in bridge.
package scanner

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.bug.st/serial"

	"github.com/posbridge/posbridge/internal/connuri"
)

// Port says how to open a scanner: serial:///dev/ttyACM0?baud=9600 or serial://COM5?baud=9600.
type Port struct {
	Path string
	Mode serial.Mode
}

// ParseURI reads a scanner URI in the connection grammar config check
// validates (connuri): a serial port with its line settings. Flow control
// is not applied: scanners send a few bytes at a time.
func ParseURI(uri string) (Port, error) {
	c, err := connuri.Parse(uri)
	if err != nil {
		return Port{}, fmt.Errorf("scanner %w", err)
	}
	if c.Scheme != "serial" {
		return Port{}, fmt.Errorf("scanner %q: write it as serial:///dev/ttyACM0?baud=9600 or serial://COM5?baud=9600", uri)
	}
	return Port{Path: c.Path, Mode: *c.SerialMode()}, nil
}

// Reader reads codes from one serial scanner.
type Reader struct {
	Port   Port
	OnCode func(code string)
	Log    *slog.Logger
	// OnState reports connected / disconnected changes (for the console).
	OnState func(connected bool, err error)
	// Retry is the delay between reconnection attempts (default 2 s).
	Retry time.Duration
}

// maxCode bounds one read: a scanner that streams garbage must not grow memory.
const maxCode = 512

// Run reads until ctx ends, reopening the port whenever it fails.
func (r *Reader) Run(ctx context.Context) {
	retry := r.Retry
	if retry <= 0 {
		retry = 2 * time.Second
	}
	logged := false
	for ctx.Err() == nil {
		port, err := serial.Open(r.Port.Path, &r.Port.Mode)
		if err != nil {
			if !logged {
				r.log().Warn("scanner not connected; retrying", "port", r.Port.Path, "err", err)
				r.state(false, err)
				logged = true
			}
			if !wait(ctx, retry) {
				return
			}
			continue
		}
		logged = false
		r.log().Info("scanner connected", "port", r.Port.Path)
		r.state(true, nil)
		err = r.read(ctx, port)
		port.Close()
		if ctx.Err() != nil {
			return
		}
		r.log().Warn("scanner disconnected; reconnecting", "port", r.Port.Path, "err", err)
		r.state(false, err)
		if !wait(ctx, retry) {
			return
		}
	}
}

// read splits the stream into codes at CR or LF (scanners end codes with
// either, or both) and stops at the first error.
func (r *Reader) read(ctx context.Context, port serial.Port) error {
	// A read timeout lets the loop notice ctx; a real disconnect is an error.
	if err := port.SetReadTimeout(300 * time.Millisecond); err != nil {
		return err
	}
	chunk := make([]byte, 256)
	var buf []byte
	for ctx.Err() == nil {
		n, err := port.Read(chunk)
		if err != nil {
			return err
		}
		if n == 0 {
			// A pause ends a code from scanners configured without a terminator.
			if len(buf) > 0 {
				r.emit(string(buf))
				buf = buf[:0]
			}
			continue
		}
		for _, b := range chunk[:n] {
			switch {
			case b == '\r' || b == '\n':
				if len(buf) > 0 {
					r.emit(string(buf))
					buf = buf[:0]
				}
			case len(buf) < maxCode:
				buf = append(buf, b)
			}
		}
	}
	return ctx.Err()
}

func (r *Reader) emit(code string) {
	code = strings.TrimSpace(code)
	if code != "" && r.OnCode != nil {
		r.OnCode(code)
	}
}

func (r *Reader) state(connected bool, err error) {
	if r.OnState != nil {
		r.OnState(connected, err)
	}
}

func (r *Reader) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

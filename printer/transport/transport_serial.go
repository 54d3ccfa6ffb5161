package transport

import (
	"context"
	"fmt"
	"time"

	"go.bug.st/serial"

	"github.com/posbridge/posbridge/internal/connuri"
)

// serialTransport is a printer on a serial port (RS-232, USB virtual COM,
// Bluetooth SPP). The port is opened per session like a TCP connection.
type serialTransport struct {
	name   string
	params connuri.Connection // the line settings: Baud, DataBits, Parity, StopBits, Flow
	opt    Options
}

func (t *serialTransport) TwoWay() bool   { return true }
func (t *serialTransport) String() string { return "serial://" + t.name }

func (t *serialTransport) Open(ctx context.Context) (Link, error) {
	mode := t.params.SerialMode()
	unlock, err := lockDevice(ctx, t.name)
	if err != nil {
		return nil, fmt.Errorf("serial printer %s: %w", t.name, err)
	}
	port, err := serial.Open(t.name, mode)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("open serial printer %s: %w (is the cable in and no other program using the port?)", t.name, err)
	}
	if err := setSerialFlow(t.name, t.params.Flow); err != nil {
		port.Close()
		unlock()
		return nil, fmt.Errorf("serial printer %s: %w", t.name, err)
	}
	return &serialLink{port: port, name: t.name, opt: t.opt, unlock: unlock}, nil
}

type serialLink struct {
	port   serial.Port
	name   string
	opt    Options
	unlock func() // releases the session's lock on the port (devlock)
}

// Write gives up at the deadline: with flow control a printer out of paper
// holds CTS low and the write would block forever. Closing the port unblocks it.
func (l *serialLink) Write(ctx context.Context, p []byte) error {
	done := make(chan error, 1)
	go func(rest []byte) {
		for len(rest) > 0 {
			n, err := l.port.Write(rest)
			if err != nil {
				done <- err
				return
			}
			rest = rest[n:]
		}
		done <- l.port.Drain()
	}(p)
	timer := time.NewTimer(time.Until(writeDeadline(ctx, l.opt, len(p))))
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("write to serial printer %s: %w", l.name, err)
		}
		return nil
	case <-timer.C:
	case <-ctx.Done():
	}
	l.port.Close()
	return fmt.Errorf("write to serial printer %s: the printer took no data in time (offline, out of paper, or wrong baud/flow settings?)", l.name)
}

func (l *serialLink) Read(ctx context.Context, p []byte) (int, error) {
	wait := 2 * time.Second
	if dl, ok := ctx.Deadline(); ok {
		wait = time.Until(dl)
	}
	if wait <= 0 {
		return 0, ErrNoReply
	}
	if err := l.port.SetReadTimeout(wait); err != nil {
		return 0, err
	}
	n, err := l.port.Read(p)
	if err != nil {
		return n, fmt.Errorf("read from serial printer %s: %w", l.name, err)
	}
	if n == 0 {
		return 0, ErrNoReply
	}
	return n, nil
}

func (l *serialLink) Close() error {
	err := l.port.Close()
	l.unlock()
	return err
}

package transport

import (
	"context"
	"fmt"
	"os"
	"time"
)

// fileTransport writes jobs to a file (appending) or to a USB printer-class
// device such as /dev/usb/lp0. Both are one-way: no status replies.
type fileTransport struct {
	path   string
	device bool
	opt    Options
}

func (t *fileTransport) TwoWay() bool { return false }
func (t *fileTransport) String() string {
	if t.device {
		return "usb://" + t.path
	}
	return "file://" + t.path
}

func (t *fileTransport) Open(ctx context.Context) (Link, error) {
	flags := os.O_WRONLY | os.O_APPEND | os.O_CREATE
	if t.device {
		flags = os.O_WRONLY
	}
	unlock, err := lockDevice(ctx, t.path)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(t.path, flags, 0o644)
	if err != nil {
		unlock()
		if t.device {
			return nil, fmt.Errorf("open USB printer %s: %w (is it plugged in, and is posbridge's user in the lp group?)", t.path, err)
		}
		return nil, fmt.Errorf("open print file %s: %w", t.path, err)
	}
	return &fileLink{f: f, opt: t.opt, unlock: unlock}, nil
}

type fileLink struct {
	f      *os.File
	opt    Options
	unlock func() // releases the session's lock on the device or file (devlock)
}

// Write gives up at the deadline; a USB printer that stopped taking data
// would otherwise block forever. The file is closed to unblock the write.
func (l *fileLink) Write(ctx context.Context, p []byte) error {
	done := make(chan error, 1)
	go func() {
		_, err := l.f.Write(p)
		done <- err
	}()
	timer := time.NewTimer(time.Until(writeDeadline(ctx, l.opt, len(p))))
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("write to %s: %w", l.f.Name(), err)
		}
		return nil
	case <-timer.C:
	case <-ctx.Done():
	}
	l.f.Close()
	return fmt.Errorf("write to %s: the printer took no data in time (out of paper or switched off?)", l.f.Name())
}

func (l *fileLink) Read(context.Context, []byte) (int, error) { return 0, ErrOneWay }
func (l *fileLink) Close() error {
	err := l.f.Close()
	l.unlock()
	return err
}

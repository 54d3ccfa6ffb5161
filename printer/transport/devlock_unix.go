//go:build unix

package transport

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// lockWait is how long a session waits for a port another posbridge process
// holds (a test page takes a few seconds; the daemon opens per job).
const lockWait = 30 * time.Second

// lockDevice takes an exclusive advisory lock (flock) on a serial port, USB
// printer device or print file for one session, waiting while another
// posbridge process — the daemon, or `posbridge print test` run beside it —
// holds it: two writers on one port interleave their bytes into garbage.
// The lock is on the device itself, so it holds whatever user runs each
// process (root ignores a tty's exclusive mode, never this lock).
func lockDevice(ctx context.Context, path string) (release func(), err error) {
	ctx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	for {
		f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY, 0)
		switch {
		case errors.Is(err, unix.EBUSY):
			// Another process opened the tty in exclusive mode: it is in use.
		case err != nil:
			// Missing or forbidden: the real open says so in its own words.
			return func() {}, nil
		default:
			lerr := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
			if lerr == nil {
				return func() { _ = f.Close() }, nil // closing the descriptor releases the lock
			}
			f.Close()
			if !errors.Is(lerr, unix.EWOULDBLOCK) {
				return func() {}, nil // a device that cannot be locked: print as before
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%s is in use by another posbridge process (the running daemon or a posbridge command): "+
				"waited %s for it", path, lockWait)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

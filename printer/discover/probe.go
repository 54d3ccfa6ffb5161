package discover

import (
	"errors"
	"time"
)

// statusLink is an open device that writes and reads within time limits.
type statusLink interface {
	writeWithin(p []byte, d time.Duration) error
	// readWithin returns (0, nil) or a timeout error when nothing came.
	readWithin(p []byte, d time.Duration) (int, error)
}

// maxUnasked is how many bytes may come back before a reply: a printer with
// automatic status back sends 4-byte blocks; a service that talks more is
// not a printer.
const maxUnasked = 16

var errChatter = errors.New("the device sent data that is not a status reply")

// listenFirst is how long a device is listened to before it is asked:
// services that greet (VNC, SSH, FTP, a scanner's data) speak at once, and
// are neither asked nor taken for a printer whose reply has the pattern.
const listenFirst = 60 * time.Millisecond

// askStatus listens briefly, then sends DLE EOT 1 once and waits up to
// timeout for a byte with the reply pattern. It never resends: a printer
// that did not answer in time is silent.
func askStatus(l statusLink, timeout time.Duration) (Status, error) {
	buf := make([]byte, 64)
	if n, _ := l.readWithin(buf, listenFirst); n > 0 && !isAutoStatus(buf[:n]) {
		// Not asked: bytes sent to a service that is not a printer are rude.
		return Status{Reply: NotAsked}, errChatter
	}
	if err := l.writeWithin(dleEOT1, timeout); err != nil {
		return Status{Reply: NotAsked}, err
	}
	deadline := time.Now().Add(timeout)
	var got []byte
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return Status{Reply: Silent}, nil
		}
		n, err := l.readWithin(buf, left)
		got = append(got, buf[:n]...)
		// The reply is one byte, after any automatic status blocks; anything
		// else is a device talking about something else.
		switch {
		case len(got) > maxUnasked:
			return Status{Reply: Silent}, errChatter
		case len(got)%4 == 1 && isAutoStatus(got[:len(got)-1]) && isDLEEOTReply(got[len(got)-1]):
			return answered(got[len(got)-1]), nil
		case len(got) > 0 && len(got)%4 == 0 && !isAutoStatus(got):
			return Status{Reply: Silent}, errChatter
		}
		if err != nil {
			// A timeout, the printer closing the connection, or a read the
			// device does not support (unidirectional USB): no answer.
			return Status{Reply: Silent}, nil
		}
		if n == 0 {
			// Some links give back (0, nil) when the time is up.
			if time.Until(deadline) <= 0 {
				return Status{Reply: Silent}, nil
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// isAutoStatus reports whether p is automatic status back (GS a), or
// nothing: blocks of 4 bytes whose first has the pattern 0xx1xx00 (spec
// §7.2). A printer with it switched on may send one at any time.
func isAutoStatus(p []byte) bool {
	if len(p)%4 != 0 {
		return false
	}
	for i := 0; i < len(p); i += 4 {
		if p[i]&0x93 != 0x10 {
			return false
		}
	}
	return true
}

package discover

import (
	"bytes"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/ptypair"
)

// socatPair links two ptys: the host side for discovery, the printer side
// for the test to play a printer. Under CI=true a missing socat fails.
func socatPair(t *testing.T) (host, printerSide string) { return ptypair.Start(t, "host", "printer") }

// fakePrinter plays the printer side of a pty or a TCP connection: it
// records what came in and, when reply is set, answers each DLE EOT with it.
type fakePrinter struct {
	mu    sync.Mutex
	got   []byte
	reply []byte
}

func (p *fakePrinter) received() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return bytes.Clone(p.got)
}

func (p *fakePrinter) serve(rw interface {
	Read([]byte) (int, error)
	Write([]byte) (int, error)
}) {
	buf := make([]byte, 256)
	for {
		n, err := rw.Read(buf)
		if n > 0 {
			p.mu.Lock()
			p.got = append(p.got, buf[:n]...)
			asked := bytes.Contains(p.got, dleEOT1)
			if asked {
				p.got = bytes.ReplaceAll(p.got, dleEOT1, []byte("<DLE EOT 1>"))
			}
			reply := p.reply
			p.mu.Unlock()
			if asked && len(reply) > 0 {
				_, _ = rw.Write(reply)
			}
		}
		if err != nil {
			return
		}
	}
}

// playPty serves the printer side of a socat pair.
func playPty(t *testing.T, path string, reply []byte) *fakePrinter {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := &fakePrinter{reply: reply}
	done := make(chan struct{})
	go func() { defer close(done); p.serve(f) }()
	t.Cleanup(func() { f.Close(); <-done })
	return p
}

// listenPrinter is a loopback TCP "printer" on a free port: it answers DLE
// EOT with reply, or holds the connection silently when reply is empty;
// banner is sent unasked on connect (a chatty service).
func listenPrinter(t *testing.T, addr string, reply, banner []byte) (net.Listener, *fakePrinter) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p := &fakePrinter{reply: reply}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				if len(banner) > 0 {
					_, _ = c.Write(banner)
				}
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				p.serve(c)
			})
		}
	})
	return ln, p
}

func wantNoProblem(t *testing.T, d Device) {
	t.Helper()
	if d.Problem != nil {
		t.Errorf("%s: problem %+v", d.Path, *d.Problem)
	}
}

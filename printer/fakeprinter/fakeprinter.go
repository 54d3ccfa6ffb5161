// Package fakeprinter is a TCP printer for tests: it records the bytes of
// every connection, answers DLE EOT, GS r and <ESC>!? according to a state
// that tests set (online, paper out, cover open, offline), and can drop a
// connection mid-job, stall (accept but never read), or go away entirely.
// The workflow, console and load tests use it as well as package printer.
package fakeprinter

import (
	"bytes"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/posbridge/posbridge/printer/transport"
)

// Printer is a fake raw-TCP (port 9100) printer.
type Printer struct {
	mu        sync.Mutex
	ln        net.Listener
	addr      string
	state     transport.PrinterState
	silent    bool // answers nothing (status_query: off printers)
	stall     bool
	dropAfter int    // close a connection after this many job bytes; 0 = never
	dropOnce  bool   // dropAfter applies to one connection only
	holdFence bool   // answer status queries but never a fence
	noise     []byte // unsolicited bytes sent before every reply
	conns     []*Conn
	wg        sync.WaitGroup
	closed    bool
}

// Conn is what one client connection sent.
type Conn struct {
	mu      sync.Mutex
	data    []byte
	content int // bytes that were not status queries
	dropped bool
	done    bool
	// opened and firstJob are when the connection was accepted and when its
	// first job byte (not a status query) arrived: the load tool measures
	// order-to-print latency with them.
	opened   time.Time
	firstJob time.Time
}

// OpenedAt is when the printer accepted the connection.
func (c *Conn) OpenedAt() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opened
}

// FirstJobByteAt is when the first job byte arrived (zero: none did).
func (c *Conn) FirstJobByteAt() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.firstJob
}

// Data is every byte the client sent on this connection.
func (c *Conn) Data() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.data...)
}

// HasJob reports whether the connection carried job bytes, not only queries.
func (c *Conn) HasJob() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.content > 0
}

// Dropped reports whether the fake cut this connection mid-job.
func (c *Conn) Dropped() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dropped
}

// New starts a fake printer on 127.0.0.1, online.
func New() (*Printer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Printer{ln: ln, addr: ln.Addr().String(), state: transport.StateOnline}
	p.wg.Add(1)
	go p.accept(ln)
	return p, nil
}

// Addr is host:port; URI is the connection string for the config.
func (p *Printer) Addr() string { return p.addr }
func (p *Printer) URI() string  { return "tcp://" + p.addr }

// SetState sets what the printer reports. Fences held while it could not
// print are answered when it can again (the buffered job then prints).
func (p *Printer) SetState(st transport.PrinterState) {
	p.mu.Lock()
	p.state = st
	p.mu.Unlock()
}

// HoldFences makes the printer answer status queries but never GS r, as when
// it lost a job: the client cannot confirm it and must not count it printed.
func (p *Printer) HoldFences(on bool) {
	p.mu.Lock()
	p.holdFence = on
	p.mu.Unlock()
}

// SetNoise sends these bytes (automatic status, line noise) before every
// reply; clients must pick real replies out by their pattern.
func (p *Printer) SetNoise(b []byte) {
	p.mu.Lock()
	p.noise = append([]byte(nil), b...)
	p.mu.Unlock()
}

// SetSilent makes the printer answer no query at all.
func (p *Printer) SetSilent(on bool) {
	p.mu.Lock()
	p.silent = on
	p.mu.Unlock()
}

// Stall makes the printer accept connections but never read or answer.
func (p *Printer) Stall(on bool) {
	p.mu.Lock()
	p.stall = on
	p.mu.Unlock()
}

// DropAfter closes each connection once it has carried n job bytes (0 = off).
func (p *Printer) DropAfter(n int) {
	p.mu.Lock()
	p.dropAfter, p.dropOnce = n, false
	p.mu.Unlock()
}

// DropOnceAfter closes the next connection that carries n job bytes, then
// no other: a single power cut, whatever the timing of the retries.
func (p *Printer) DropOnceAfter(n int) {
	p.mu.Lock()
	p.dropAfter, p.dropOnce = n, true
	p.mu.Unlock()
}

// Down stops listening: connections are refused, as when the printer is off.
func (p *Printer) Down() {
	p.mu.Lock()
	ln := p.ln
	p.ln = nil
	p.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
}

// Up listens again on the same address after Down.
func (p *Printer) Up() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		return nil
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may linger briefly after Down
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	p.ln = ln
	p.wg.Add(1)
	go p.accept(ln)
	return nil
}

// Conns returns every connection so far, in order.
func (p *Printer) Conns() []*Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*Conn(nil), p.conns...)
}

// Jobs returns the bytes of each connection that carried a job.
func (p *Printer) Jobs() [][]byte {
	var out [][]byte
	for _, c := range p.Conns() {
		if c.HasJob() {
			out = append(out, c.Data())
		}
	}
	return out
}

// WaitJobs waits until n connections carried jobs; false on timeout.
func (p *Printer) WaitJobs(n int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if len(p.Jobs()) >= n {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// Close stops the printer and waits for its goroutines.
func (p *Printer) Close() {
	p.mu.Lock()
	p.closed = true
	ln := p.ln
	p.ln = nil
	p.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	p.wg.Wait()
}

func (p *Printer) accept(ln net.Listener) {
	defer p.wg.Done()
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		conns = append(conns, nc)
		c := &Conn{opened: time.Now()}
		p.mu.Lock()
		p.conns = append(p.conns, c)
		p.mu.Unlock()
		p.wg.Add(1)
		go p.serve(nc, c)
	}
}

type settings struct {
	state                    transport.PrinterState
	silent, stall, holdFence bool
	dropAfter                int
	dropOnce                 bool
	noise                    []byte
	closed                   bool
}

func (p *Printer) snapshot() settings {
	p.mu.Lock()
	defer p.mu.Unlock()
	return settings{state: p.state, silent: p.silent, stall: p.stall, holdFence: p.holdFence,
		dropAfter: p.dropAfter, dropOnce: p.dropOnce, noise: p.noise, closed: p.closed}
}

// serve reads one connection; it polls with a short deadline so that a state
// change releases held fences and Close ends it.
func (p *Printer) serve(nc net.Conn, c *Conn) {
	defer p.wg.Done()
	defer nc.Close()
	var emu transport.Emulator
	held := 0
	buf := make([]byte, 4096)
	for {
		set := p.snapshot()
		if set.closed {
			return
		}
		if set.stall {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if held > 0 && set.state.CanPrint() && !set.silent && !set.holdFence {
			reply := bytes.Repeat([]byte{transport.FenceReplyFor(set.state)}, held)
			held = 0
			if _, err := nc.Write(reply); err != nil {
				return
			}
		}
		nc.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		n, err := nc.Read(buf)
		if n > 0 {
			at := time.Now()
			r := emu.Respond(buf[:n], set.state)
			c.mu.Lock()
			c.data = append(c.data, buf[:n]...)
			if c.content == 0 && r.Data > 0 {
				c.firstJob = at
			}
			c.content += r.Data
			drop := set.dropAfter > 0 && c.content >= set.dropAfter
			c.mu.Unlock()
			if drop && set.dropOnce {
				p.mu.Lock()
				if p.dropAfter == set.dropAfter && p.dropOnce {
					p.dropAfter, p.dropOnce = 0, false
				} else {
					drop = false // another connection already took the one drop
				}
				p.mu.Unlock()
			}
			if drop {
				c.mu.Lock()
				c.dropped = true
				c.mu.Unlock()
			}
			if drop {
				if tc, ok := nc.(*net.TCPConn); ok {
					tc.SetLinger(0) // a reset, like a printer power-cycled mid-job
				}
				return
			}
			held += r.Held
			reply := r.Reply
			if set.holdFence {
				held += countFences(buf[:n])
				reply = dropFenceReplies(reply, buf[:n], set.state)
			}
			if !set.silent && len(reply) > 0 {
				if _, err := nc.Write(append(append([]byte(nil), set.noise...), reply...)); err != nil {
					return
				}
			}
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			c.mu.Lock()
			c.done = true
			c.mu.Unlock()
			return
		}
	}
}

func countFences(b []byte) int { return bytes.Count(b, []byte{0x1D, 0x72}) }

// dropFenceReplies removes the GS r answers from reply (HoldFences).
func dropFenceReplies(reply, written []byte, st transport.PrinterState) []byte {
	n := countFences(written)
	if n == 0 || !st.CanPrint() {
		return reply
	}
	out := reply[:0:0]
	fr := transport.FenceReplyFor(st)
	for _, b := range reply {
		if b == fr && n > 0 && transport.IsFenceReply(b) {
			n--
			continue
		}
		out = append(out, b)
	}
	return out
}

package discover

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"
)

// NetworkOptions tune a scan of hosts for the raw printing port.
type NetworkOptions struct {
	// Port is tried where a host names none; default 9100.
	Port int
	// ConnectTimeout per address; default 800 ms (a printer on the shop's
	// LAN answers in a few ms; an empty address costs the whole timeout).
	ConnectTimeout time.Duration
	// ReplyTimeout for the DLE EOT answer; default 1 s (spec §7.1: no reply
	// within about a second is unknown).
	ReplyTimeout time.Duration
	// Concurrency is how many addresses are tried at once; default 32.
	Concurrency int
	// MaxAddresses bounds one scan; default 256 (a /24).
	MaxAddresses int
}

func (o NetworkOptions) withDefaults() NetworkOptions {
	if o.Port <= 0 {
		o.Port = DefaultPort
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 800 * time.Millisecond
	}
	if o.ReplyTimeout <= 0 {
		o.ReplyTimeout = time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 32
	}
	if o.MaxAddresses <= 0 {
		o.MaxAddresses = DefaultMaxAddresses
	}
	return o
}

// Failure is a host that was named on its own and did not take a
// connection, or a local source that could not be listed.
type Failure struct {
	Source string `json:"source"` // tcp | serial | usb | windows
	Target string `json:"target"` // host:port, or the folder or call that failed
	Reason string `json:"reason"` // English, with what to check
}

// Report is what a discovery found.
type Report struct {
	Devices  []Device  `json:"devices"`
	Failures []Failure `json:"failures,omitempty"`
}

// Network tries every target (see expandTargets for the forms) on its port,
// asks each that takes the connection DLE EOT 1, and reports them in address
// order. A target named on its own that takes no connection is reported in
// Failures; addresses of a range that do not answer are left out. The error
// is for targets that cannot be read or add up to too many addresses.
func Network(ctx context.Context, hosts []string, opt NetworkOptions) (Report, error) {
	opt = opt.withDefaults()
	targets, err := expandTargets(hosts, opt.Port, opt.MaxAddresses)
	if err != nil {
		return Report{}, err
	}
	type result struct {
		i   int
		dev Device
		err error
	}
	results := make([]result, len(targets))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(opt.Concurrency, len(targets)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				d, err := probeTCP(ctx, targets[i].host, targets[i].port, opt)
				results[i] = result{i, d, err}
			}
		}()
	}
feed:
	for i := range targets {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	var rep Report
	for i, r := range results {
		switch {
		case r.err == nil && r.dev.Kind != "":
			rep.Devices = append(rep.Devices, r.dev)
		case r.err != nil && targets[i].single:
			rep.Failures = append(rep.Failures, Failure{Source: "tcp", Target: net.JoinHostPort(targets[i].host, strconv.Itoa(targets[i].port)), Reason: r.err.Error()})
		}
	}
	slices.SortStableFunc(rep.Devices, func(a, b Device) int { return compareHostPort(a.Path, b.Path) })
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("scan stopped: %w", err)
	}
	return rep, nil
}

// Probe tries one address ("192.168.1.87", "192.168.1.87:9100", a name):
// the device when it takes the connection, or an error saying why not.
func Probe(ctx context.Context, addr string, opt NetworkOptions) (Device, error) {
	opt = opt.withDefaults()
	host, port, err := hostPort(addr, opt.Port)
	if err != nil {
		return Device{}, fmt.Errorf("%q: %w", addr, err)
	}
	return probeTCP(ctx, host, port, opt)
}

func probeTCP(ctx context.Context, host string, port int, opt NetworkOptions) (Device, error) {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	dctx, cancel := context.WithTimeout(ctx, opt.ConnectTimeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	if err != nil {
		return Device{}, dialFailure(addr, err, opt.ConnectTimeout)
	}
	defer conn.Close()
	// A cancelled scan closes the connections it is waiting on.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	d := Device{Kind: KindTCP, Path: addr, Connection: tcpURI(host, port)}
	st, err := askStatus(tcpLink{conn}, opt.ReplyTimeout)
	d.Status = st
	switch {
	case errors.Is(err, errChatter):
		d.Problem = &Problem{Code: ProblemChatter, Detail: addr + " sent data nobody asked for: it is probably not a printer"}
	case err != nil:
		d.Problem = &Problem{Code: ProblemOpen, Detail: fmt.Sprintf("%s took the connection but not the status question: %v", addr, err)}
	}
	if st.Reply == Answered {
		d.Language = "escpos"
	}
	return d, nil
}

// dialFailure words why a connection failed for the person at the counter.
func dialFailure(addr string, err error, timeout time.Duration) error {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Errorf("%s: the name is not known on this network (%v): use the printer's IP address, printed on its self-test page", addr, dnsErr.Err)
	case isRefused(err):
		return fmt.Errorf("%s refused the connection: something is at this address but not a printer on this port (network printers take raw print jobs on 9100)", addr)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("%s did not answer within %s: check the address on the printer's self-test page (hold FEED while switching it on) and that the printer is on this network", addr, timeout)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%s: the scan was stopped", addr)
	}
	return fmt.Errorf("%s: %v: check the address and the network cable", addr, err)
}

// tcpLink asks over a TCP connection.
type tcpLink struct{ c net.Conn }

func (l tcpLink) writeWithin(p []byte, d time.Duration) error {
	if err := l.c.SetWriteDeadline(time.Now().Add(d)); err != nil {
		return err
	}
	_, err := l.c.Write(p)
	return err
}

func (l tcpLink) readWithin(p []byte, d time.Duration) (int, error) {
	if err := l.c.SetReadDeadline(time.Now().Add(d)); err != nil {
		return 0, err
	}
	return l.c.Read(p)
}

// compareHostPort orders IP addresses numerically, names after them.
func compareHostPort(a, b string) int {
	ah, ap, _ := net.SplitHostPort(a)
	bh, bp, _ := net.SplitHostPort(b)
	aa, aerr := netip.ParseAddr(ah)
	ba, berr := netip.ParseAddr(bh)
	switch {
	case aerr == nil && berr == nil:
		if c := aa.Compare(ba); c != 0 {
			return c
		}
	case aerr == nil:
		return -1
	case berr == nil:
		return 1
	default:
		if c := cmp.Compare(ah, bh); c != 0 {
			return c
		}
	}
	an, _ := strconv.Atoi(ap)
	bn, _ := strconv.Atoi(bp)
	return cmp.Compare(an, bn)
}

package discover

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fast keeps the tests quick on loopback; a silent printer costs ReplyTimeout.
var fast = NetworkOptions{ConnectTimeout: 2 * time.Second, ReplyTimeout: 300 * time.Millisecond}

func TestProbeTellsATwoWayPrinterFromASilentOne(t *testing.T) {
	ctx := context.Background()
	online, op := listenPrinter(t, "127.0.0.1:0", []byte{0x12}, nil)
	offline, _ := listenPrinter(t, "127.0.0.1:0", []byte{0x1A}, nil)
	silent, sp := listenPrinter(t, "127.0.0.1:0", nil, nil)

	d, err := Probe(ctx, online.Addr().String(), fast)
	if err != nil {
		t.Fatal(err)
	}
	wantNoProblem(t, d)
	if d.Kind != KindTCP || d.Connection != "tcp://"+online.Addr().String() || d.Status.Reply != Answered ||
		d.Status.Byte != 0x12 || d.Status.Offline || d.Language != "escpos" || d.StatusQuery() != "on" {
		t.Errorf("online printer: %+v", d)
	}
	if got := string(op.received()); got != "<DLE EOT 1>" {
		t.Errorf("the printer was sent %q: discovery asks DLE EOT 1 once and nothing else", got)
	}

	d, err = Probe(ctx, offline.Addr().String(), fast)
	if err != nil || d.Status.Reply != Answered || !d.Status.Offline || !strings.Contains(d.Status.Label(), "离线") {
		t.Errorf("offline printer: %+v, %v", d, err)
	}

	start := time.Now()
	d, err = Probe(ctx, silent.Addr().String(), fast)
	if err != nil {
		t.Fatal(err)
	}
	wantNoProblem(t, d)
	if d.Status.Reply != Silent || d.Language != "" || d.StatusQuery() != "off" || !strings.Contains(d.Status.Label(), "状态未知") {
		t.Errorf("silent printer: %+v", d)
	}
	if waited := time.Since(start); waited < fast.ReplyTimeout {
		t.Errorf("gave up on the silent printer after %s, before the %s reply timeout", waited, fast.ReplyTimeout)
	}
	if got := string(sp.received()); got != "<DLE EOT 1>" {
		t.Errorf("the silent printer was sent %q, want one DLE EOT 1", got)
	}
}

func TestProbeIgnoresAsyncStatusButNotAChattyService(t *testing.T) {
	ctx := context.Background()
	// Automatic status back (4 bytes, 0xx1xx00 first) arrives before the reply.
	asb, _ := listenPrinter(t, "127.0.0.1:0", []byte{0x10, 0x00, 0x00, 0x00, 0x16}, nil)
	d, err := Probe(ctx, asb.Addr().String(), fast)
	if err != nil || d.Status.Reply != Answered || d.Status.Byte != 0x16 {
		t.Errorf("printer with automatic status back: %+v, %v", d, err)
	}
	// A service that greets with text ("R" has the reply pattern's bits) is
	// no printer, whether its greeting comes before the question or after.
	for _, banner := range []string{"RFB 003.008\n", "R\x00\x00\x00RFB 003.008\n"} {
		chatty, cp := listenPrinter(t, "127.0.0.1:0", nil, []byte(banner))
		d, err = Probe(ctx, chatty.Addr().String(), fast)
		if err != nil || d.Status.Reply == Answered || d.Problem == nil || d.Problem.Code != ProblemChatter || d.Language != "" {
			t.Errorf("chatty service %q: %+v, %v", banner, d, err)
		}
		if got := cp.received(); len(got) > 0 && d.Status.Reply == NotAsked {
			t.Errorf("chatty service %q was not asked but sent %q", banner, got)
		}
	}
	// The same greeting as the answer to the question.
	late, _ := listenPrinter(t, "127.0.0.1:0", []byte("RFB 003.008\n"), nil)
	if d, err = Probe(ctx, late.Addr().String(), fast); err != nil || d.Status.Reply == Answered || d.Problem == nil || d.Problem.Code != ProblemChatter {
		t.Errorf("service answering with text: %+v, %v", d, err)
	}
}

func TestProbeSaysWhyNothingAnswered(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	_, err = Probe(context.Background(), addr, fast)
	if err == nil || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), "9100") {
		t.Errorf("closed port: %v", err)
	}
	if _, err := Probe(context.Background(), "tcp://127.0.0.1:9100", fast); err == nil {
		t.Error("a URI was taken as an address")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Probe(ctx, addr, fast); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("cancelled probe: %v", err)
	}
}

// silentPrinters listens on 127.0.0.1–n, one port (the whole of 127/8 is
// loopback): printers that take the question and never answer. accepted
// counts the connections.
func silentPrinters(t *testing.T, n int) (port int, accepted *atomic.Int32) {
	t.Helper()
	first, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port = first.Addr().(*net.TCPAddr).Port
	first.Close()
	accepted = &atomic.Int32{}
	var wg sync.WaitGroup
	var lns []net.Listener
	var conns sync.Map
	t.Cleanup(func() {
		for _, ln := range lns {
			ln.Close()
		}
		conns.Range(func(c, _ any) bool { c.(net.Conn).Close(); return true })
		wg.Wait()
	})
	for i := 1; i <= n; i++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:%d", i, port))
		if err != nil {
			t.Skipf("cannot listen on 127.0.0.%d:%d: %v", i, port, err)
		}
		lns = append(lns, ln)
		wg.Go(func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				accepted.Add(1)
				conns.Store(c, true)
				wg.Go(func() {
					buf := make([]byte, 16)
					for {
						if _, err := c.Read(buf); err != nil { // silent until the client leaves
							return
						}
					}
				})
			}
		})
	}
	return port, accepted
}

// Every silent printer of a range is found; an address of the range that
// refuses is left out, while one named on its own is reported.
func TestNetworkScanFindsARangeAndReportsNamedFailures(t *testing.T) {
	port, _ := silentPrinters(t, 20)
	opt := fast
	opt.Port = port
	opt.Concurrency = 4
	rep, err := Network(context.Background(), []string{"127.0.0.1-22", "127.0.0.30"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Devices) != 20 {
		t.Fatalf("found %d devices, want 20", len(rep.Devices))
	}
	for i, d := range rep.Devices {
		if want := "127.0.0." + strconv.Itoa(i+1); !strings.HasPrefix(d.Path, want+":") || d.Status.Reply != Silent {
			t.Errorf("device %d: %s %s, want %s, silent", i, d.Path, d.Status.Reply, want)
		}
	}
	if len(rep.Failures) != 1 || !strings.HasPrefix(rep.Failures[0].Target, "127.0.0.30:") || !strings.Contains(rep.Failures[0].Reason, "refused") {
		t.Errorf("failures %+v: want only the named 127.0.0.30, refused", rep.Failures)
	}
}

// With every printer holding its question, the scan has exactly Concurrency
// connections open, no more; cancelling it closes them and returns at once.
func TestNetworkScanHoldsAtMostConcurrencyConnections(t *testing.T) {
	port, accepted := silentPrinters(t, 12)
	opt := NetworkOptions{Port: port, Concurrency: 4, ConnectTimeout: 2 * time.Second, ReplyTimeout: time.Minute}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := Network(ctx, []string{"127.0.0.1-12"}, opt)
		done <- err
	}()
	deadline := time.Now().Add(20 * time.Second)
	for accepted.Load() < 4 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := accepted.Load(); n != 4 {
		t.Fatalf("%d connections after 20 s, want 4", n)
	}
	time.Sleep(300 * time.Millisecond) // a fifth would come now if the bound leaked
	if n := accepted.Load(); n != 4 {
		t.Errorf("%d connections open at once, want at most 4", n)
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "stopped") {
			t.Errorf("cancelled scan returned %v", err)
		}
		if waited := time.Since(start); waited > 5*time.Second {
			t.Errorf("the scan took %s to stop", waited)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the cancelled scan did not return")
	}
}

func TestNetworkScanStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opt := fast
	rep, err := Network(ctx, []string{"127.0.0.0/24"}, opt)
	if err == nil || len(rep.Devices) != 0 {
		t.Errorf("cancelled scan: %+v, %v", rep, err)
	}
	if _, err := Network(context.Background(), []string{"10.0.0.0/8"}, opt); err == nil {
		t.Error("a /8 was scanned")
	}
}

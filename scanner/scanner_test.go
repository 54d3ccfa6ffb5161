package scanner

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// requireTool skips when a tool is missing, except under CI where that is a failure.
func requireTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI (scripts/ci-deps.sh installs it): %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
}

// ptyPair starts socat joining two pseudo-terminals: the scanner end and the
// end the test writes to, as a USB scanner would.
func ptyPair(t *testing.T, dir string) (scannerEnd, hostEnd string, stop func()) {
	t.Helper()
	scannerEnd, hostEnd = filepath.Join(dir, "scanner"), filepath.Join(dir, "host")
	cmd := exec.Command("socat", "pty,raw,echo=0,link="+scannerEnd, "pty,raw,echo=0,link="+hostEnd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, e1 := os.Stat(scannerEnd)
		_, e2 := os.Stat(hostEnd)
		if e1 == nil && e2 == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("socat did not create the pty pair")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return scannerEnd, hostEnd, func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
}

func write(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func expect(t *testing.T, codes <-chan string, want string) {
	t.Helper()
	select {
	case got := <-codes:
		if got != want {
			t.Fatalf("read %q, want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no code read, want %q", want)
	}
}

func TestSerialScannerReadsAndReconnects(t *testing.T) {
	requireTool(t, "socat")
	dir := t.TempDir()
	scannerEnd, hostEnd, stop := ptyPair(t, dir)
	codes := make(chan string, 10)
	states := make(chan bool, 10)
	port, err := ParseURI("serial://" + scannerEnd + "?baud=9600")
	if err != nil {
		t.Fatal(err)
	}
	r := &Reader{Port: port, Retry: 100 * time.Millisecond, OnCode: func(c string) { codes <- c },
		OnState: func(up bool, _ error) { states <- up }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	waitState(t, states, true)
	write(t, hostEnd, "14466581149538022700014\r\n")
	expect(t, codes, "14466581149538022700014")
	write(t, hostEnd, "A1\nB2\r")
	expect(t, codes, "A1")
	expect(t, codes, "B2")

	// Unplug: the pty disappears; plug back: a new pair at the same paths.
	stop()
	waitState(t, states, false)
	_, hostEnd, stop = ptyPair(t, dir)
	defer stop()
	waitState(t, states, true)
	write(t, hostEnd, "AFTER-REPLUG\r\n")
	expect(t, codes, "AFTER-REPLUG")
}

func waitState(t *testing.T, states <-chan bool, want bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case s := <-states:
			if s == want {
				return
			}
		case <-deadline:
			t.Fatalf("scanner never became connected=%v", want)
		}
	}
}

func TestParseURI(t *testing.T) {
	for uri, path := range map[string]string{"serial:///dev/ttyACM0?baud=9600": "/dev/ttyACM0", "serial://COM5?baud=115200": "COM5"} {
		p, err := ParseURI(uri)
		if err != nil || p.Path != path {
			t.Errorf("%s → %+v %v", uri, p, err)
		}
	}
	for _, bad := range []string{"tcp://x", "serial://", "serial:///dev/x?baud=fast"} {
		if _, err := ParseURI(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

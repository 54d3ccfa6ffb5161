package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
)

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	// 0640, as the packages install configs and keys: readable by every
	// account, ones holding secrets are warned about.
	if err := os.WriteFile(path, []byte(content), 0o640); err != nil {
		t.Fatal(err)
	}
}

// daemonProc is a running `posbridge service run`.
type daemonProc struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{}
	err    error // valid once exited is closed
}

// startService runs `posbridge service run args…` from a copy of the binary
// with the working directory elsewhere (like System32 on Windows) and waits
// until the daemon says it is starting.
func startService(t *testing.T, exe, cwd string, args ...string) *daemonProc {
	t.Helper()
	d := &daemonProc{stderr: &syncBuffer{}, exited: make(chan struct{})}
	d.cmd = posbridgeCommand(exe, cwd, append([]string{"service", "run"}, args...)...)
	pr, pw := io.Pipe()
	d.cmd.Stderr = io.MultiWriter(d.stderr, pw)
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		d.err = d.cmd.Wait()
		pw.Close()
		close(d.exited)
	}()
	t.Cleanup(func() { d.cmd.Process.Kill(); <-d.exited })
	started := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "posbridge service starting") {
				started <- true
			}
		}
	}()
	select {
	case <-started:
	case <-d.exited:
		t.Fatalf("service exited at start (%v):\n%s", d.err, d.stderr)
	case <-time.After(20 * time.Second):
		t.Fatalf("service did not start:\n%s", d.stderr)
	}
	return d
}

// stop sends SIGTERM, as systemd does, and waits up to limit for the exit.
func (d *daemonProc) stop(limit time.Duration) error {
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-d.exited:
		return d.err
	case <-time.After(limit):
		d.cmd.Process.Kill()
		<-d.exited
		return fmt.Errorf("no exit within %s after SIGTERM", limit)
	}
}

func TestServiceRunFindsConfigBesideExecutableNotInWorkingDir(t *testing.T) {
	root := t.TempDir()
	app := filepath.Join(root, "app")
	exe := installCopy(t, app)
	mustWrite(t, filepath.Join(app, config.FileName), daemonConfig(t, "./data"))
	// A config in the working directory that must be ignored: the service
	// starts in System32 on Windows, wherever on Linux.
	cwd := filepath.Join(root, "cwd")
	mustWrite(t, filepath.Join(cwd, config.FileName), "this: [is not the service's config\n")

	d := startService(t, exe, cwd)
	waitForFile(t, filepath.Join(app, "data", databaseFileName), d.stderr)
	if err := d.stop(12 * time.Second); err != nil {
		t.Fatalf("graceful stop: %v\n%s", err, d.stderr)
	}
	log := d.stderr.String()
	for _, want := range []string{"config=" + filepath.Join(app, config.FileName), "data_dir=" + filepath.Join(app, "data"), "posbridge service stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestServiceRunResolvesRelativeConfigFromExecutableDir(t *testing.T) {
	root := t.TempDir()
	app := filepath.Join(root, "app")
	exe := installCopy(t, app)
	mustWrite(t, filepath.Join(app, "store.yaml"), daemonConfig(t, "./data"))
	cwd := filepath.Join(root, "cwd")
	mustWrite(t, filepath.Join(cwd, "store.yaml"), "broken: [\n")

	d := startService(t, exe, cwd, "--config", "store.yaml")
	if err := d.stop(12 * time.Second); err != nil {
		t.Fatalf("%v\n%s", err, d.stderr)
	}
	if want := "config=" + filepath.Join(app, "store.yaml"); !strings.Contains(d.stderr.String(), want) {
		t.Errorf("log lacks %q:\n%s", want, d.stderr)
	}
}

func TestServiceRunRefusesWithoutConfigAndNeverRunsSandbox(t *testing.T) {
	root := t.TempDir()
	exe := installCopy(t, filepath.Join(root, "app"))
	cmd := posbridgeCommand(exe, root, "service", "run", "--config", filepath.Join(root, "missing.yaml"))
	out, err := cmd.CombinedOutput()
	if code := exitCode(err); code == 0 {
		t.Fatalf("exit 0 without a config:\n%s", out)
	}
	if !strings.Contains(string(out), "cannot start") || !strings.Contains(string(out), "config init") {
		t.Errorf("message does not say why and what to do:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(root, "app", "posbridge-sandbox")); err == nil {
		t.Error("the service fell back to the sandbox")
	}
}

func TestServiceRunRefusesInvalidConfig(t *testing.T) {
	root := t.TempDir()
	exe := installCopy(t, filepath.Join(root, "app"))
	cfg := filepath.Join(root, "posbridge.yaml")
	mustWrite(t, cfg, daemonConfig(t, "./data")+"accept: { mode: sometimes }\n")
	out, err := posbridgeCommand(exe, root, "service", "run", "--config", cfg).CombinedOutput()
	if exitCode(err) == 0 {
		t.Fatalf("exit 0 with an invalid config:\n%s", out)
	}
	if !strings.Contains(string(out), "accept.mode") || !strings.Contains(string(out), "config check") {
		t.Errorf("message lacks the problem or the fix:\n%s", out)
	}
}

func TestSecondServiceOnSameDataDirRefuses(t *testing.T) {
	root := t.TempDir()
	exe := installCopy(t, filepath.Join(root, "app"))
	data := filepath.Join(root, "data")
	mustWrite(t, filepath.Join(root, "a.yaml"), daemonConfig(t, data))
	mustWrite(t, filepath.Join(root, "b.yaml"), daemonConfig(t, data))

	first := startService(t, exe, root, "--config", filepath.Join(root, "a.yaml"))
	waitForFile(t, filepath.Join(data, databaseFileName), first.stderr)

	out, err := posbridgeCommand(exe, root, "service", "run", "--config", filepath.Join(root, "b.yaml")).CombinedOutput()
	if exitCode(err) == 0 {
		t.Fatalf("second daemon exited 0:\n%s", out)
	}
	if !strings.Contains(string(out), "already running with data directory "+data) {
		t.Errorf("second daemon's message:\n%s", out)
	}
	if err := first.stop(12 * time.Second); err != nil {
		t.Fatalf("first daemon: %v", err)
	}
}

func waitForFile(t *testing.T, path string, log *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never appeared:\n%s", path, log)
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestDoctorAgainstRunningService runs doctor beside a real daemon started
// the way the service manager starts it.
func TestDoctorAgainstRunningService(t *testing.T) {
	root := t.TempDir()
	exe := installCopy(t, filepath.Join(root, "app"))
	cfg := filepath.Join(root, "posbridge.yaml")
	mustWrite(t, cfg, daemonConfig(t, "./data"))
	d := startService(t, exe, root, "--config", cfg)
	waitForFile(t, filepath.Join(root, "data", databaseFileName), d.stderr)

	var rows map[string]checkRow
	deadline := time.Now().Add(15 * time.Second)
	for {
		rows = doctorRows(t, cfg)
		if rows["push listener"].Status == statusOK || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond) // listeners open after the database
	}
	expectRow(t, rows, "push listener", statusOK, "/kaigedian/push/health answers", "")
	expectRow(t, rows, "database", statusOK, "passes PRAGMA quick_check", "")
	var out bytes.Buffer
	doctorCmd(context.Background(), []string{"--config", cfg}, &out, &out)
	if want := fmt.Sprintf("posbridge is running (process %d)", d.cmd.Process.Pid); !strings.Contains(out.String(), want) {
		t.Errorf("doctor does not say %q:\n%s", want, out.String())
	}
	if err := d.stop(12 * time.Second); err != nil {
		t.Fatalf("stop: %v\n%s", err, d.stderr)
	}
}

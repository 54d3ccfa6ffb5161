package dirlock

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestSecondLockRefusedWithMessage(t *testing.T) {
	dir := t.TempDir()
	first, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(dir)
	var held *HeldError
	if !errors.As(err, &held) || !errors.Is(err, ErrHeld) {
		t.Fatalf("second Acquire: got %v, want a HeldError", err)
	}
	if held.PID != os.Getpid() {
		t.Errorf("PID in error = %d, want %d", held.PID, os.Getpid())
	}
	for _, want := range []string{"already running", dir, "data_dir", "posbridge service stop"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if held, pid, err := Probe(dir); err != nil || !held || pid != os.Getpid() {
		t.Errorf("Probe while held = %v %d %v", held, pid, err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	again.Release()
}

// TestLockHeldByOtherProcessAndFreedByItsDeath runs the holder as a child
// process: a killed daemon must not leave the directory locked.
func TestLockHeldByOtherProcessAndFreedByItsDeath(t *testing.T) {
	if dir := os.Getenv("DIRLOCK_TEST_HOLD"); dir != "" {
		if _, err := Acquire(dir); err != nil {
			os.Stdout.WriteString("error " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		select {}
	}
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^TestLockHeldByOtherProcessAndFreedByItsDeath$")
	child.Env = append(os.Environ(), "DIRLOCK_TEST_HOLD="+dir)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("child: %q %v", line, err)
	}

	_, err = Acquire(dir)
	var held *HeldError
	if !errors.As(err, &held) {
		t.Fatalf("Acquire while child holds the lock: %v", err)
	}
	if held.PID != child.Process.Pid {
		t.Errorf("PID in error = %d, want child %d", held.PID, child.Process.Pid)
	}

	child.Process.Kill()
	child.Wait()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after the holder was killed: %v", err)
	}
	l.Release()
}

func TestProbeCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	if held, _, err := Probe(dir); held || err != nil {
		t.Fatalf("Probe on an empty dir = %v %v", held, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("Probe created %v", entries)
	}
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
	if held, _, err := Probe(dir); held || err != nil {
		t.Fatalf("Probe after Release = %v %v", held, err)
	}
	// Probe must not hold the lock afterwards.
	l, err = Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after Probe: %v", err)
	}
	l.Release()
}

package main

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The daemon's log, as `posbridge run` writes it: times in the store's zone
// (+08:00, like the console and the receipts), one INFO line per order
// transition, a waiting order warned once however often the console rings,
// and a last line when it stopped.
func TestRunLogTellsTheStoryOnce(t *testing.T) {
	exe, dir, cfgFile := daemonDir(t, "accept: { mode: manual }\nalerts: { waiting_order: 1s }\n")
	cmd := posbridgeCommand(exe, dir, "run", "--config", cfgFile)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var lines []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			lines = append(lines, sc.Text())
			mu.Unlock()
		}
	}()
	has := func(sub string) int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, l := range lines {
			if strings.Contains(l, sub) {
				n++
			}
		}
		return n
	}
	// The sandbox's first order comes 2 s after the start; in manual mode it
	// waits, and with waiting_order 1s the console escalates every second.
	deadline := time.Now().Add(20 * time.Second)
	for has(`msg="order waits for staff"`) == 0 || has("msg=\"order new\"") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no new order and no waiting warning within 20 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(3500 * time.Millisecond) // three more escalations of the same order
	_ = cmd.Process.Signal(os.Interrupt)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("posbridge run did not stop on SIGINT")
	}
	_ = cmd.Wait()

	stamp := regexp.MustCompile(`^time=(\S+) level=`)
	zone := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$`)
	var logLines []string
	for _, l := range lines {
		if m := stamp.FindStringSubmatch(l); m != nil {
			logLines = append(logLines, l)
			if !zone.MatchString(m[1]) {
				t.Errorf("log time %q is not in the store's zone (+08:00): %s", m[1], l)
			}
		}
	}
	if n := has(`msg="order waits for staff"`); n != 1 {
		t.Errorf("%d warnings for one waiting order, want 1", n)
	}
	if n := has(`msg="order new"`); n < 1 || !strings.Contains(strings.Join(logLines, "\n"), "level=INFO msg=\"order new\"") {
		t.Errorf("no INFO line for the new order")
	}
	if len(logLines) == 0 || !strings.Contains(logLines[len(logLines)-1], `msg="posbridge stopped"`) {
		t.Errorf("the log does not end with the stop: %q", logLines[max(0, len(logLines)-3):])
	}
}

package lograte

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRepeatedWarningsAreCountedNotWritten(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	log := slog.New(New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), 10*time.Minute, clock))

	// 200 orders waiting, a warning for each every 3 minutes, for 40 minutes.
	for step := 0; step <= 13; step++ {
		for i := range 200 {
			log.With("component", "bridge").Warn("order waits for staff", "order", i)
		}
		log.Info("order moved", "step", step) // information is never held back
		now = now.Add(3 * time.Minute)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var warns, infos []string
	for _, l := range lines {
		if strings.Contains(l, "level=WARN") {
			warns = append(warns, l)
		} else {
			infos = append(infos, l)
		}
	}
	if len(infos) != 14 {
		t.Errorf("%d info lines, want 14", len(infos))
	}
	// Written at 0, 12, 24 and 36 minutes.
	if len(warns) != 4 {
		t.Fatalf("%d warning lines in 40 minutes, want 4:\n%s", len(warns), strings.Join(warns, "\n"))
	}
	if strings.Contains(warns[0], "repeated") || !strings.Contains(warns[1], "repeated=799") {
		t.Errorf("the repeats left out are not counted:\n%s", strings.Join(warns, "\n"))
	}
	log.Warn("another warning")
	if !strings.Contains(buf.String(), "another warning") {
		t.Error("a different warning was held back")
	}
}

func TestConcurrentWarnings(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	log := slog.New(New(slog.NewTextHandler(&lockedWriter{&mu, &buf}, nil), time.Hour, nil))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				log.Error("printer unreachable")
			}
		})
	}
	wg.Wait()
	if n := strings.Count(buf.String(), "printer unreachable"); n != 1 {
		t.Fatalf("%d lines, want 1", n)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

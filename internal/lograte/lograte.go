// Package lograte keeps repeated warnings from burying a log: the first
// record of a warning or error message in a window is written, the ones
// that follow within it are counted, and the next one written after the
// window says how many were left out. A store left in manual mode with
// nobody at the console wrote one WARN per waiting order every 3 minutes.
package lograte

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Handler wraps another handler. Records below Warn pass untouched.
type Handler struct {
	inner  slog.Handler
	shared *state
}

type state struct {
	window time.Duration
	now    func() time.Time
	mu     sync.Mutex
	seen   map[key]*entry
}

type key struct {
	level slog.Level
	msg   string
}

type entry struct {
	since      time.Time // when the last written record of this key was written
	suppressed int
}

// New wraps inner: each warning or error message is written at most once per
// window (plus a count of the repeats left out). now defaults to time.Now.
func New(inner slog.Handler, window time.Duration, now func() time.Time) *Handler {
	if now == nil {
		now = time.Now
	}
	return &Handler{inner: inner, shared: &state{window: window, now: now, seen: map[key]*entry{}}}
}

// Enabled reports what the wrapped handler would write.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.inner.Enabled(ctx, l) }

// Handle writes r unless it repeats a warning written within the window.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		return h.inner.Handle(ctx, r)
	}
	s := h.shared
	k := key{r.Level, r.Message}
	s.mu.Lock()
	// Read under the lock: a time read before it could be older than the
	// entry another goroutine just wrote, look like a clock gone back, and
	// let the repeat through.
	now := s.now()
	e := s.seen[k]
	if e != nil && now.Sub(e.since) < s.window && now.Sub(e.since) >= 0 {
		e.suppressed++
		s.mu.Unlock()
		return nil
	}
	left := 0
	if e != nil {
		left = e.suppressed
	}
	s.seen[k] = &entry{since: now}
	if len(s.seen) > 1000 { // messages are constants; bound it anyway
		for k2, e2 := range s.seen {
			if now.Sub(e2.since) >= s.window {
				delete(s.seen, k2)
			}
		}
	}
	s.mu.Unlock()
	if left > 0 {
		r = r.Clone()
		r.AddAttrs(slog.Int("repeated", left), slog.String("repeated_within", s.window.String()))
	}
	return h.inner.Handle(ctx, r)
}

// WithAttrs keeps the count shared with h: a logger with attributes logs
// the same messages.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	return &Handler{inner: h.inner.WithAttrs(as), shared: h.shared}
}

// WithGroup keeps the count shared with h.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{inner: h.inner.WithGroup(name), shared: h.shared}
}

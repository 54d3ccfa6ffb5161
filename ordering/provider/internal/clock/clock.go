// Package clock is a settable clock for the provider tests and fakes, so
// that expiry (codes, tokens, tickets, check-in days) is tested without
// waiting and without the wall clock's minute.
package clock

import (
	"sync"
	"time"
)

// Fake is a clock that moves only when told.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// New starts a clock at t.
func New(t time.Time) *Fake { return &Fake{t: t} }

// Now is the clock's time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

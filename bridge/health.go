package bridge

import (
	"sync"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
)

// healthState is what the console shows about the platform link.
type healthState struct {
	mu sync.Mutex
	h  PlatformHealth
}

// PlatformHealth is a snapshot of the link to 开个店.
type PlatformHealth struct {
	PushEnabled    bool                  `json:"push_enabled"`
	LastPushAt     time.Time             `json:"last_push_at,omitzero"`
	PushesReceived int64                 `json:"pushes_received"`
	PushesRefused  int64                 `json:"pushes_refused"`
	LastPlatformOK time.Time             `json:"last_platform_ok,omitzero"`
	LastError      string                `json:"last_error,omitempty"`
	LastErrorHint  string                `json:"last_error_hint,omitempty"` // LastError for staff, in Chinese
	LastErrorAt    time.Time             `json:"last_error_at,omitzero"`
	MissedPushes   int64                 `json:"missed_pushes"`
	Polls          map[string]PollHealth `json:"polls"`
	Problems       []Problem             `json:"problems"` // problems.go
}

// PollHealth is the state of one polling loop (per store and kind).
type PollHealth struct {
	LastSuccess   time.Time `json:"last_success,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
	LastErrorHint string    `json:"last_error_hint,omitempty"` // LastError for staff, in Chinese
	LastErrorAt   time.Time `json:"last_error_at,omitzero"`
	LastFound     int       `json:"last_found"`
	Interval      string    `json:"interval,omitempty"`
	// Idle: the last run had nothing to ask the platform (no open orders to
	// reconcile). It is not a success: only an answer from the platform is.
	Idle bool `json:"idle,omitempty"`
}

func newHealthState() *healthState {
	return &healthState{h: PlatformHealth{Polls: map[string]PollHealth{}}}
}

func (s *healthState) update(f func(h *PlatformHealth)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.h)
}

func (s *healthState) platformOK(now time.Time) {
	s.update(func(h *PlatformHealth) { h.LastPlatformOK = now })
}

func (s *healthState) platformError(now time.Time, what string, err error) {
	s.update(func(h *PlatformHealth) {
		h.LastError, h.LastErrorHint, h.LastErrorAt = what+": "+err.Error(), kaigedian.Explain(err), now
	})
}

// Health returns a copy of the platform link's state, times as the API shows them.
func (b *Bridge) Health() PlatformHealth {
	b.health.mu.Lock()
	defer b.health.mu.Unlock()
	h := b.health.h
	h.LastPushAt, h.LastPlatformOK, h.LastErrorAt = APITime(h.LastPushAt), APITime(h.LastPlatformOK), APITime(h.LastErrorAt)
	h.Polls = make(map[string]PollHealth, len(b.health.h.Polls))
	for k, v := range b.health.h.Polls {
		v.LastSuccess, v.LastErrorAt = APITime(v.LastSuccess), APITime(v.LastErrorAt)
		h.Polls[k] = v
	}
	h.PushEnabled = b.cfg.Push.Listen != ""
	h.Problems = b.Problems()
	return h
}

// PushReceived is called by the push receiver for every push it acknowledged.
func (b *Bridge) PushReceived(at time.Time) {
	b.health.update(func(h *PlatformHealth) { h.LastPushAt, h.PushesReceived = at, h.PushesReceived+1 })
}

// PushRefused is called by the push receiver for every push it refused.
func (b *Bridge) PushRefused() {
	b.health.update(func(h *PlatformHealth) { h.PushesRefused++ })
}

// PushesFlowing reports whether pushes are expected to announce orders: the
// receiver is on and a push arrived within push.silent_after.
func (b *Bridge) PushesFlowing() bool {
	if b.cfg.Push.Listen == "" {
		return false
	}
	silent := b.cfg.Push.SilentAfter
	if silent <= 0 {
		silent = 10 * time.Minute
	}
	b.health.mu.Lock()
	last := b.health.h.LastPushAt
	b.health.mu.Unlock()
	if last.IsZero() {
		return false
	}
	d := b.now().Sub(last)
	return d >= -silent && d < silent
}

// ReportPoll records the outcome of one poll (key like "orders/1862").
// asked says whether the poll called the platform: a poll that had nothing
// to ask is no sign that the platform is reachable.
func (b *Bridge) ReportPoll(key string, found int, asked bool, interval time.Duration, err error) {
	now := b.now()
	b.health.update(func(h *PlatformHealth) {
		p := h.Polls[key]
		p.Interval = interval.String()
		switch {
		case err != nil:
			p.LastError, p.LastErrorHint, p.LastErrorAt, p.Idle = err.Error(), kaigedian.Explain(err), now, false
		case !asked:
			p.Idle = true
		default:
			p.LastSuccess, p.LastFound, p.LastError, p.LastErrorHint, p.Idle = now, found, "", "", false
			h.LastPlatformOK = now
		}
		h.Polls[key] = p
	})
}

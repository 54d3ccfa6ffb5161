package bridge

import (
	"sync"
	"time"

	"github.com/posbridge/posbridge/order"
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
	// Channels is every registered channel's link, by source (开个店's
	// is also the fields above, as the console has always read them).
	Channels map[order.Source]ChannelHealth `json:"channels"`
}

// ChannelHealth is the state of one channel's link: its last answer and
// its last error.
type ChannelHealth struct {
	LastOK        time.Time `json:"last_ok,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
	LastErrorHint string    `json:"last_error_hint,omitempty"` // LastError for staff, in Chinese
	LastErrorAt   time.Time `json:"last_error_at,omitzero"`
	Calls         int64     `json:"calls"`  // answered since start
	Errors        int64     `json:"errors"` // failed since start
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
	return &healthState{h: PlatformHealth{Polls: map[string]PollHealth{}, Channels: map[order.Source]ChannelHealth{}}}
}

func (s *healthState) update(f func(h *PlatformHealth)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.h)
}

// platformOK records an answer of source's channel.
func (s *healthState) platformOK(source order.Source, now time.Time) {
	source = source.Or(order.SourceKaigedian)
	s.update(func(h *PlatformHealth) {
		c := h.Channels[source]
		c.LastOK = now
		c.Calls++
		h.Channels[source] = c
		if source == order.SourceKaigedian {
			h.LastPlatformOK = now
		}
	})
}

// platformError records a failed call of source's channel; hint is the
// channel's sentence for err.
func (s *healthState) platformError(source order.Source, now time.Time, what string, err error, hint string) {
	source = source.Or(order.SourceKaigedian)
	s.update(func(h *PlatformHealth) {
		c := h.Channels[source]
		c.LastError, c.LastErrorHint, c.LastErrorAt = what+": "+err.Error(), hint, now
		c.Errors++
		h.Channels[source] = c
		if source == order.SourceKaigedian {
			h.LastError, h.LastErrorHint, h.LastErrorAt = c.LastError, hint, now
		}
	})
}

// channelOK and channelError record the outcome of a call of ch.
func (b *Bridge) channelOK(ch Channel) { b.health.platformOK(ch.Source(), b.now()) }

func (b *Bridge) channelError(ch Channel, what string, err error) {
	b.health.platformError(ch.Source(), b.now(), what, err, ch.Classify(err).Message)
}

// explain is the staff's sentence for an error of source's channel.
func (b *Bridge) explain(source order.Source, err error) string {
	if ch, cerr := b.channels.get(source); cerr == nil {
		return ch.Classify(err).Message
	}
	return err.Error()
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
	h.Channels = make(map[order.Source]ChannelHealth, len(b.channels))
	for _, source := range b.channels.sources() {
		c := b.health.h.Channels[source]
		c.LastOK, c.LastErrorAt = APITime(c.LastOK), APITime(c.LastErrorAt)
		h.Channels[source] = c
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

// ReportPoll records the outcome of one poll of 开个店 (key like
// "orders/1862"). asked says whether the poll called the platform: a poll
// that had nothing to ask is no sign that the platform is reachable.
func (b *Bridge) ReportPoll(key string, found int, asked bool, interval time.Duration, err error) {
	now := b.now()
	hint := ""
	if err != nil {
		hint = b.explain(order.SourceKaigedian, err)
	}
	b.health.update(func(h *PlatformHealth) {
		p := h.Polls[key]
		p.Interval = interval.String()
		switch {
		case err != nil:
			p.LastError, p.LastErrorHint, p.LastErrorAt, p.Idle = err.Error(), hint, now, false
		case !asked:
			p.Idle = true
		default:
			p.LastSuccess, p.LastFound, p.LastError, p.LastErrorHint, p.Idle = now, found, "", "", false
			h.LastPlatformOK = now
			c := h.Channels[order.SourceKaigedian]
			c.LastOK = now
			h.Channels[order.SourceKaigedian] = c
		}
		h.Polls[key] = p
	})
}

package bridge

import (
	"sync"
	"sync/atomic"
	"time"
)

// Event types published to the console (server-sent events).
const (
	EvOrder    = "order"    // an order was created or changed
	EvDecision = "decision" // an order waits for staff: accept or refund
	EvAlert    = "alert"    // something staff must know (missed push, failing call, waiting order)
	EvScan     = "scan"     // a scan was processed
	EvPrinter  = "printer"  // a printer's status or queue changed
	EvPlatform = "platform" // push / poll / outbox health changed
)

// Alert levels.
const (
	LevelInfo     = "info"
	LevelWarn     = "warn"
	LevelCritical = "critical"
)

// Event is one live update.
type Event struct {
	ID      int64
	Type    string
	Time    time.Time
	Code    string
	Status  string
	Kind    string // decision: accept | refund; alert: its key
	Level   string // alerts
	Message string
	Data    any
}

// Bus fans events out to subscribers (console pages). A slow subscriber loses
// events rather than slowing the bridge; pages reload state on reconnect.
type Bus struct {
	mu       sync.Mutex
	subs     map[int]chan Event
	next     int
	seq      atomic.Int64
	lastSeen atomic.Int64 // unix ms when a subscriber was last connected
	now      func() time.Time
}

// NewBus makes an empty bus.
func NewBus(now func() time.Time) *Bus {
	if now == nil {
		now = time.Now
	}
	b := &Bus{subs: map[int]chan Event{}, now: now}
	b.lastSeen.Store(now().UnixMilli())
	return b
}

// Subscribe returns a channel of events and a function to stop.
func (b *Bus) Subscribe() (<-chan Event, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := b.next
	b.next++
	ch := make(chan Event, 256)
	b.subs[id] = ch
	b.lastSeen.Store(b.now().UnixMilli())
	return ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if c, ok := b.subs[id]; ok {
			delete(b.subs, id)
			close(c)
			b.lastSeen.Store(b.now().UnixMilli())
		}
	}
}

// Publish sends an event to every subscriber without blocking.
func (b *Bus) Publish(e Event) {
	e.ID = b.seq.Add(1)
	if e.Time.IsZero() {
		e.Time = b.now()
	}
	e.Time = APITime(e.Time)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		select {
		case ch <- e:
		default:
		}
	}
}

// Subscribers is the number of connected pages.
func (b *Bus) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// UnwatchedFor is how long no page has been connected (0 while one is).
func (b *Bus) UnwatchedFor() time.Duration {
	if b.Subscribers() > 0 {
		b.lastSeen.Store(b.now().UnixMilli())
		return 0
	}
	d := b.now().Sub(time.UnixMilli(b.lastSeen.Load()))
	if d < 0 {
		b.lastSeen.Store(b.now().UnixMilli()) // the clock jumped back: count again from now
		return 0
	}
	return d
}

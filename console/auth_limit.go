package console

import (
	"net"
	"sync"
	"time"
)

// PIN guessing limits: a few free tries per client, then a lock that doubles
// with every further miss; and a cap on misses from the whole LAN, so that
// many addresses cannot share the work of guessing a 4-digit PIN.
const (
	pinFreeTries    = 5
	pinFirstLock    = 30 * time.Second
	pinMaxLock      = 15 * time.Minute
	pinGlobalWindow = 10 * time.Minute
	pinGlobalMisses = 100
	pinForgetAfter  = time.Hour
	// pinBusyRetry is what a client is told to wait while its previous
	// attempt is still being checked.
	pinBusyRetry = time.Second
)

type pinClient struct {
	misses      int
	lockedUntil time.Time
	last        time.Time
	inflight    bool // an attempt of this client is being checked
}

type pinLimiter struct {
	now func() time.Time

	mu      sync.Mutex
	clients map[string]*pinClient
	global  []time.Time // misses within pinGlobalWindow, oldest first
}

func newPinLimiter(now func() time.Time) *pinLimiter {
	return &pinLimiter{now: now, clients: map[string]*pinClient{}}
}

// pinClientKey groups IPv6 clients by their /64: one machine can pick any
// address in it.
func pinClientKey(ip net.IP) string {
	if ip == nil {
		return "?"
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// pinAttempt is a PIN check a client may make now. It was counted as a miss
// when it began, before the check ran: a thousand guesses sent at once are
// a thousand misses, not a thousand checks. Exactly one of miss, success or
// abandon ends it.
type pinAttempt struct {
	l   *pinLimiter
	key string
	at  time.Time
}

// begin reserves an attempt for the client, or says how long it must wait:
// while it is locked, while its previous attempt is being checked (one at a
// time per client), and, once the LAN as a whole missed too often, if it
// has missed before (a client with no recorded miss, like the counter
// tablet after a restart, still gets its try).
func (l *pinLimiter) begin(key string) (*pinAttempt, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.prune(now)
	c := l.clients[key]
	if c == nil {
		c = &pinClient{}
		l.clients[key] = c
	}
	var wait time.Duration
	if now.Before(c.lockedUntil) {
		if c.lockedUntil.Sub(now) > pinMaxLock { // the clock went back
			c.lockedUntil = now.Add(pinMaxLock)
		}
		wait = c.lockedUntil.Sub(now)
	}
	if c.misses > 0 && len(l.global) >= pinGlobalMisses {
		wait = max(wait, l.global[0].Add(pinGlobalWindow).Sub(now))
	}
	if wait == 0 && c.inflight {
		wait = pinBusyRetry
	}
	if wait > 0 {
		return nil, wait
	}
	c.inflight = true
	c.misses++
	c.last = now
	l.global = append(l.global, now)
	return &pinAttempt{l: l, key: key, at: now}, 0
}

// miss keeps the attempt counted; it returns the free tries left and the
// lock now in force.
func (a *pinAttempt) miss() (left int, lock time.Duration) {
	l := a.l
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.clients[a.key]
	c.inflight = false
	if c.misses < pinFreeTries {
		return pinFreeTries - c.misses, 0
	}
	lock = pinFirstLock
	for i := pinFreeTries; i < c.misses && lock < pinMaxLock; i++ {
		lock *= 2
	}
	lock = min(lock, pinMaxLock)
	c.lockedUntil = l.now().Add(lock)
	return 0, lock
}

// success forgets the client's misses, this attempt's included.
func (a *pinAttempt) success() {
	a.l.mu.Lock()
	defer a.l.mu.Unlock()
	delete(a.l.clients, a.key)
	a.l.uncount(a.at)
}

// abandon undoes the attempt: the PIN was never checked (the server was
// too busy), so it is no miss.
func (a *pinAttempt) abandon() {
	l := a.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if c := l.clients[a.key]; c != nil {
		c.inflight = false
		c.misses = max(0, c.misses-1)
	}
	l.uncount(a.at)
}

// uncount removes one LAN-wide miss counted at at.
func (l *pinLimiter) uncount(at time.Time) {
	for i := len(l.global) - 1; i >= 0; i-- {
		if l.global[i].Equal(at) {
			l.global = append(l.global[:i], l.global[i+1:]...)
			return
		}
	}
}

func (l *pinLimiter) prune(now time.Time) {
	if len(l.global) > 0 && l.global[len(l.global)-1].After(now) {
		l.global = l.global[:0] // the clock went back: the window cannot be trusted
	}
	i := 0
	for i < len(l.global) && now.Sub(l.global[i]) >= pinGlobalWindow {
		i++
	}
	l.global = l.global[i:]
	for k, c := range l.clients {
		if !c.inflight && now.Sub(c.last) > pinForgetAfter && now.After(c.lockedUntil) {
			delete(l.clients, k)
		}
	}
}

// pinChecks bounds how many PIN checks run at once across all clients: a
// bcrypt check takes a core for tens of milliseconds, and a burst of them
// must leave the CPU to the push receiver (one burst held a push's answer
// back 10.5 s). A check that cannot start within pinCheckWait is not made.
const (
	pinChecks    = 1
	pinCheckWait = 3 * time.Second
)

var pinCheckSlots = make(chan struct{}, pinChecks)

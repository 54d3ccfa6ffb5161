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
)

type pinClient struct {
	misses      int
	lockedUntil time.Time
	last        time.Time
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

// wait is how long the client must wait before it may try a PIN (0 = now).
func (l *pinLimiter) wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.prune(now)
	var d time.Duration
	if c := l.clients[key]; c != nil && now.Before(c.lockedUntil) {
		if c.lockedUntil.Sub(now) > pinMaxLock { // the clock went back
			c.lockedUntil = now.Add(pinMaxLock)
		}
		d = c.lockedUntil.Sub(now)
	}
	if len(l.global) >= pinGlobalMisses {
		if g := l.global[0].Add(pinGlobalWindow).Sub(now); g > d {
			d = g
		}
	}
	return d
}

// miss records a wrong PIN; it returns the free tries left and the lock now in force.
func (l *pinLimiter) miss(key string) (left int, lock time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	c := l.clients[key]
	if c == nil {
		c = &pinClient{}
		l.clients[key] = c
	}
	c.misses++
	c.last = now
	l.global = append(l.global, now)
	if c.misses < pinFreeTries {
		return pinFreeTries - c.misses, 0
	}
	lock = pinFirstLock
	for i := pinFreeTries; i < c.misses && lock < pinMaxLock; i++ {
		lock *= 2
	}
	lock = min(lock, pinMaxLock)
	c.lockedUntil = now.Add(lock)
	return 0, lock
}

// success forgets the client's misses.
func (l *pinLimiter) success(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.clients, key)
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
		if now.Sub(c.last) > pinForgetAfter && now.After(c.lockedUntil) {
			delete(l.clients, k)
		}
	}
}

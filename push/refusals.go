package push

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Refused pushes are recorded at most refusalRate a second per address
// (refusalBurst at once) and refusalsInAll a second overall. The platform's
// own pushes verify and never reach this limiter, however many it sends.
const (
	refusalRate     = 5
	refusalBurst    = 20
	refusalsInAll   = 50
	refusalForget   = 10 * time.Minute
	refusalLogEvery = time.Minute
)

// refusalLimiter rate-limits what refused pushes cost (a write and a log
// line each) per sender address.
type refusalLimiter struct {
	mu     sync.Mutex
	all    *rate.Limiter
	byAddr map[string]*refusalSender
}

type refusalSender struct {
	lim        *rate.Limiter
	last       time.Time
	suppressed int
	since      time.Time // first suppressed refusal since the last log line
	loggedAt   time.Time
}

func (l *refusalLimiter) sender(remote string, now time.Time) *refusalSender {
	if l.byAddr == nil {
		l.byAddr = map[string]*refusalSender{}
		l.all = rate.NewLimiter(refusalsInAll, refusalsInAll)
	}
	s := l.byAddr[remote]
	if s == nil {
		if len(l.byAddr) > 4096 {
			for k, v := range l.byAddr {
				if now.Sub(v.last) > refusalForget {
					delete(l.byAddr, k)
				}
			}
		}
		s = &refusalSender{lim: rate.NewLimiter(refusalRate, refusalBurst)}
		l.byAddr[remote] = s
	}
	s.last = now
	return s
}

// allow reports whether a refusal from remote is recorded.
func (l *refusalLimiter) allow(remote string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.sender(remote, now)
	if s.lim.AllowN(now, 1) && l.all.AllowN(now, 1) {
		return true
	}
	if s.suppressed == 0 {
		s.since = now
	}
	s.suppressed++
	return false
}

// suppressed says how many refusals of remote went unrecorded since when;
// first is true at most once a minute, when a log line is due.
func (l *refusalLimiter) suppressed(remote string, now time.Time) (n int, since time.Time, first bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.sender(remote, now)
	if now.Sub(s.loggedAt) < refusalLogEvery {
		return s.suppressed, s.since, false
	}
	n, since = s.suppressed, s.since
	s.loggedAt, s.suppressed = now, 0
	return n, since, true
}

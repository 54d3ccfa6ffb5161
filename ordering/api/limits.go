package api

import (
	"bytes"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket per client address: perMinute requests a
// minute, a minute's worth at once at most. It holds at most
// maxClients addresses; idle ones are dropped first.
type limiter struct {
	mu      sync.Mutex
	clients map[string]*rate.Limiter
	every   rate.Limit
	burst   int
	now     func() time.Time
}

const maxClients = 50_000

func newLimiter(perMinute int, now func() time.Time) *limiter {
	return &limiter{clients: map[string]*rate.Limiter{}, every: rate.Limit(float64(perMinute) / 60),
		burst: max(1, perMinute), now: now}
}

// allow takes a token for addr; when none is left it returns the seconds
// until one is.
func (l *limiter) allow(addr string) (ok bool, retryAfter int) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, found := l.clients[addr]
	if !found {
		if len(l.clients) >= maxClients {
			l.dropIdle(now)
		}
		b = rate.NewLimiter(l.every, l.burst)
		l.clients[addr] = b
	}
	if b.AllowN(now, 1) {
		return true, 0
	}
	wait := float64(1-b.TokensAt(now)) / float64(l.every)
	return false, max(1, int(math.Ceil(wait)))
}

// dropIdle forgets the addresses whose bucket is full again; if every
// address is busy (a flood of new ones) it starts over rather than grow.
func (l *limiter) dropIdle(now time.Time) {
	for k, b := range l.clients {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.clients, k)
		}
	}
	if len(l.clients) >= maxClients {
		clear(l.clients)
	}
}

// clientAddr is the address a limit counts: the TCP source, unless that is
// a trusted proxy, then the nearest X-Forwarded-For entry that is not one.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if net.ParseIP(h) == nil {
			break // a forged or broken entry: stop at the last proxy we trust
		}
		host = h
		if !s.trusted(h) {
			break
		}
	}
	return host
}

func (s *Server) trusted(host string) bool {
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range s.opt.TrustedProxies {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// readBody reads a JSON request body of at most limit bytes: 415 for
// another content type, 413 when larger. ok false: the reply is written.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data" {
			// DRF would parse forms; this listener does not, and says so
			// rather than reading every field as missing.
			writeDetail(w, http.StatusUnsupportedMediaType, "不支持表单格式（"+mt+"）的请求内容，请以 JSON 发送（Content-Type: application/json）。")
			return nil, false
		}
		if err != nil || mt != "application/json" {
			writeDetail(w, http.StatusUnsupportedMediaType, "不支持请求中的媒体类型 “"+ct+"”，请用 application/json。")
			return nil, false
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if _, tooBig := err.(*http.MaxBytesError); tooBig {
			writeDetail(w, http.StatusRequestEntityTooLarge, "请求内容太大。")
		} else {
			writeNonField(w, "请求内容没有收完整，请重试。")
		}
		return nil, false
	}
	if r.Header.Get("Content-Type") == "" {
		// No type named: a body that cannot be JSON (a=b&c=d) is a form
		// sent without its header.
		if t := bytes.TrimSpace(body); len(t) > 0 && t[0] != '{' && t[0] != '[' {
			writeDetail(w, http.StatusUnsupportedMediaType, "请求内容不是 JSON，请以 JSON 发送（Content-Type: application/json）。")
			return nil, false
		}
	}
	return body, true
}

// parseCIDRs reads addresses or CIDRs (tests and wiring).
func parseCIDRs(list ...string) ([]*Proxy, error) {
	var out []*Proxy
	for _, s := range list {
		if !strings.Contains(s, "/") {
			if ip := net.ParseIP(s); ip != nil && ip.To4() != nil {
				s += "/32"
			} else {
				s += "/128"
			}
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

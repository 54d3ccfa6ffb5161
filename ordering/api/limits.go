package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"mime/multipart"
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

// readBody reads a request body of at most limit bytes as JSON: a JSON
// body as it is, a form (urlencoded or multipart, as DRF parses them) turned
// into the JSON object of its fields; 415 for another content type, 413 when
// larger. ok false: the reply is written.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	ct := r.Header.Get("Content-Type")
	mt := ""
	if ct != "" {
		var err error
		mt, _, err = mime.ParseMediaType(ct)
		switch {
		case err != nil:
			mt = ""
		case mt == "application/x-www-form-urlencoded", mt == "multipart/form-data":
			return readForm(w, r, limit)
		}
		if mt != "application/json" {
			writeDetail(w, http.StatusUnsupportedMediaType, "不支持请求中的媒体类型 “"+ct+"”，请用 application/json 或表单。")
			return nil, false
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		writeReadError(w, err)
		return nil, false
	}
	if ct == "" {
		// No type named: a body that cannot be JSON (a=b&c=d) is a form
		// sent without its header, which DRF would refuse too.
		if t := bytes.TrimSpace(body); len(t) > 0 && t[0] != '{' && t[0] != '[' {
			writeDetail(w, http.StatusUnsupportedMediaType, "请求内容没有注明格式，请以 JSON（Content-Type: application/json）或表单（application/x-www-form-urlencoded）发送。")
			return nil, false
		}
	}
	return body, true
}

// readForm turns a form into the JSON object of its fields: one value a
// string, a repeated field a list of strings (the decoders read numbers
// given as strings, as the seed's own examples send them). Files of a
// multipart form are not fields and are left out; nested values (a create's
// items) cannot be sent as a form and come out missing, a 400 naming them.
func readForm(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(limit)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		writeReadError(w, err)
		return nil, false
	}
	fields := map[string]any{}
	for k, vs := range r.PostForm {
		if len(vs) == 1 {
			fields[k] = vs[0]
		} else {
			fields[k] = vs
		}
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
		for k, vs := range r.MultipartForm.Value {
			if len(vs) == 1 {
				fields[k] = vs[0]
			} else {
				fields[k] = vs
			}
		}
	}
	body, err := json.Marshal(fields)
	if err != nil {
		writeNonField(w, "表单内容无法读取，请重试。")
		return nil, false
	}
	return body, true
}

// writeReadError answers a body that could not be read: 413 when too large.
func writeReadError(w http.ResponseWriter, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeDetail(w, http.StatusRequestEntityTooLarge, "请求内容太大。")
		return
	}
	if errors.Is(err, multipart.ErrMessageTooLarge) {
		writeDetail(w, http.StatusRequestEntityTooLarge, "请求内容太大。")
		return
	}
	writeNonField(w, "请求内容没有收完整或格式不对，请重试。")
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

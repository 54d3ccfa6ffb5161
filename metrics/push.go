package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// InstrumentPush times the push receiver's answers: the ack latency a
// platform sees (durable before ack makes it the fsync's time too).
func (r *Registry) InstrumentPush(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost {
			h.ServeHTTP(w, req)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, req)
		kind := pushKind(req.URL.Path)
		r.PushAck.Observe(Labels{{"kind", kind}}, time.Since(start))
		r.Pushes.Inc(Labels{{"kind", kind}, {"code", strconv.Itoa(sw.status)}})
	})
}

// pushKind is the last path segment of a known push path; anything else is
// "other", so that random paths cannot grow the series without bound.
func pushKind(path string) string {
	switch k := path[strings.LastIndexByte(path, '/')+1:]; k {
	case "order", "refund", "delivery", "event":
		return k
	}
	return "other"
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// CountLogs wraps a log handler so that warnings and errors are counted:
// the errors metric is whatever the daemon itself reported as one.
func (r *Registry) CountLogs(h slog.Handler) slog.Handler { return &countingHandler{Handler: h, r: r} }

type countingHandler struct {
	slog.Handler
	r *Registry
}

func (c *countingHandler) Handle(ctx context.Context, rec slog.Record) error {
	switch {
	case rec.Level >= slog.LevelError:
		c.r.Logged.Inc(Labels{{"level", "error"}})
	case rec.Level >= slog.LevelWarn:
		c.r.Logged.Inc(Labels{{"level", "warn"}})
	}
	return c.Handler.Handle(ctx, rec)
}

func (c *countingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &countingHandler{Handler: c.Handler.WithAttrs(as), r: c.r}
}

func (c *countingHandler) WithGroup(name string) slog.Handler {
	return &countingHandler{Handler: c.Handler.WithGroup(name), r: c.r}
}

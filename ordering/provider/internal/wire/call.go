package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/provider"
)

// DefaultMaxReply bounds what is read of one reply: every documented reply
// is a few KiB; a provider (or something pretending to be one) must not be
// able to fill memory.
const DefaultMaxReply = 1 << 20

// Reply is a provider's HTTP answer, read whole.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// Caller makes bounded calls to one provider.
type Caller struct {
	Provider string
	HTTP     *http.Client
	Timeout  time.Duration // per call, on top of the caller's context
	MaxReply int64         // default DefaultMaxReply
	Secrets  []string      // scrubbed from every error text
	Log      *slog.Logger
}

// NewHTTPClient is the client a provider gets when the caller gives none: TLS
// verification on (Go's default), no redirects followed (a redirect would
// carry query-string secrets to another host), an overall timeout as a
// backstop behind the per-call context.
func NewHTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Do sends the request made by build under the caller's deadline and reads
// the whole reply. Any failure to get a reply is a *provider.TransportError
// whose text names neither the URL nor a secret. build is called once.
func (c *Caller) Do(ctx context.Context, op string, build func(ctx context.Context) (*http.Request, error)) (*Reply, error) {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	req, err := build(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s %s: build request: %s", c.Provider, op, c.Scrub(err.Error()))
	}
	start := time.Now()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		inner := stripURL(err)
		c.logf(ctx, slog.LevelWarn, "provider call failed", "op", op, "after", time.Since(start).Round(time.Millisecond), "err", c.Scrub(inner.Error()))
		return nil, provider.NewTransportError(c.Provider, op, 0, inner, c.Scrub(inner.Error()))
	}
	defer resp.Body.Close()
	limit := c.MaxReply
	if limit <= 0 {
		limit = DefaultMaxReply
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		inner := stripURL(err)
		return nil, provider.NewTransportError(c.Provider, op, 0, inner, "reading the reply: "+c.Scrub(inner.Error()))
	}
	if int64(len(body)) > limit {
		return nil, provider.NewTransportError(c.Provider, op, resp.StatusCode, nil, fmt.Sprintf("reply larger than %d bytes", limit))
	}
	c.logf(ctx, slog.LevelDebug, "provider call", "op", op, "status", resp.StatusCode, "after", time.Since(start).Round(time.Millisecond))
	return &Reply{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// Unusable turns a 5xx or 429 reply into a TransportError (the provider did
// not give a verdict); other statuses are the caller's to read.
func (c *Caller) Unusable(op string, r *Reply) error {
	if r.Status >= 500 || r.Status == http.StatusTooManyRequests {
		return provider.NewTransportError(c.Provider, op, r.Status, nil, Snippet(c.Scrub(string(r.Body))))
	}
	return nil
}

// Scrub replaces every secret (raw, query-escaped, path-escaped) in s.
func (c *Caller) Scrub(s string) string { return Scrub(s, c.Secrets...) }

// Scrub replaces each non-empty secret, in its raw and URL-escaped forms, by ***.
func Scrub(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		for _, form := range []string{sec, url.QueryEscape(sec), url.PathEscape(sec)} {
			s = strings.ReplaceAll(s, form, "***")
		}
	}
	return s
}

// Snippet shortens a reply body for an error message.
func Snippet(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

func (c *Caller) logf(ctx context.Context, level slog.Level, msg string, args ...any) {
	if c.Log != nil {
		c.Log.Log(ctx, level, msg, append([]any{"provider", c.Provider}, args...)...)
	}
}

// stripURL unwraps *url.Error, whose text repeats the full URL (with
// WeChat's secret or Facebook's app token in the query).
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Defaults fills what a client's options leave zero: the timeout (def), an
// HTTP client built for it, a silent logger, the wall clock.
func Defaults(hc **http.Client, timeout *time.Duration, def time.Duration, log **slog.Logger, now *func() time.Time) {
	if *timeout <= 0 {
		*timeout = def
	}
	if *hc == nil {
		*hc = NewHTTPClient(*timeout)
	}
	if *log == nil {
		*log = slog.New(slog.DiscardHandler)
	}
	if *now == nil {
		*now = time.Now
	}
}

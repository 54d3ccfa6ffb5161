package kaigedian

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/posbridge/posbridge/internal/rsakeys"
	"github.com/posbridge/posbridge/internal/txid"
)

// Defaults used when the Config leaves a field zero.
const (
	DefaultTimeout        = 10 * time.Second
	DefaultRatePerSecond  = 5
	DefaultQueryRetries   = 3
	DefaultRetryBaseDelay = 300 * time.Millisecond
	DefaultRetryMaxDelay  = 5 * time.Second
	maxReplyBytes         = 16 << 20
)

// Config configures a Client. Secrets (AccessToken, PrivateKey) are never
// logged or put into errors.
type Config struct {
	BaseURL     string // e.g. https://…/openapi; endpoint paths are joined to it
	PartnerID   string
	AppID       string
	AccessToken string
	PrivateKey  *rsa.PrivateKey // merchant key that signs requests
	// Timeout bounds one HTTP attempt (default 10s).
	Timeout time.Duration
	// RatePerSecond limits calls (default 5; negative = unlimited). The
	// documents warn of call limits without numbers.
	RatePerSecond float64
	// QueryRetries is how many times an idempotent query is repeated after
	// a retryable failure (default 3; negative = never).
	QueryRetries int
	// RetryBaseDelay and RetryMaxDelay bound the exponential backoff with
	// full jitter between query attempts (defaults 300ms and 5s).
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	HTTPClient     *http.Client
	Logger         *slog.Logger
	Now            func() time.Time
	// OrderClients and OrderStatuses are sent in batchQuery when the request
	// leaves them empty (both arrays are required by the platform).
	OrderClients  []int
	OrderStatuses []int
}

// Client calls the 开个店 open platform. It is safe for concurrent use.
type Client struct {
	cfg     Config
	base    *url.URL
	hc      *http.Client
	limiter *rate.Limiter
	log     *slog.Logger
	now     func() time.Time
}

// NewClient checks cfg and returns a client.
func NewClient(cfg Config) (*Client, error) {
	var problems []FieldError
	base, err := url.Parse(strings.TrimSpace(cfg.BaseURL))
	switch {
	case strings.TrimSpace(cfg.BaseURL) == "":
		problems = append(problems, FieldError{"base_url", "is empty: ask 开个店 staff for the platform address"})
	case err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "":
		problems = append(problems, FieldError{"base_url", fmt.Sprintf("%q is not an http(s) URL", cfg.BaseURL)})
	}
	if strings.TrimSpace(cfg.PartnerID) == "" {
		problems = append(problems, FieldError{"partner_id", "is empty"})
	}
	if strings.TrimSpace(cfg.AppID) == "" {
		problems = append(problems, FieldError{"app_id", "is empty"})
	}
	if cfg.PrivateKey == nil {
		problems = append(problems, FieldError{"private_key_file", "no merchant private key: requests cannot be signed"})
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Op: "client config", Fields: problems}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.QueryRetries == 0 {
		cfg.QueryRetries = DefaultQueryRetries
	} else if cfg.QueryRetries < 0 {
		cfg.QueryRetries = 0
	}
	if cfg.RetryBaseDelay <= 0 {
		cfg.RetryBaseDelay = DefaultRetryBaseDelay
	}
	if cfg.RetryMaxDelay <= 0 {
		cfg.RetryMaxDelay = DefaultRetryMaxDelay
	}
	c := &Client{cfg: cfg, base: base, hc: cfg.HTTPClient, log: cfg.Logger, now: cfg.Now}
	if c.hc == nil {
		c.hc = &http.Client{Transport: KeepAliveTransport(maxConnsKept)}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	switch r := cfg.RatePerSecond; {
	case r < 0:
		c.limiter = rate.NewLimiter(rate.Inf, 1)
	case r == 0:
		c.limiter = rate.NewLimiter(DefaultRatePerSecond, 2)
	default:
		c.limiter = rate.NewLimiter(rate.Limit(r), max(1, int(r/2)))
	}
	if cfg.AccessToken == "" {
		c.log.Warn("kaigedian: access_token is empty; the platform gateway will refuse calls")
	}
	if n := cfg.PrivateKey.N.BitLen(); n < rsakeys.MinBits {
		c.log.Warn("kaigedian: merchant key is smaller than the platform requires", "bits", n, "min_bits", rsakeys.MinBits)
	}
	return c, nil
}

// Merchant is the partnerId and appId the client signs as; a push must name
// the same ones.
func (c *Client) Merchant() (partnerID, appID string) { return c.cfg.PartnerID, c.cfg.AppID }

// NewTransactionID returns a fresh x-transaction-id (a random UUID, as the
// demos use). Store it with an outbox row and pass it on every retry.
func NewTransactionID() string { return txid.New() }

// endpoint joins the base URL and an endpoint path, whatever slashes either has.
func (c *Client) endpoint(path string) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + strings.TrimLeft(path, "/")
	u.RawPath = ""
	return u.String()
}

// reply is what one HTTP exchange produced.
type reply struct {
	resp       *Response
	serverDate time.Time
	latency    time.Duration
}

// call performs one signed POST of body to path with transaction id txID.
func (c *Client) call(ctx context.Context, path, txID string, body any) (*reply, error) {
	reqBody, err := marshalJSON(body)
	if err != nil {
		return nil, fmt.Errorf("kaigedian %s: encode request: %w", path, err)
	}
	env, err := NewEnvelope(c.cfg.PrivateKey, c.cfg.PartnerID, c.cfg.AppID, reqBody)
	if err != nil {
		return nil, err
	}
	payload, err := env.Marshal()
	if err != nil {
		return nil, fmt.Errorf("kaigedian %s: encode envelope: %w", path, err)
	}
	if err := c.wait(ctx); err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.endpoint(path), bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("kaigedian %s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	req.Header.Set("Accept", "application/json;charset=utf-8")
	req.Header["x-transaction-id"] = []string{txID}
	// Header.Set would canonicalise to "Access_token"; the documents name it
	// in lower case and some gateways compare names literally.
	req.Header["access_token"] = []string{c.cfg.AccessToken}

	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("kaigedian %s: %w", path, ctx.Err())
		}
		return nil, &TransportError{Path: path, Err: scrubURLError(err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	latency := time.Since(start)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("kaigedian %s: %w", path, ctx.Err())
		}
		return nil, &TransportError{Path: path, Err: fmt.Errorf("read reply: %w", err)}
	}
	r := &reply{latency: latency}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		r.serverDate = d
	}
	decoded, derr := DecodeResponse(raw)
	c.log.Debug("kaigedian call", "path", path, "tx", txID, "http", resp.StatusCode,
		"code", codeOf(decoded), "ms", latency.Milliseconds())
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		pe := &PlatformError{HTTPStatus: resp.StatusCode, Path: path, Message: http.StatusText(resp.StatusCode)}
		if derr == nil {
			pe.Code, pe.Message = decoded.Code, decoded.Message
		}
		r.resp = decoded
		return r, pe
	}
	if derr != nil {
		return r, &DecodeError{Path: path, Err: derr, Snippet: snippet(raw)}
	}
	r.resp = decoded
	if !decoded.OK() {
		return r, &PlatformError{Code: decoded.Code, Message: decoded.Message, HTTPStatus: resp.StatusCode, Path: path}
	}
	return r, nil
}

// wait applies the rate limit plus a little jitter, so that several stores
// polled by one PC do not hit the platform in lockstep.
func (c *Client) wait(ctx context.Context) error {
	if err := c.limiter.Wait(ctx); err != nil {
		return fmt.Errorf("kaigedian: rate limiter: %w", err)
	}
	lim := c.limiter.Limit()
	if lim == rate.Inf || lim <= 0 {
		return nil
	}
	if span := int64(float64(time.Second) / float64(lim) / 5); span > 0 {
		t := time.NewTimer(time.Duration(mrand.Int64N(span)))
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// query runs an idempotent call, retrying retryable failures with backoff
// and full jitter; each attempt carries its own transaction id.
func (c *Client) query(ctx context.Context, path string, body any) (*reply, error) {
	var lastErr error
	for attempt := 0; ; attempt++ {
		r, err := c.call(ctx, path, NewTransactionID(), body)
		if err == nil {
			return r, nil
		}
		lastErr = err
		if !IsRetryable(err) || attempt >= c.cfg.QueryRetries || ctx.Err() != nil {
			break
		}
		delay := c.backoff(attempt)
		c.log.Info("kaigedian query failed, retrying", "path", path, "attempt", attempt+1, "in", delay, "err", err)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%w (gave up: %w)", lastErr, ctx.Err())
		case <-t.C:
		}
	}
	return nil, lastErr
}

// queryDecode runs query and hands the response body (nil when empty) to
// decode. An unreadable body is retried like any other unreadable reply:
// decode must only keep its result when it returns nil.
func (c *Client) queryDecode(ctx context.Context, path string, body any, decode func([]byte) error) error {
	for attempt := 0; ; attempt++ {
		r, err := c.query(ctx, path, body)
		if err != nil {
			return err
		}
		err = r.resp.BodyInvalid
		if err == nil {
			err = decode(r.resp.Body)
		}
		if err == nil {
			return nil
		}
		derr := &DecodeError{Path: path, Err: err, Snippet: snippetString(r.resp.RawBody)}
		if attempt >= c.cfg.QueryRetries || ctx.Err() != nil {
			return derr
		}
		c.log.Warn("kaigedian reply body unreadable, retrying", "path", path, "err", err)
		t := time.NewTimer(c.backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return derr
		case <-t.C:
		}
	}
}

func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.RetryBaseDelay << min(attempt, 16)
	if d <= 0 || d > c.cfg.RetryMaxDelay {
		d = c.cfg.RetryMaxDelay
	}
	return time.Duration(mrand.Int64N(int64(d))) + d/4
}

// command runs a non-idempotent call exactly once with the caller's
// transaction id; the outbox retries it with the same id.
func (c *Client) command(ctx context.Context, path, txID string, body any) (*reply, error) {
	if strings.TrimSpace(txID) == "" {
		return nil, invalid(path, []FieldError{{"x-transaction-id", "is empty: pass the outbox row's transaction id"}})
	}
	return c.call(ctx, path, txID, body)
}

// scrubURLError drops the URL from a transport error: it is in the log
// context already and may carry credentials in its userinfo.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}

func codeOf(r *Response) string {
	if r == nil {
		return ""
	}
	return r.Code
}

func snippet(b []byte) string { return snippetString(string(b)) }

func snippetString(s string) string {
	const n = 120
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// maxConnsKept is how many idle connections to the platform are kept open:
// as many as calls the daemon makes at once (its outbox workers, the detail
// fetch, the poller).
const maxConnsKept = 16

// KeepAliveTransport is the default transport keeping idle connections for
// idle calls at once. The default keeps two per host, so every call beyond
// them opened a new connection — against the platform a TLS handshake each
// (found as dialConn in the ingest benchmark's profile).
func KeepAliveTransport(idle int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = idle
	return t
}

package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/provider"
	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// DefaultTimeout bounds one call (no published value; the page waits for some).
const DefaultTimeout = 5 * time.Second

// Options are the parts of a Client that are not configuration.
type Options struct {
	HTTPClient *http.Client
	Timeout    time.Duration // per call, default DefaultTimeout
	RetryDelay time.Duration // before the one retry of errcode -1, default 500ms
	Logger     *slog.Logger
	Now        func() time.Time
}

// Client talks to one official account. Safe for concurrent use; the token
// and ticket caches live in it, so keep one Client per AppID.
type Client struct {
	cfg        Config
	call       *wire.Caller
	log        *slog.Logger
	now        func() time.Time
	retryDelay time.Duration

	token  cached
	ticket cached
	force  forceBudget
}

// New checks cfg and returns a client.
func New(cfg Config, o Options) (*Client, error) {
	if !cfg.Configured() {
		return nil, errors.New("wechat: no official account configured (set ordering.wechat.app_id and app_secret)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	wire.Defaults(&o.HTTPClient, &o.Timeout, DefaultTimeout, &o.Logger, &o.Now)
	if o.RetryDelay <= 0 {
		o.RetryDelay = 500 * time.Millisecond
	}
	return &Client{
		cfg: cfg, log: o.Logger, now: o.Now, retryDelay: o.RetryDelay,
		call: &wire.Caller{Provider: "wechat", HTTP: o.HTTPClient, Timeout: o.Timeout, Secrets: []string{cfg.AppSecret}, Log: o.Logger},
	}, nil
}

// AppID is the configured account's AppID (wx.config's appId).
func (c *Client) AppID() string { return c.cfg.AppID }

// envelope is the error part every reply may carry.
type envelope struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

type request struct {
	op     string
	method string
	path   string
	query  url.Values
	body   any // JSON for POST
	// retryTransport repeats the call once after a transport error; off for
	// the code exchange, whose code a lost reply may have consumed.
	retryTransport bool
	// secrets of this call (tokens) scrubbed from errors.
	secrets []string
}

// do sends r and decodes the reply into out, turning errcode ≠ 0 into *Error.
// errcode -1 (busy) is retried once after RetryDelay.
func (c *Client) do(ctx context.Context, r request, out any) error {
	err := c.once(ctx, r, out)
	retry := ErrCode(err) == CodeBusy || (r.retryTransport && provider.IsTransport(err))
	if !retry {
		return err
	}
	select {
	case <-ctx.Done():
		return err
	case <-time.After(c.retryDelay):
	}
	return c.once(ctx, r, out)
}

func (c *Client) once(ctx context.Context, r request, out any) error {
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return fmt.Errorf("wechat %s: encode: %w", r.op, err)
		}
	}
	caller := *c.call
	caller.Secrets = append(append([]string(nil), c.call.Secrets...), r.secrets...)
	reply, err := caller.Do(ctx, r.op, func(ctx context.Context) (*http.Request, error) {
		u := wire.JoinURL(c.cfg.APIBaseURL, r.path)
		if len(r.query) > 0 {
			u += "?" + r.query.Encode()
		}
		req, err := http.NewRequestWithContext(ctx, r.method, u, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	})
	if err != nil {
		return err
	}
	if err := caller.Unusable(r.op, reply); err != nil {
		return err
	}
	if reply.Status != http.StatusOK {
		return provider.NewTransportError("wechat", r.op, reply.Status, nil, wire.Snippet(caller.Scrub(string(reply.Body))))
	}
	var env envelope
	if err := json.Unmarshal(reply.Body, &env); err != nil {
		return fmt.Errorf("wechat %s: the reply is not JSON: %s", r.op, wire.Snippet(caller.Scrub(string(reply.Body))))
	}
	if env.ErrCode != 0 {
		c.log.Warn("wechat call refused", "op", r.op, "errcode", env.ErrCode, "errmsg", caller.Scrub(env.ErrMsg))
		return &Error{Op: r.op, Code: env.ErrCode, Msg: caller.Scrub(env.ErrMsg)}
	}
	if err := json.Unmarshal(reply.Body, out); err != nil {
		return fmt.Errorf("wechat %s: unexpected reply: %s", r.op, caller.Scrub(err.Error()))
	}
	return nil
}

func nonEmpty(op string, fields map[string]string) error {
	var missing []string
	for k, v := range fields {
		if v == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("wechat %s: reply lacks %s", op, strings.Join(missing, ", "))
	}
	return nil
}

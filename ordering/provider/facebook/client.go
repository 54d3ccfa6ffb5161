package facebook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/ordering/provider"
	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// DefaultTimeout bounds one call: the customer waits for it.
const DefaultTimeout = 5 * time.Second

// Options are the parts of a Client that are not configuration.
type Options struct {
	HTTPClient *http.Client
	Timeout    time.Duration // per call, default DefaultTimeout
	Logger     *slog.Logger
	Now        func() time.Time
}

// Client calls the Graph API for one app. Safe for concurrent use.
type Client struct {
	cfg  Config
	call *wire.Caller
	log  *slog.Logger
	now  func() time.Time
}

// New checks cfg and returns a client.
func New(cfg Config, o Options) (*Client, error) {
	if !cfg.Configured() {
		return nil, errors.New("facebook: no app configured (set ordering.facebook.app_id and app_secret)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	wire.Defaults(&o.HTTPClient, &o.Timeout, DefaultTimeout, &o.Logger, &o.Now)
	appToken := cfg.AppID + "|" + cfg.AppSecret
	return &Client{
		cfg: cfg, log: o.Logger, now: o.Now,
		call: &wire.Caller{Provider: "facebook", HTTP: o.HTTPClient, Timeout: o.Timeout, Secrets: []string{appToken, cfg.AppSecret}, Log: o.Logger},
	}, nil
}

// GraphError is a Graph API error reply ({"error": {...}}).
type GraphError struct {
	Status    int
	Message   string
	Type      string
	Code      int
	Subcode   int
	FBTraceID string
}

func (e *GraphError) Error() string {
	s := fmt.Sprintf("facebook: Graph API error %d (%s): %s", e.Code, e.Type, e.Message)
	if e.Code == 190 || e.Code == 101 || e.Code == 104 {
		s += " (check ordering.facebook.app_id and app_secret)"
	}
	return s
}

type graphErrorBody struct {
	Error *struct {
		Message   string `json:"message"`
		Type      string `json:"type"`
		Code      int    `json:"code"`
		Subcode   int    `json:"error_subcode"`
		FBTraceID string `json:"fbtrace_id"`
	} `json:"error"`
}

// get calls path under the configured version; a transport error is retried once.
func (c *Client) get(ctx context.Context, op, path string, q url.Values, out any, secrets ...string) error {
	err := c.getOnce(ctx, op, path, q, out, secrets)
	if provider.IsTransport(err) && ctx.Err() == nil {
		err = c.getOnce(ctx, op, path, q, out, secrets)
	}
	return err
}

func (c *Client) getOnce(ctx context.Context, op, path string, q url.Values, out any, secrets []string) error {
	caller := *c.call
	caller.Secrets = append(append([]string(nil), c.call.Secrets...), secrets...)
	reply, err := caller.Do(ctx, op, func(ctx context.Context) (*http.Request, error) {
		u := wire.JoinURL(c.cfg.GraphBaseURL, c.cfg.GraphVersion+"/"+path) + "?" + q.Encode()
		return http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	})
	if err != nil {
		return err
	}
	if err := caller.Unusable(op, reply); err != nil {
		return err
	}
	if reply.Status != http.StatusOK {
		var eb graphErrorBody
		if json.Unmarshal(reply.Body, &eb) == nil && eb.Error != nil {
			ge := &GraphError{Status: reply.Status, Message: caller.Scrub(eb.Error.Message), Type: eb.Error.Type,
				Code: eb.Error.Code, Subcode: eb.Error.Subcode, FBTraceID: eb.Error.FBTraceID}
			c.log.Warn("facebook call refused", "op", op, "status", reply.Status, "code", ge.Code, "fbtrace_id", ge.FBTraceID)
			return ge
		}
		return provider.NewTransportError("facebook", op, reply.Status, nil, wire.Snippet(caller.Scrub(string(reply.Body))))
	}
	if err := json.Unmarshal(reply.Body, out); err != nil {
		return fmt.Errorf("facebook %s: unexpected reply: %s", op, wire.Snippet(caller.Scrub(string(reply.Body))))
	}
	return nil
}

// Profile is the customer's public name.
type Profile struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Profile reads /me with the customer's token and appsecret_proof (required
// when the app turns on "Require App Secret").
func (c *Client) Profile(ctx context.Context, userToken string) (Profile, error) {
	var p Profile
	err := c.get(ctx, "me", "me", url.Values{
		"fields": {"id,name"}, "access_token": {userToken}, "appsecret_proof": {AppSecretProof(c.cfg.AppSecret, userToken)},
	}, &p, userToken)
	return p, err
}

// AppSecretProof is lower-case hex HMAC-SHA256(key = app secret, message = token).
func AppSecretProof(appSecret, token string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// flexID decodes an id sent as a JSON string or number (ids exceed 2^53:
// keep the digits, never a float).
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	if _, err := strconv.ParseUint(n.String(), 10, 64); err != nil {
		return fmt.Errorf("id %s is not an integer", n)
	}
	*f = flexID(n.String())
	return nil
}

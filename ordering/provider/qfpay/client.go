package qfpay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/provider"
	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// Timeouts (none published; decisions of the providers digest).
const (
	DefaultPayTimeout   = 15 * time.Second // payment and refund
	DefaultQueryTimeout = 10 * time.Second // query, reversal, tools
)

// Shanghai is the zone of txdtm and the query window for Mainland merchants.
var Shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

const timeLayout = "2006-01-02 15:04:05"

// Options are the parts of a Client that are not configuration.
type Options struct {
	HTTPClient   *http.Client
	PayTimeout   time.Duration
	QueryTimeout time.Duration
	Location     *time.Location // of txdtm (default Asia/Shanghai)
	Logger       *slog.Logger
	Now          func() time.Time
}

// Client calls QFPay for one account. Safe for concurrent use.
type Client struct {
	cfg          Config
	call         *wire.Caller
	payTimeout   time.Duration
	queryTimeout time.Duration
	loc          *time.Location
	log          *slog.Logger
	now          func() time.Time
}

// New checks cfg and returns a client.
func New(cfg Config, o Options) (*Client, error) {
	if !cfg.Configured() {
		return nil, errors.New("qfpay: no account configured (set payment.qf.app_code and client_key)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	cfg.MchID = strings.TrimSpace(cfg.MchID)
	if o.PayTimeout <= 0 {
		o.PayTimeout = DefaultPayTimeout
	}
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = DefaultQueryTimeout
	}
	backstop := max(o.PayTimeout, o.QueryTimeout)
	wire.Defaults(&o.HTTPClient, &backstop, backstop, &o.Logger, &o.Now)
	if o.Location == nil {
		o.Location = Shanghai
	}
	return &Client{
		cfg: cfg, payTimeout: o.PayTimeout, queryTimeout: o.QueryTimeout, loc: o.Location, log: o.Logger, now: o.Now,
		call: &wire.Caller{Provider: "qfpay", HTTP: o.HTTPClient, Secrets: []string{cfg.ClientKey}, Log: o.Logger},
	}, nil
}

// Error is a reply whose respcd is not 0000.
type Error struct {
	Op      string
	Respcd  string
	Resperr string
	Respmsg string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("qfpay %s: respcd %s", e.Op, e.Respcd)
	if d := Describe(e.Respcd); d != "" {
		s += " (" + d + ")"
	}
	if e.Resperr != "" {
		s += ": " + e.Resperr
	}
	return s
}

// Class is the error's respcd class.
func (e *Error) Class() Class { return Classify(e.Respcd) }

// Respcd is err's respcd, "" when err is not a QFPay reply.
func Respcd(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Respcd
	}
	return ""
}

// str decodes a JSON string or number as its text (the documents print
// respcd and amounts both ways).
type str string

func (s *str) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*s = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = str(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*s = str(n.String())
	return nil
}

// fen parses an amount in fen ("" → 0).
func (s str) fen() (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("qfpay: amount %q is not integer fen", string(s))
	}
	return n, nil
}

type common struct {
	Respcd  str    `json:"respcd"`
	Respmsg string `json:"respmsg"`
	Resperr string `json:"resperr"`
}

// sendForm signs params, posts (or GETs) them and decodes the JSON reply
// into out; respcd ≠ 0000 becomes *Error (out is still filled).
func (c *Client) sendForm(ctx context.Context, op, method, path string, params url.Values, timeout time.Duration, out any) error {
	if c.cfg.MchID != "" {
		params.Set("mchid", c.cfg.MchID)
	}
	sign := Sign(params, c.cfg.ClientKey)
	body := params.Encode() // the same values that were signed, now URL-encoded
	caller := *c.call
	caller.Timeout = timeout
	reply, err := caller.Do(ctx, op, func(ctx context.Context) (*http.Request, error) {
		u := wire.JoinURL(c.cfg.APIBaseURL, path)
		var req *http.Request
		var err error
		if method == http.MethodGet {
			req, err = http.NewRequestWithContext(ctx, method, u+"?"+body, nil)
		} else {
			req, err = http.NewRequestWithContext(ctx, method, u, strings.NewReader(body))
			if req != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			}
		}
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-QF-APPCODE", c.cfg.AppCode)
		req.Header.Set("X-QF-SIGN", sign)
		return req, nil
	})
	if err != nil {
		return err
	}
	if err := caller.Unusable(op, reply); err != nil {
		return err
	}
	var cm common
	if err := json.Unmarshal(reply.Body, &cm); err != nil || cm.Respcd == "" {
		return provider.NewTransportError("qfpay", op, reply.Status, nil, "reply without respcd: "+wire.Snippet(caller.Scrub(string(reply.Body))))
	}
	if err := json.Unmarshal(reply.Body, out); err != nil {
		return fmt.Errorf("qfpay %s: unexpected reply: %s", op, caller.Scrub(err.Error()))
	}
	if cm.Respcd != "0000" {
		e := &Error{Op: op, Respcd: string(cm.Respcd), Resperr: caller.Scrub(cm.Resperr), Respmsg: caller.Scrub(cm.Respmsg)}
		c.log.Warn("qfpay call refused", "op", op, "respcd", e.Respcd, "class", e.Class().String(), "resperr", e.Resperr)
		return e
	}
	c.log.Debug("qfpay call", "op", op, "respcd", "0000")
	return nil
}

func (c *Client) stamp(t time.Time) string { return t.In(c.loc).Format(timeLayout) }

func (c *Client) parseTime(s string) time.Time {
	t, err := time.ParseInLocation(timeLayout, s, c.loc)
	if err != nil {
		return time.Time{}
	}
	return t
}

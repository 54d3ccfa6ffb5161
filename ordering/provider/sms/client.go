package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// Timeout is the contract: a gateway that has not answered 2xx by then failed.
const Timeout = 5 * time.Second

// Sender sends a code; the webhook client and the sandbox both are one.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Options are the parts of a Client that are not configuration.
type Options struct {
	HTTPClient *http.Client  // default: no redirects, TLS verified
	Timeout    time.Duration // default and maximum: Timeout
	Logger     *slog.Logger
}

// Client posts codes to the store's gateway. Safe for concurrent use.
type Client struct {
	url   string
	token string
	call  *wire.Caller
	log   *slog.Logger
}

// GatewayError is a gateway that answered, but not 2xx.
type GatewayError struct {
	Status int
	Body   string // start of the reply, token scrubbed
}

func (e *GatewayError) Error() string {
	return fmt.Sprintf("sms gateway answered HTTP %d %s (check the token and the gateway's log)", e.Status, e.Body)
}

// New checks cfg and returns a client.
func New(cfg Config, o Options) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !cfg.Configured() {
		return nil, fmt.Errorf("sms: no gateway configured (set ordering.sms.webhook_url and token)")
	}
	timeout := o.Timeout
	if timeout <= 0 || timeout > Timeout {
		timeout = Timeout
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = wire.NewHTTPClient(timeout)
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{
		url: cfg.WebhookURL, token: cfg.Token, log: log,
		// The webhook URL's query may hold a gateway key: scrub it too.
		call: &wire.Caller{Provider: "sms", HTTP: hc, Timeout: timeout, Secrets: []string{cfg.Token, cfg.WebhookURL}, Log: log},
	}, nil
}

// Send posts m and returns nil only on a 2xx answer within the timeout.
func (c *Client) Send(ctx context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("sms: encode: %w", err)
	}
	start := time.Now()
	reply, err := c.call.Do(ctx, "send code", func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.token)
		return req, nil
	})
	attrs := []any{"phone", order.MaskPhone(m.Phone), "context", m.Context, "restaurant_id", m.RestaurantID, "after", time.Since(start).Round(time.Millisecond)}
	if err != nil {
		c.log.Warn("sms code not sent", append(attrs, "err", err.Error())...)
		return err
	}
	if reply.Status < 200 || reply.Status > 299 {
		gerr := &GatewayError{Status: reply.Status, Body: wire.Snippet(c.call.Scrub(string(reply.Body)))}
		c.log.Warn("sms code not sent", append(attrs, "status", reply.Status)...)
		return gerr
	}
	c.log.Info("sms code sent", append(attrs, "status", reply.Status)...)
	return nil
}

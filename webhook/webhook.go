// Package webhook sends signed outbound events — order transitions and
// printer faults — to the receivers in `webhooks:`. Each receiver is a
// destination of bridge's outbox (Reporters): an order's transition is
// queued for it in the transaction that made it and retried from there.
// Printer faults, which are no order's, are written to delivery rows of
// their own and sent from those. Either way the event id is the receiver's
// dedup key, the same on every retry, and the order flow never waits.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

// Header names of a delivery.
const (
	HeaderSignature = "X-Posbridge-Signature" // sha256=<hex HMAC-SHA256 of the body under the secret>
	HeaderEvent     = "X-Posbridge-Event"
	HeaderEventID   = "X-Posbridge-Event-Id" // the dedup key: the same on every retry
	HeaderAttempt   = "X-Posbridge-Attempt"
)

// Sign is the X-Posbridge-Signature value of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature header in constant time (for receivers and tests).
func Verify(secret string, body []byte, header string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(header))
}

// Options tune delivery; zero values are the product's defaults.
type Options struct {
	RetryMin, RetryMax time.Duration // backoff between attempts (default 5 s … 10 min)
	GiveUpAfter        time.Duration // a delivery still failing after this is marked failed (default 24 h)
	Timeout            time.Duration // one attempt (default 10 s)
	Poll               time.Duration // how often a receiver's due deliveries are looked for at the least (default 5 s)
	Now                func() time.Time
}

func (o Options) withDefaults() Options {
	if o.RetryMin <= 0 {
		o.RetryMin = 5 * time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 10 * time.Minute
	}
	if o.GiveUpAfter <= 0 {
		o.GiveUpAfter = 24 * time.Hour
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Poll <= 0 {
		o.Poll = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Hooks is the webhook service of a daemon: it records events and delivers them.
type Hooks struct {
	db      *store.DB
	hooks   []config.WebhookConfig
	log     *slog.Logger
	opt     Options
	printer chan printerNote // printer events waiting to be recorded
	wake    chan struct{}    // new deliveries were recorded
}

// New makes the service for the receivers that are on.
func New(db *store.DB, hooks []config.WebhookConfig, log *slog.Logger, opt Options) *Hooks {
	h := &Hooks{db: db, log: log, opt: opt.withDefaults(), printer: make(chan printerNote, 256), wake: make(chan struct{}, 1)}
	for _, w := range hooks {
		if w.On() {
			h.hooks = append(h.hooks, w)
		}
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	return h
}

// Enabled reports whether any receiver is configured.
func (h *Hooks) Enabled() bool { return h != nil && len(h.hooks) > 0 }

func (h *Hooks) poke() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

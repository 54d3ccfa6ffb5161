package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

// client is the HTTP client of deliveries.
func (h *Hooks) client() *http.Client {
	return &http.Client{Timeout: h.opt.Timeout,
		// A receiver that redirects could send the signed body elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Run records printer events and delivers them until ctx ends (order
// events go through bridge's outbox: Reporters).
func (h *Hooks) Run(ctx context.Context) error {
	var urls []string
	for _, w := range h.hooks {
		urls = append(urls, w.URL)
	}
	if n, err := h.db.AbandonWebhooksExcept(ctx, urls); err != nil && ctx.Err() == nil {
		h.log.Error("webhook: give up deliveries of removed receivers", "err", err)
	} else if n > 0 {
		h.log.Warn("webhook: deliveries to receivers no longer in the config were given up", "deliveries", n)
	}
	if !h.Enabled() {
		return nil
	}
	client := h.client()
	var wg sync.WaitGroup
	wakes := make([]chan struct{}, len(h.hooks))
	for i, w := range h.hooks {
		wakes[i] = make(chan struct{}, 1)
		wg.Add(1)
		go func() { defer wg.Done(); h.deliverLoop(ctx, client, w, wakes[i]) }()
	}
	defer wg.Wait()
	faulty := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-h.wake:
			wakeAll(wakes)
		case note := <-h.printer:
			if env, ok := printerEvent(note.e, faulty); ok {
				if err := h.recordPrinter(ctx, env); err != nil && ctx.Err() == nil {
					h.log.Error("webhook: record printer event", "err", err, "printer", note.e.Printer)
				}
				wakeAll(wakes)
			}
		}
	}
}

func wakeAll(wakes []chan struct{}) {
	for _, c := range wakes {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// deliverLoop sends one receiver's deliveries in order, one at a time: a
// slow receiver delays only itself.
func (h *Hooks) deliverLoop(ctx context.Context, client *http.Client, w config.WebhookConfig, wake chan struct{}) {
	for ctx.Err() == nil {
		due, err := h.db.DueWebhookDeliveries(ctx, w.URL, h.opt.Now(), 50)
		if err != nil && ctx.Err() == nil {
			h.log.Error("webhook: read deliveries", "err", err, "url", config.MaskURL(w.URL))
		}
		for _, d := range due {
			if ctx.Err() != nil {
				return
			}
			h.attempt(ctx, client, w, d)
		}
		wait := h.opt.Poll
		if next, ok, err := h.db.NextWebhookAt(ctx, w.URL); err == nil && ok {
			wait = min(wait, max(next.Sub(h.opt.Now()), 10*time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// attempt makes one delivery attempt and records its outcome.
func (h *Hooks) attempt(ctx context.Context, client *http.Client, w config.WebhookConfig, d store.WebhookDelivery) {
	err := h.post(ctx, client, w, d)
	if ctx.Err() != nil {
		return // stopping: the attempt is not counted, the row stays due
	}
	state, next, msg := store.WebhookDone, time.Time{}, ""
	if err != nil {
		msg = err.Error()
		state, next = store.WebhookPending, h.opt.Now().Add(h.backoff(d.Attempts))
		if h.opt.Now().Sub(d.CreatedAt) > h.opt.GiveUpAfter {
			state = store.WebhookFailed
		}
		h.log.Warn("webhook delivery failed", "url", config.MaskURL(w.URL), "event", d.Event, "event_id", d.EventID,
			"attempt", d.Attempts+1, "err", msg, "gave_up", state == store.WebhookFailed)
	}
	if err := h.db.RecordWebhookAttempt(context.WithoutCancel(ctx), d.ID, state, next, msg); err != nil {
		h.log.Error("webhook: record attempt", "err", err)
	}
}

// backoff doubles from RetryMin to RetryMax, with jitter so that receivers
// coming back are not hit by every store at once.
func (h *Hooks) backoff(attempts int) time.Duration {
	d := h.opt.RetryMin << min(attempts, 20)
	if d <= 0 || d > h.opt.RetryMax {
		d = h.opt.RetryMax
	}
	return d/2 + rand.N(d/2+1)
}

// maxReply is how much of a receiver's answer is read (for the error).
const maxReply = 512

func (h *Hooks) post(ctx context.Context, client *http.Client, w config.WebhookConfig, d store.WebhookDelivery) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(d.Body))
	if err != nil {
		return fmt.Errorf("webhook url: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "posbridge-webhook/1")
	req.Header.Set(HeaderSignature, Sign(w.Secret, d.Body))
	req.Header.Set(HeaderEvent, d.Event)
	req.Header.Set(HeaderEventID, d.EventID)
	req.Header.Set(HeaderAttempt, strconv.Itoa(d.Attempts+1))
	resp, err := client.Do(req)
	if err != nil {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() {
			return fmt.Errorf("no answer within %v", h.opt.Timeout)
		}
		return errors.New("cannot reach the receiver: " + redact(err.Error(), w.URL))
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("receiver answered %d: %s", resp.StatusCode, bytes.ToValidUTF8(bytes.TrimSpace(reply), []byte("?")))
	}
	return nil
}

// redact replaces the full url (which may carry a token) in an error.
func redact(msg, url string) string {
	return string(bytes.ReplaceAll([]byte(msg), []byte(url), []byte(config.MaskURL(url))))
}

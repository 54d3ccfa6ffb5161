package webhook

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// receiver is one webhook receiver as a destination of bridge's outbox: an
// order's transition is queued for it in the transaction that made it and
// sent, retried and shown in the console's platform calls like any other
// call, without ever holding up the order (lanes are per destination).
type receiver struct {
	h      *Hooks
	hook   config.WebhookConfig
	name   string
	client *http.Client
}

// Reporters are the receivers that are on, for bridge.Deps.Reporters.
func (h *Hooks) Reporters() []bridge.Reporter {
	var out []bridge.Reporter
	for _, w := range h.hooks {
		out = append(out, &receiver{h: h, hook: w, name: destinationName(w.URL), client: h.client()})
	}
	return out
}

// destinationName names a receiver in outbox rows and to staff: its host
// and path, never a query (it may carry a token).
func destinationName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "webhook"
	}
	return "webhook " + u.Host + strings.TrimSuffix(u.EscapedPath(), "/")
}

func (r *receiver) Name() string { return r.name }

// Follows: a receiver hears every source's orders (its events filter them).
func (r *receiver) Follows(order.Source) bool { return true }

// Report posts the transition, signed. The event id comes from the outbox
// row's name, the same on every retry: the receiver's dedup key.
func (r *receiver) Report(ctx context.Context, txID string, t bridge.Transition) error {
	event := "order." + string(t.To)
	if !r.hook.Wants(event) {
		return nil
	}
	d := OrderData{Code: t.Code, StoreID: t.StoreID, Source: string(t.Source.Or(order.SourceKaigedian)), Status: string(t.To),
		FromStatus: string(t.From), At: apiTime(t.At), Actor: t.Actor, Reason: t.Note}
	if rec, err := r.h.db.GetOrder(ctx, t.Code); err == nil {
		d.PickupNo, d.Type, d.Channel = rec.PickupNo, int(rec.Type), int(rec.Channel)
		if rec.Detail != nil {
			pay := int64(rec.Detail.ActualPay)
			d.ActualPay = &pay
		}
	}
	body, err := json.Marshal(Envelope{ID: "evt_" + txID, Event: event, CreatedAt: apiTime(t.At), Data: d})
	if err != nil {
		return err
	}
	return r.h.post(ctx, r.client, r.hook, store.WebhookDelivery{EventID: "evt_" + txID, Event: event, Body: body})
}

// Classify: every failure of a receiver is worth another try (a receiver
// refusing today is fixed tomorrow); staff read who fails.
func (r *receiver) Classify(err error) bridge.Verdict {
	return bridge.Verdict{Retry: true, Message: "对外推送的接收方暂时无法接收，正在重试：" + r.name}
}

package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// Envelope is the JSON body of every delivery.
type Envelope struct {
	ID        string    `json:"id"` // the dedup key, also in X-Posbridge-Event-Id
	Event     string    `json:"event"`
	CreatedAt time.Time `json:"created_at"`
	Data      any       `json:"data"`
}

// OrderData is what an order event says. It carries no phone number or address.
type OrderData struct {
	Code       string    `json:"code"`
	StoreID    string    `json:"store_id"`
	Source     string    `json:"source"` // kaigedian | ordering
	Status     string    `json:"status"`
	FromStatus string    `json:"from_status,omitempty"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor,omitempty"` // auto | staff:<name> | platform | scanner | system
	Reason     string    `json:"reason,omitempty"`
	PickupNo   string    `json:"pickup_no,omitempty"`
	Type       int       `json:"type,omitempty"`
	Channel    int       `json:"channel,omitempty"`
	ActualPay  *int64    `json:"actual_pay,omitempty"` // fen; absent until the detail is known
}

// PrinterData is what a printer event says.
type PrinterData struct {
	Printer   string    `json:"printer"`
	Kind      string    `json:"kind"` // printer_status | job_failed | job_moved
	State     string    `json:"state,omitempty"`
	Label     string    `json:"label,omitempty"` // the state in Chinese, as staff see it
	JobID     int64     `json:"job_id,omitempty"`
	OrderCode string    `json:"order_code,omitempty"`
	To        string    `json:"to,omitempty"` // job_moved: the backup printer
	Error     string    `json:"error,omitempty"`
	At        time.Time `json:"at"`
}

// eventID names an event from what makes it unique, so that recording it
// twice (a restart in between) yields the same id and one delivery.
func eventID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "evt_" + hex.EncodeToString(h.Sum(nil))[:32]
}

// zone is the platform's, as every API time (RFC 3339, +08:00).
var zone = time.FixedZone("Asia/Shanghai", 8*3600)

func apiTime(t time.Time) time.Time { return t.In(zone).Truncate(time.Millisecond) }

// printerNote is a printer event waiting to be recorded.
type printerNote struct{ e printer.Event }

// PrinterEvent hands a printer event over; it never blocks the printer
// worker (a flood beyond the buffer is dropped and logged).
func (h *Hooks) PrinterEvent(e printer.Event) {
	if !h.Enabled() {
		return
	}
	switch e.Kind {
	case printer.EventStatus, printer.EventJobFailed, printer.EventJobMoved:
	default:
		return
	}
	select {
	case h.printer <- printerNote{e}:
	default:
		h.log.Warn("webhook: printer events arrive faster than they are recorded; one was dropped", "printer", e.Printer, "kind", e.Kind)
	}
}

// printerEvent turns a printer event into an envelope. A status change is a
// fault when the printer cannot print, a recovery when it can again after a
// fault (faulty remembers which printers are down).
func printerEvent(e printer.Event, faulty map[string]bool) (Envelope, bool) {
	name := "printer.fault"
	switch e.Kind {
	case printer.EventStatus:
		if e.State.CanPrint() {
			if !faulty[e.Printer] {
				return Envelope{}, false
			}
			delete(faulty, e.Printer)
			name = "printer.recovered"
		} else {
			faulty[e.Printer] = true
		}
	case printer.EventJobFailed, printer.EventJobMoved:
	default:
		return Envelope{}, false
	}
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	d := PrinterData{Printer: e.Printer, Kind: string(e.Kind), State: string(e.State), Label: e.State.Label(), JobID: e.JobID,
		OrderCode: e.OrderCode, To: e.To, Error: e.Err, At: apiTime(at)}
	id := eventID("printer", e.Printer, string(e.Kind), string(e.State), strconv.FormatInt(e.JobID, 10), strconv.FormatInt(at.UnixNano(), 10))
	return Envelope{ID: id, Event: name, CreatedAt: apiTime(at), Data: d}, true
}

// record queues env for every receiver that wants it.
func (h *Hooks) record(tx *store.Tx, env Envelope) error {
	body, err := json.Marshal(env)
	if err != nil {
		return err
	}
	for _, w := range h.hooks {
		if !w.Wants(env.Event) {
			continue
		}
		if _, err := tx.AddWebhookDelivery(store.WebhookDelivery{EventID: env.ID, Hook: w.URL, Event: env.Event, Body: body}); err != nil {
			return err
		}
	}
	return nil
}

func (h *Hooks) recordPrinter(ctx context.Context, env Envelope) error {
	return h.db.Write(ctx, func(tx *store.Tx) error { return h.record(tx, env) })
}

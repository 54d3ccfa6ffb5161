package bridge

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// Reporter follows orders' lifecycles somewhere else (the WeChat Pay
// catering sync will be one). Every transition of an order it follows is
// an outbox row of its own lane (destination and order), written with the
// transition and sent in order, so a report never waits behind a failing
// platform call, survives a restart and is never lost.
type Reporter interface {
	// Name is the destination of its outbox rows; unique, never a source's.
	Name() string
	// Follows reports whether the reporter wants the orders of source.
	Follows(source order.Source) bool
	// Report sends one transition under the transaction id txID
	// (idempotent: the same id may come twice after a crash).
	Report(ctx context.Context, txID string, t Transition) error
	// Classify says whether err is worth retrying and what staff read.
	Classify(err error) Verdict
}

// Transition is one move of an order's lifecycle, as reporters get it. Its
// JSON is storage, not a view: it is a reporter row's outbox payload.
type Transition struct {
	Source  order.Source  `json:"source"`
	Code    string        `json:"code"`
	StoreID string        `json:"store_id,omitempty"`
	From    order.Status  `json:"from,omitempty"`
	To      order.Status  `json:"to"`
	Payment order.Payment `json:"payment"`
	At      time.Time     `json:"at"`
	Actor   string        `json:"actor,omitempty"`
	Note    string        `json:"note,omitempty"`
}

// reportKind is the outbox kind of a reporter's row.
const reportKind = "report"

// reporters is the registry of reporters by name.
type reporters map[string]Reporter

func newReporters(list []Reporter) reporters {
	reg := reporters{}
	for _, r := range list {
		if r != nil {
			reg[r.Name()] = r
		}
	}
	return reg
}

// reportTx queues the transition of rec for every reporter following its
// source, in the transaction that made it.
func (b *Bridge) reportTx(tx *store.Tx, a *after, rec *store.OrderRecord, out outcome, actor string) error {
	if len(b.reporters) == 0 || out.from == out.to {
		return nil
	}
	source := rec.Source.Or(order.SourceKaigedian)
	t := Transition{Source: source, Code: rec.Code, StoreID: rec.StoreID, From: out.from, To: out.to,
		Payment: order.PaymentOf(out.to), At: tx.Now(), Actor: actor, Note: out.note}
	payload, err := json.Marshal(t)
	if err != nil {
		return err
	}
	for _, name := range b.reporters.names() {
		if !b.reporters[name].Follows(source) {
			continue
		}
		if _, err := tx.EnqueueOutbox(store.OutboxRow{Kind: reportKind, Op: string(out.to), OrderCode: rec.Code,
			Source: source, Destination: name, Payload: payload, Actor: actor}); err != nil {
			return err
		}
		a.outbox = true
	}
	return nil
}

func (reg reporters) names() []string { return slices.Sorted(maps.Keys(reg)) }

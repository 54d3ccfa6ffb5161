package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/posbridge/posbridge/order"
)

// Channel is a source of orders as the rules see it: 开个店 today
// (kaigedian/channel), the store's own scan-to-order next. The rules know
// a source only through this port, so a new source never means an
// `if source == …` here. Every channel's fake passes one contract suite
// (bridge/channeltest).
type Channel interface {
	// Source is the source whose orders, inbox items and calls it handles.
	Source() order.Source
	// StatusCodes: the channel's own status numbers, which changes carry
	// and orders keep (PlatformStatus), in the neutral lifecycle.
	StatusCodes
	// ValidCode reports whether code is one the source produces (what a
	// poll or an item names is checked before it is stored).
	ValidCode(code string) bool
	// Decode reads an inbox item of this source: the change it announces.
	// An item that cannot be read gets an error and is kept, never applied.
	Decode(kind string, body []byte) (order.Change, error)
	// Details fetches whole orders by code. A code the channel does not
	// answer for is left out (it is asked for again later).
	Details(ctx context.Context, codes []string) ([]Detail, error)
	// Prepare turns a neutral action into the call the outbox keeps for
	// it (its kind and payload, in the channel's own terms), before it is
	// sent (invariant 2).
	Prepare(req Request) (kind string, payload []byte, err error)
	// Send carries out a call under the transaction id call.TxID; result
	// is what the outbox row keeps (JSON, may be empty).
	Send(ctx context.Context, call Call) (result string, err error)
	// Standing says where a call that may have gone out already stands at
	// the channel, before it is sent again or given up. thorough: before
	// a retry (every way the channel has of knowing); otherwise after a
	// refusal (the order's status alone).
	Standing(ctx context.Context, call Call, thorough bool) (Standing, error)
	// Confirmed is the channel status to record once call succeeded, given
	// the one recorded (have); ok is false when nothing changes.
	Confirmed(call Call, have int) (next int, ok bool)
	// Statuses reports where the channel has the orders of codes (the
	// reconciliation of open orders): one status change each it knows.
	Statuses(ctx context.Context, codes []string) ([]order.Change, error)
	// Classify says whether err is worth retrying and the sentence staff
	// read about it.
	Classify(err error) Verdict
}

// StatusCodes maps a channel's own order status numbers onto the neutral
// lifecycle and back. The rules compare lifecycle statuses only.
type StatusCodes interface {
	// StatusOf is the lifecycle status of code; ok is false for a number
	// the channel does not define (it is stored raw, never refused).
	StatusOf(code int) (s order.Status, ok bool)
	// CodeOf is the channel's number for s (0: none).
	CodeOf(s order.Status) int
}

// noCodes are the status numbers of a source without a channel: none.
type noCodes struct{}

func (noCodes) StatusOf(int) (order.Status, bool) { return "", false }
func (noCodes) CodeOf(order.Status) int           { return 0 }

// codes are the status numbers of source's channel.
func (b *Bridge) codes(source order.Source) StatusCodes {
	if c, err := b.channels.get(source); err == nil {
		return c
	}
	return noCodes{}
}

// Detail is a whole order as its channel gives it, with the channel's own
// bytes kept for diagnosis.
type Detail struct {
	Order order.Order
	Raw   json.RawMessage
}

// Request is a neutral action for a channel: accept, reject with a reason,
// made, delivering with a courier, complete, a refund decision, a cancel.
type Request struct {
	Action   Action
	Code     string
	Reason   string
	Operator string // who, as the channel is told it (staff name or posbridge)
	Courier  *Courier
	// TableDining marks a 围餐 order (a table's open bill), which the
	// channel names by its third-party code too.
	TableDining bool
	ThirdCode   string
	// Store is the request of a call about a store, not an order
	// (ActSellOut, ActSellBack, ActStoreStatus); Table of a 围餐 order's
	// lines (ActTableItems, ActTableSettle). Their payload is these, as JSON.
	Store *StoreCallBody
	Table *TableCallBody
}

// Call is one outbox row as its channel or reporter sees it.
type Call struct {
	ID        int64
	TxID      string // this attempt's transaction id
	Kind      string // the channel's name for the call
	Op        string // the neutral action (or lifecycle status, for a report)
	Code      string // the order's code ("" for calls about no order)
	StoreID   string // the order's store, when the bridge knows it
	Payload   []byte
	CreatedAt time.Time
}

// Standing is where a call stands at its channel.
type Standing struct {
	// Done: the channel already did what the call asked. Note says why
	// (shown to staff), Result is what the row keeps.
	Done   bool
	Note   string
	Result string
	// Moot: the order moved where the call no longer makes sense (e.g.
	// cancelled); Reason says so, and Change, when set, is what the
	// channel reported, applied to the order.
	Moot   bool
	Reason string
	Change *order.Change
}

// Verdict classifies a channel's or reporter's error.
type Verdict struct {
	Retry   bool   // worth another attempt (a network or server problem, a credential being changed)
	Message string // in Chinese, for staff
	// Refused: the channel answered and said no, with a reason (not a
	// network, HTTP or decoding failure); store calls stop retrying those.
	Refused bool
}

// channels is the registry of channels by source.
type channels map[order.Source]Channel

// ErrNoChannel is returned for a source no channel is registered for: its
// calls wait, visible, until one is; its inbox items are kept, marked
// failed with this error.
var ErrNoChannel = errors.New("bridge: no channel for this source")

func newChannels(list []Channel) channels {
	reg := channels{}
	for _, c := range list {
		if c != nil {
			reg[c.Source()] = c
		}
	}
	return reg
}

// get is the channel of source (empty: 开个店's, as rows written before
// sources existed are).
func (reg channels) get(source order.Source) (Channel, error) {
	c, ok := reg[source.Or(order.SourceKaigedian)]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrNoChannel, source.Or(order.SourceKaigedian))
	}
	return c, nil
}

// sources lists the registered sources in a stable order.
func (reg channels) sources() []order.Source { return slices.Sorted(maps.Keys(reg)) }

// Channel is the channel registered for source, for adapters that work
// through it (the poller's reconciliation).
func (b *Bridge) Channel(source order.Source) (Channel, error) { return b.channels.get(source) }

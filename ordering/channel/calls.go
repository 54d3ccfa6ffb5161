package channel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/store"
)

// KindStatus is the outbox kind of the channel's calls: move an order's
// status (what the phone follows).
const KindStatus = "ordering_status"

type statusPayload struct {
	TradeNo string `json:"trade_no"`
	Status  int    `json:"status"`           // the status the call sets; 0 = none (a refund refusal)
	From    []int  `json:"from,omitempty"`   // the statuses it may set it from
	Note    string `json:"note,omitempty"`   // the sentence the phone shows
	Reason  string `json:"reason,omitempty"` // staff's reason, kept as given
}

// The statuses each action moves an order from.
var (
	fromAwaiting = []int{int(orders.Placed), int(orders.Awaiting)}
	fromAccepted = []int{int(orders.Awaiting), int(orders.Preparing)}
	fromOpen     = []int{int(orders.Placed), int(orders.Awaiting), int(orders.Preparing), int(orders.Ready), int(orders.Delivering), int(orders.Delivered)}
)

// Prepare maps a neutral action onto the status it sets.
func (c *Channel) Prepare(req bridge.Request) (string, []byte, error) {
	p := statusPayload{TradeNo: req.Code, Reason: req.Reason}
	switch req.Action {
	case bridge.ActAccept:
		p.Status, p.From = int(orders.Preparing), fromAwaiting
	case bridge.ActReject:
		p.Status, p.From, p.Note = int(orders.Rejected), fromAwaiting, noteFor("商家没有接单", req.Reason)
	case bridge.ActMade:
		p.Status, p.From = int(orders.Ready), fromAccepted
	case bridge.ActDeliver:
		p.Status, p.From = int(orders.Delivering), []int{int(orders.Preparing), int(orders.Ready)}
	case bridge.ActComplete:
		p.Status, p.From = int(orders.Completed), fromOpen
	case bridge.ActCancel, bridge.ActRefundApprove:
		p.Status, p.From, p.Note = int(orders.StoreCancelled), fromOpen, noteFor("商家已取消订单", req.Reason)
	case bridge.ActRefundReject:
		// Counter-paid orders have no refund at the channel: refusing one
		// leaves the order where it is.
	default:
		return "", nil, fmt.Errorf("the scan-to-order channel has no call for action %q", req.Action)
	}
	b, err := json.Marshal(p)
	return KindStatus, b, err
}

// Send carries out a call: the order's status moves (only forward, only
// from where the action allows) and the phones following it are told.
// The same call twice changes nothing the second time.
func (c *Channel) Send(ctx context.Context, call bridge.Call) (string, error) {
	if call.Kind != KindStatus {
		return "", fmt.Errorf("outbox row %d: unknown kind %q", call.ID, call.Kind)
	}
	var p statusPayload
	if err := json.Unmarshal(call.Payload, &p); err != nil {
		return "", fmt.Errorf("outbox row %d: %w", call.ID, err)
	}
	if c.opt.BeforeSend != nil {
		if err := c.opt.BeforeSend(); err != nil {
			return "", err
		}
	}
	o, err := c.opt.DB.OrderingOrderByTradeNo(ctx, p.TradeNo)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return "", &refusal{"扫码点餐没有订单 " + p.TradeNo}
		}
		return "", err
	}
	if p.Status == 0 || o.Status == p.Status {
		return "", nil
	}
	changed, err := c.opt.DB.SetOrderingStatus(ctx, o.ID, p.Status, p.Note, p.From...)
	if err != nil {
		return "", err
	}
	if !changed {
		now, err := c.opt.DB.OrderingOrder(ctx, o.ID)
		if err != nil {
			return "", err
		}
		if now.Status != p.Status && !reachedBy(orders.Status(now.Status), orders.Status(p.Status)) {
			return "", &refusal{fmt.Sprintf("订单已是「%s」，不能改为「%s」", orders.Status(now.Status).Label(), orders.Status(p.Status).Label())}
		}
		return "", nil
	}
	c.opt.Changed(o.ID)
	return "", nil
}

// reachedBy: the order at have already is where want leads (or past it).
func reachedBy(have, want orders.Status) bool {
	if ended(want) {
		return have == want || (ended(have) && want == orders.StoreCancelled && have == orders.UserCancel)
	}
	return !ended(have) && rank(have) >= rank(want)
}

// Standing reads where the order is: done when it is where the call
// wanted it (or past it), moot when it ended meanwhile.
func (c *Channel) Standing(ctx context.Context, call bridge.Call, thorough bool) (bridge.Standing, error) {
	var p statusPayload
	if err := json.Unmarshal(call.Payload, &p); err != nil {
		return bridge.Standing{}, fmt.Errorf("outbox row %d: %w", call.ID, err)
	}
	o, err := c.opt.DB.OrderingOrderByTradeNo(ctx, p.TradeNo)
	if errors.Is(err, store.ErrNotFound) {
		return bridge.Standing{Moot: true, Reason: "扫码点餐没有这笔订单"}, nil
	}
	if err != nil {
		return bridge.Standing{}, err
	}
	have := orders.Status(o.Status)
	switch {
	case p.Status == 0:
		return bridge.Standing{Done: true, Note: "扫码点餐订单仍是「" + have.Label() + "」"}, nil
	case reachedBy(have, orders.Status(p.Status)):
		return bridge.Standing{Done: true, Note: "扫码点餐订单已是「" + have.Label() + "」"}, nil
	case ended(have):
		ch := c.statusChange(o)
		return bridge.Standing{Moot: true, Reason: "扫码点餐订单已是「" + have.Label() + "」，不再需要" + bridge.ActionLabel(call.Op), Change: &ch}, nil
	}
	return bridge.Standing{}, nil
}

// Confirmed is the status a done call leaves, never one back.
func (c *Channel) Confirmed(call bridge.Call, have int) (int, bool) {
	var p statusPayload
	if err := json.Unmarshal(call.Payload, &p); err != nil || p.Status == 0 || p.Status == have {
		return 0, false
	}
	if have != 0 && reachedBy(orders.Status(have), orders.Status(p.Status)) {
		return 0, false
	}
	if ended(orders.Status(have)) {
		return 0, false
	}
	return p.Status, true
}

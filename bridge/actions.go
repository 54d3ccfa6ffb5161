package bridge

import (
	"context"
	"errors"
	"strings"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// Courier is who takes a delivery order away (statusOperation 4 needs it).
type Courier struct {
	Name   string `json:"contacts_name"`
	Mobile string `json:"mobile"`
	// What staff delivering themselves may add (deliveryInfo's optional
	// fields): the courier company's code and name, the waybill number, a remark.
	ChannelCode string `json:"express_channel_code,omitempty"`
	ChannelName string `json:"express_channel_name,omitempty"`
	ExpressNo   string `json:"express_no,omitempty"`
	Remark      string `json:"remark,omitempty"`
}

// ActionRequest is a staff decision.
type ActionRequest struct {
	Action  Action
	Code    string
	Actor   string // auto | staff:<name> | scanner
	Reason  string // reject and refund refusal (optional), cancel (required)
	Courier *Courier
}

// ActionResult is what an action did.
type ActionResult struct {
	Code   string       `json:"code"`
	Action string       `json:"action"`
	Status order.Status `json:"status"`
}

// Do carries out a staff decision: checks it against the order's state,
// records it, queues the platform call and the prints, in one transaction.
// It answers without waiting for the platform.
func (b *Bridge) Do(ctx context.Context, req ActionRequest) (ActionResult, error) {
	req.Reason = strings.TrimSpace(req.Reason)
	switch req.Action {
	case ActCancel:
		// /order/cancel requires a reason (seed 001); reject (7) and refund
		// refusal (action 2) take one only optionally.
		if req.Reason == "" {
			return ActionResult{}, ErrReasonRequired
		}
	case ActDeliver:
		if req.Courier == nil || strings.TrimSpace(req.Courier.Name) == "" || strings.TrimSpace(req.Courier.Mobile) == "" {
			return ActionResult{}, &Error{Code: EInvalid, Message: "请填写骑手姓名和手机号"}
		}
		if err := checkCourier(req.Courier); err != nil {
			return ActionResult{}, err
		}
	}
	if req.Actor == "" {
		req.Actor = "staff"
	}
	var res ActionResult
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		rec, err := tx.GetOrder(req.Code)
		if errors.Is(err, store.ErrNotFound) {
			return ErrUnknownOrder
		}
		if err != nil {
			return err
		}
		b.nameCourierChannel(rec.Source, req.Courier)
		if err := b.doTx(tx, a, rec, req); err != nil {
			return err
		}
		res = ActionResult{Code: rec.Code, Action: string(req.Action), Status: rec.Status}
		return nil
	})
	return res, err
}

// doTx applies an action to rec inside a transaction.
func (b *Bridge) doTx(tx *store.Tx, a *after, rec *store.OrderRecord, req ActionRequest) error {
	to, err := checkAction(rec.State(), req.Action)
	if err != nil {
		return err
	}
	now := tx.Now()
	out := outcome{from: rec.Status, to: to}
	ch, err := b.channels.get(rec.Source)
	if err != nil {
		return err
	}
	switch req.Action {
	case ActAccept:
		rec.AcceptedAt = now
		out.note = "接单"
		if req.Actor == "auto" {
			out.note = "自动接单"
			if req.Reason != "" {
				out.note = req.Reason // why it was automatic: a timeout, printers back
			}
		}
		// Printing starts now, without waiting for the platform's answer. On
		// print.on=arrival the tickets exist already and their keys dedupe.
		out.add(effClearDecision, effPrintOrder)
	case ActReject:
		out.note = withReason("拒单", req.Reason)
		out.add(effClearDecision, effDropQueued, effCancelSlip)
	case ActMade:
		rec.MadeAt = now
		out.note = "制作完成"
	case ActComplete:
		rec.CompletedAt = now
		out.note = "订单完成"
	case ActDeliver:
		out.note = "开始配送：" + courierText(req.Courier)
		out.courier = req.Courier
		out.add(effStaffCourier)
	case ActRefundApprove:
		// The refund slip prints, and queued tickets are dropped, when the
		// platform confirms the refund: it may refuse, or the customer
		// withdraw, and the order then carries on.
		out.note = "同意退款（退款处理中，等待平台确认）"
		out.add(effClearDecision)
	case ActRefundReject:
		out.note = withReason("拒绝退款", req.Reason)
		out.add(effClearDecision, effResumeKitchen)
	case ActCancel:
		rec.CancelRequested = true
		out.note = "发起售后退款：" + req.Reason + "（等待平台处理）"
	}
	rec.Status = to
	if !to.RefundPending() {
		rec.StatusBeforeRefund = ""
	}
	if to.Terminal() {
		rec.ClosedAt = now
	}
	out.changed = out.from != out.to
	creq := Request{Action: req.Action, Code: rec.Code, Reason: req.Reason, Operator: operatorName(req.Actor), Courier: req.Courier}
	if rec.Channel == tableDiningChannel && rec.Detail != nil {
		creq.TableDining, creq.ThirdCode = true, rec.Detail.ThirdCode
	}
	kind, payload, err := ch.Prepare(creq)
	if err != nil {
		return err
	}
	if _, err := tx.EnqueueOutbox(store.OutboxRow{Kind: kind, Op: string(req.Action), OrderCode: rec.Code,
		Source: rec.Source, Payload: payload, Actor: req.Actor}); err != nil {
		return err
	}
	a.outbox = true
	if err := b.runEffects(tx, a, rec, out, req.Actor); err != nil {
		return err
	}
	if err := tx.AppendAudit(store.Audit{Actor: req.Actor, Action: string(req.Action), OrderCode: rec.Code, Detail: req.Reason}); err != nil {
		return err
	}
	return b.record(tx, a, rec, out, req.Actor, "staff")
}

// decideAccept runs the accept policy on a new order whose detail is known.
func (b *Bridge) decideAccept(tx *store.Tx, a *after, rec *store.OrderRecord) error {
	if rec.Status != order.StatusNew || rec.Detail == nil || rec.Decision != store.DecisionNone {
		return nil
	}
	if b.foreignStore(rec.Detail) {
		return b.holdForeign(tx, a, rec)
	}
	now := tx.Now()
	v := b.policy.decide(rec.Detail, now, b.healthTargets(rec.Detail), b.printerHealth)
	if v.accept {
		return b.doTx(tx, a, rec, ActionRequest{Action: ActAccept, Code: rec.Code, Actor: "auto"})
	}
	rec.Decision, rec.DecisionSince, rec.DecisionDeadline, rec.DecisionNote, rec.AlertLevel =
		store.DecisionAccept, now, v.deadline, v.reason, 0
	if err := tx.AppendHistory(store.History{Code: rec.Code, From: rec.Status, To: rec.Status, Actor: "auto",
		Source: "policy", Reason: "等待店员接单：" + v.reason}); err != nil {
		return err
	}
	a.event(Event{Type: EvDecision, Kind: store.DecisionAccept, Code: rec.Code, Status: string(rec.Status),
		Level: LevelWarn, Message: "新订单 " + pickupLabel(rec) + " 等待接单：" + v.reason})
	return nil
}

func (b *Bridge) printerHealth(name string) (bool, string) {
	if b.printers == nil {
		return true, ""
	}
	return b.printers.Health(name)
}

// operatorName is the operator sent to the platform: the staff name, or
// posbridge for automatic steps.
func operatorName(actor string) string {
	if name, ok := strings.CutPrefix(actor, "staff:"); ok && name != "" {
		return name
	}
	switch actor {
	case "auto", "scanner", "system", "":
		return "posbridge"
	}
	return actor
}

// withReason is a history note with its reason, when staff gave one.
func withReason(what, reason string) string {
	if reason == "" {
		return what
	}
	return what + "：" + reason
}

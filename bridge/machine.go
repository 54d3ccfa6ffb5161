package bridge

import (
	"fmt"
	"strconv"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// effect is something a transition asks for besides the new state. Effects
// run in the same transaction as the transition (print jobs, outbox rows) so
// that a crash never leaves one without the other.
type effect int

const (
	effPrintOrder        effect = iota + 1 // receipt, kitchen tickets, cup labels
	effCancelSlip                          // 取消单 to printers that printed the order
	effRefundSlip                          // 退单 to printers that printed the order
	effPauseKitchen                        // 暂停制作 to kitchens that printed the order
	effResumeKitchen                       // 恢复制作 to kitchens that were paused
	effDropQueued                          // drop prints of the order not yet sent
	effAskRefund                           // staff must approve or refuse a refund
	effClearDecision                       // nothing waits for staff any more
	effMootOutbox                          // calls that the new state makes pointless
	effRunPolicy                           // a new order whose detail is known: decide accept
	effAlertEvent                          // tell staff about a platform event (备餐提醒)
	effAlertRefundUndone                   // an approved refund did not happen: the order is back
	effMootRefundCalls                     // the refund request is gone: its answer cannot be sent
	effReminder                            // 备餐提醒: slip to the kitchens, sound, release held tickets
	effWaybill                             // a delivery push: record the courier, alert when abnormal
	effStaffCourier                        // staff deliver: record the courier they entered
	effPartialRefund                       // 部分退款: slip to the printers that printed the order, alert
	effTableAdded                          // 围餐 items added online: 加菜 on the kitchens
)

// outcome is what applying one event did to an order.
type outcome struct {
	from, to order.Status
	changed  bool         // the local status changed
	note     string       // history reason (Chinese, shown to staff)
	effects  []effect     // in order
	ignored  string       // why the event changed nothing (late, repeated); for the log
	change   order.Change // the announcement applied (effects that need its fields read it)
	courier  *Courier     // the courier staff entered (ActDeliver)
}

func (o *outcome) add(e ...effect) { o.effects = append(o.effects, e...) }

func (o *outcome) has(e effect) bool {
	for _, x := range o.effects {
		if x == e {
			return true
		}
	}
	return false
}

// rank orders the main lifecycle; a platform event never moves an order to a
// lower rank, so late and repeated events are absorbed.
func rank(s order.Status) int { return s.Rank() }

// wasAccepted reports whether the platform knows the store took the order
// on: money returned after that is a refund (退单), before it a cancellation
// (取消单). A local accept the platform never confirmed does not count: the
// customer may have cancelled first.
func wasAccepted(st *order.State, codes StatusCodes) bool {
	switch s, _ := codes.StatusOf(st.PlatformStatus); s {
	case order.StatusAccepted, order.StatusMade, order.StatusDelivering, order.StatusDelivered, order.StatusCompleted:
		return true
	}
	switch st.Status {
	case order.StatusMade, order.StatusDelivering, order.StatusCompleted, order.StatusRefundRequested, order.StatusRefundProcessing:
		return true
	}
	return false
}

// effective is the lifecycle state of an order, looking through a pending
// refund request.
func effective(st *order.State) order.Status {
	if st.Status.RefundPending() && st.StatusBeforeRefund != "" {
		return st.StatusBeforeRefund
	}
	return st.Status
}

// applyPlatform applies a platform announcement to st (which it mutates).
// It never moves an order backwards and never moves a terminal order, except
// that a completed order may still be refunded (after-sales).
func applyPlatform(st *order.State, ch order.Change, codes StatusCodes) outcome {
	out := outcome{from: st.Status, to: st.Status, change: ch}
	if !ch.At.IsZero() && ch.At.After(st.PlatformAt) {
		defer func() { st.PlatformAt = ch.At }()
	}
	switch ch.Kind {
	case order.ChangeRefund:
		applyRefundStatus(st, ch, &out, codes)
	case order.ChangeDelivery:
		out.note = deliveryNote(ch)
		out.add(effWaybill)
	case order.ChangeProduct:
		out.note = "围餐加菜：" + addedText(ch.Added)
		out.add(effTableAdded)
	case order.ChangeEvent:
		if ch.EventType == 1 {
			// eventType 1 is the only documented event: the platform's
			// prepare-food reminder (备餐提醒), not a customer chasing.
			out.note = "备餐提醒"
			out.add(effReminder)
		} else {
			out.note = "平台事件 " + strconv.Itoa(ch.EventType)
			out.add(effAlertEvent)
		}
	default:
		if s, _ := codes.StatusOf(ch.PlatformStatus); ch.CancelStatus != 0 && s != order.StatusCancelled {
			applyRefundStatus(st, ch, &out, codes)
		}
		applyStatus(st, ch, &out, codes)
	}
	out.to = st.Status
	out.changed = out.from != out.to
	return out
}

func applyStatus(st *order.State, ch order.Change, out *outcome, codes StatusCodes) {
	target, known := codes.StatusOf(ch.PlatformStatus)
	if !known {
		if raw := rawStatus(ch); raw != "" {
			// Stored raw and shown, never refused; the order stays where it is.
			st.RawStatus = raw
			out.note = "平台状态未知（" + raw + "），已记录"
		}
		return
	}
	platformTarget := target // target may become refunded below; the platform said this
	if target == order.StatusCancelled {
		if ch.CancelType != 0 { // a poll or reconcile knows no type: keep the push's
			st.CancelType = ch.CancelType
		}
		if ch.Reason != "" {
			st.Reason = ch.Reason
		}
		if wasAccepted(st, codes) {
			target = order.StatusRefunded
		}
	}
	// The platform status only moves forward: a poll page read before the
	// platform took our accept must not make a later cancel look like one
	// before the accept (a cancel slip where a refund slip belongs).
	if have, known := codes.StatusOf(st.PlatformStatus); !known || rank(platformTarget) >= rank(have) {
		st.PlatformStatus = ch.PlatformStatus
	}
	st.RawStatus = ""
	cur := effective(st)
	if cur.Terminal() && !(cur == order.StatusCompleted && target == order.StatusRefunded) {
		if cur != target {
			out.ignored = fmt.Sprintf("order is %s; platform status %d is late", cur, ch.PlatformStatus)
		}
		return
	}
	if rank(target) <= rank(cur) {
		out.ignored = fmt.Sprintf("order is %s; platform status %d is not newer", cur, ch.PlatformStatus)
		return
	}
	if st.Status.RefundPending() && !target.Terminal() {
		// The platform moved on (e.g. made) while a refund waits: keep waiting,
		// but remember where to return.
		st.StatusBeforeRefund = target
		return
	}
	moveTo(st, target, out)
	switch target {
	case order.StatusAccepted, order.StatusMade, order.StatusDelivering:
		if out.from == order.StatusNew {
			// Accepted elsewhere (开个店 back office, platform timer): the
			// kitchen must still see it.
			out.note = "平台已接单"
			out.add(effClearDecision, effPrintOrder)
		}
	case order.StatusCancelled:
		out.note = cancelNote("订单已取消", ch)
		out.add(effClearDecision, effDropQueued, effCancelSlip, effMootOutbox)
	case order.StatusRefunded:
		out.note = cancelNote("订单已退款", ch)
		out.add(effClearDecision, effDropQueued, effRefundSlip, effMootOutbox)
	case order.StatusRejected:
		out.note = "平台已拒单"
		out.add(effClearDecision, effDropQueued, effCancelSlip, effMootOutbox)
	case order.StatusCompleted:
		out.add(effClearDecision)
	}
}

// rawStatus is the platform's orderStatus as sent when it is not a documented
// value ("" when the change carries no status).
func rawStatus(ch order.Change) string {
	if v := ch.Unknown["orderStatus"]; v != "" {
		return v
	}
	if ch.PlatformStatus != 0 {
		return strconv.Itoa(ch.PlatformStatus)
	}
	return ""
}

func applyRefundStatus(st *order.State, ch order.Change, out *outcome, codes StatusCodes) {
	cs := ch.CancelStatus
	switch cs {
	case order.RefundRequested:
		if !ch.At.IsZero() && !st.RefundAt.IsZero() && !ch.At.After(st.RefundAt) {
			// The same request announced again (status push and refund push
			// both carry it), possibly after staff already decided it.
			out.ignored = "refund request already applied"
			return
		}
		switch st.Status {
		case order.StatusNew, order.StatusAccepted, order.StatusMade, order.StatusDelivering, order.StatusCompleted:
			st.StatusBeforeRefund = st.Status
			st.RefundStatus, st.RefundAt = cs, ch.At
			if ch.Reason != "" {
				st.Reason = ch.Reason
			}
			st.CancelType = ch.CancelType
			moveTo(st, order.StatusRefundRequested, out)
			out.note = cancelNote("顾客申请退款", ch)
			out.add(effAskRefund, effPauseKitchen)
		case order.StatusRefundRequested, order.StatusRefundProcessing:
			out.ignored = "refund already requested"
		default:
			out.ignored = fmt.Sprintf("refund request for a %s order", st.Status)
		}
	case order.RefundRefused, order.RefundWithdrawn:
		st.RefundStatus = cs
		if !st.Status.RefundPending() {
			out.ignored = "no refund request is waiting"
			return
		}
		approved := st.Status == order.StatusRefundProcessing
		back := st.StatusBeforeRefund
		if back == "" {
			back = order.StatusAccepted
		}
		moveTo(st, back, out)
		st.StatusBeforeRefund = ""
		switch {
		case cs == order.RefundRefused && approved:
			out.note = "平台未完成退款（退款被拒绝），订单恢复制作"
		case cs == order.RefundRefused:
			out.note = "退款已拒绝，继续制作"
		case approved:
			out.note = "顾客已撤销退款申请，退款未进行，订单恢复制作"
		default:
			out.note = "顾客已撤销退款申请，继续制作"
		}
		out.add(effClearDecision, effResumeKitchen, effMootRefundCalls)
		if approved {
			// Staff approved a refund that did not happen: they must know.
			out.add(effAlertRefundUndone)
		}
	case order.RefundRefunding, order.RefundDone:
		st.RefundStatus = cs
		switch st.Status {
		case order.StatusRefunded, order.StatusCancelled, order.StatusRejected:
			return // the money went back as part of an end already recorded
		}
		if !wasAccepted(st, codes) {
			moveTo(st, order.StatusCancelled, out)
			out.note = cancelNote("订单已取消", ch)
			out.add(effClearDecision, effDropQueued, effCancelSlip, effMootOutbox)
			return
		}
		moveTo(st, order.StatusRefunded, out)
		out.note = cancelNote(order.RefundStatus(cs).Label(), ch)
		out.add(effClearDecision, effDropQueued, effRefundSlip, effMootOutbox)
	default:
		out.note = fmt.Sprintf("退款状态未知（%d），已记录", cs)
	}
}

func moveTo(st *order.State, s order.Status, out *outcome) {
	st.Status = s
	if !s.RefundPending() {
		st.StatusBeforeRefund = ""
	}
	out.to = s
}

func cancelNote(what string, ch order.Change) string {
	s := what
	if t := ch.CancelType.Label(); t != "" {
		s += "（" + t + "）"
	}
	if ch.Reason != "" {
		s += "：" + ch.Reason
	}
	return s
}

func deliveryNote(ch order.Change) string {
	names := map[int]string{0: "待接单", 1: "系统已接单", 2: "已分配骑手", 3: "骑手已到店", 4: "骑手已取餐",
		5: "配送中", 6: "已送达", 7: "配送异常", 8: "配送已取消"}
	s, ok := names[ch.DeliveryStatus]
	if !ok {
		s = "未知配送状态 " + strconv.Itoa(ch.DeliveryStatus)
	}
	if ch.RiderName != "" {
		s += "，骑手 " + ch.RiderName
		if ch.RiderPhone != "" {
			s += " " + order.MaskPhone(ch.RiderPhone)
		}
	}
	return "配送：" + s
}

// applyToRecord runs the state machine on the state of a stored order and
// keeps what it made of it in the row.
func applyToRecord(rec *store.OrderRecord, ch order.Change, codes StatusCodes) outcome {
	st := rec.State()
	out := applyPlatform(&st, ch, codes)
	rec.SetState(st)
	return out
}

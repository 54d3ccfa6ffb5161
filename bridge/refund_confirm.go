package bridge

import (
	"errors"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// An approved refund is final only when the platform says so: a status or
// refund push or poll saying refunded (orderStatus 6 after accept,
// refundStatus 4 or 5). Until then the order shows 退款处理中 and no refund
// slip prints; refundOperation's reply alone confirms nothing. When the
// platform refuses the call, or refuses or withdraws the refund itself
// (machine.go), the order carries on where it was: the paused kitchens get
// 恢复制作 and staff are told.

// refundNotDoneTx restores an order whose approved refund the platform
// refused (refundOperation failed for good).
func (b *Bridge) refundNotDoneTx(tx *store.Tx, a *after, code, why string) error {
	rec, err := tx.GetOrder(code)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || rec.Status != order.StatusRefundProcessing {
		return err
	}
	back := rec.StatusBeforeRefund
	if back == "" {
		back = order.StatusAccepted
	}
	out := outcome{from: rec.Status, to: back, changed: true, note: "平台未完成退款（" + why + "），订单恢复制作"}
	rec.Status, rec.StatusBeforeRefund = back, ""
	out.add(effResumeKitchen, effAlertRefundUndone)
	if err := b.runEffects(tx, a, rec, out, "platform"); err != nil {
		return err
	}
	return b.record(tx, a, rec, out, "platform", "outbox")
}

package bridge

import (
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// answeredRefundRepeat reports a refund poll listing as pending a request
// staff already answered: the answer is still on its way to the platform,
// or the poll was asked before the platform took it. Applied, it reopened
// the request and printed a second 暂停制作. A request the platform lists
// after it took the answer is a new one.
func (b *Bridge) answeredRefundRepeat(tx *store.Tx, code string, askedAt time.Time) (bool, error) {
	pending, answered, err := tx.RefundAnswers(code)
	if err != nil || pending {
		return pending, err
	}
	if answered.IsZero() {
		return false, nil
	}
	// done_at is whole milliseconds: a poll asked in the millisecond the
	// answer was written was asked before it (the platform had taken the
	// answer by then, and would not have listed the request).
	repeat := askedAt.IsZero() || !askedAt.Truncate(time.Millisecond).After(answered)
	if repeat {
		b.log.Debug("refund poll lists a request staff answered: absorbed", "order", code)
	}
	return repeat, nil
}

// pushedRefundRepeat drops from a push a refund request staff already
// answered. Pushes come late: the platform sends one again when it was not
// acknowledged in time, the status push and the refund push announce the
// same request, and a request the refund poll applied first carries no
// time to tell the push's from. While the answer is on its way the platform
// cannot have a new request; once it took the answer, a request announced
// (timeStamp) at or before then is the old one. A new request dropped here
// by mistake (the platform's clock behind ours) is applied by the next
// refund poll, which compares the time it asked. skip means the change has
// nothing else; a status push keeps its order status.
func (b *Bridge) pushedRefundRepeat(tx *store.Tx, ch order.Change) (_ order.Change, skip bool, _ error) {
	if ch.Via != order.ViaPush || ch.CancelStatus != order.RefundRequested {
		return ch, false, nil
	}
	at := ch.At
	if at.IsZero() {
		at = tx.Now()
	}
	repeat, err := b.answeredRefundRepeat(tx, ch.Code, at)
	if err != nil || !repeat {
		return ch, false, err
	}
	if ch.Kind == order.ChangeRefund {
		return ch, true, nil
	}
	ch.CancelStatus = 0
	return ch, false, nil
}

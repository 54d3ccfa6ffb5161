package bridge

import (
	"time"

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
	repeat := askedAt.IsZero() || !askedAt.After(answered)
	if repeat {
		b.log.Debug("refund poll lists a request staff answered: absorbed", "order", code)
	}
	return repeat, nil
}

package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/posbridge/posbridge/order"
)

// reconcileEnded is how far back reconciliation also asks about orders that
// ended locally, and reconcileEndedMax how many of them at most.
const (
	reconcileEnded    = 24 * time.Hour
	reconcileEndedMax = 200
)

// EndedSince returns orders cancelled, refunded or rejected locally that
// changed at or after since: reconciliation asks the platform about them
// too, so that a local end the platform contradicts (a forged push applied
// before pushes were confirmed, a reject the platform refused) is found.
func (db *DB) EndedSince(ctx context.Context, source order.Source, since time.Time, limit int) ([]string, error) {
	return db.codes(ctx, `SELECT code FROM orders WHERE status IN (`+endedStatusList+`) AND updated_at >= ? AND source = ?
		ORDER BY updated_at DESC LIMIT ?`, ms(since), string(source), limit)
}

// PendingOutboxCount is how many calls of an order are still to be sent.
func (tx *Tx) PendingOutboxCount(orderCode string) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM outbox WHERE order_code = ? AND state = 'pending'`, orderCode).Scan(&n)
	return n, err
}

// ReviveDroppedPrintJobs queues again the receipt, kitchen tickets and
// labels of an order that were dropped unprinted when it ended: the end was
// wrong and the order is back. It returns the printers concerned.
func (tx *Tx) ReviveDroppedPrintJobs(orderCode string) ([]string, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `UPDATE print_jobs SET state='queued', next_at=0, last_error='', updated_at=?
		WHERE order_code = ? AND state = 'dropped' AND doc IN ('receipt','kitchen','label') RETURNING printer`, ms(tx.now), orderCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RefundAnswers says whether an answer to an order's refund request
// (refundOperation) is still to be sent, and when the platform last took one.
func (tx *Tx) RefundAnswers(orderCode string) (pending bool, answered time.Time, err error) {
	var n int
	var done sql.NullInt64
	err = tx.queryRow(`SELECT COUNT(CASE WHEN state = 'pending' THEN 1 END), MAX(CASE WHEN state = 'done' THEN done_at END)
		FROM outbox WHERE order_code = ? AND kind = 'refund_operation'`, orderCode).Scan(&n, &done)
	if err != nil {
		return false, time.Time{}, err
	}
	if done.Valid {
		answered = fromMS(done.Int64)
	}
	return n > 0, answered, nil
}

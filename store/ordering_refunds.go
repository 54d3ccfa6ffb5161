package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// OrderingRefund is the refund of one paid attempt: an outbox row retried
// with the same refund_no until the provider says done or failed.
type OrderingRefund struct {
	ID               int64
	PaymentID        int64
	OrderID          int64
	RefundNo         string
	AmountFen        int64
	Reason           string // late | duplicate | rejected | staff
	State            string // pending | done | failed
	ProviderRefundNo string
	Detail           string
	Tries            int
	NextAt           time.Time
	CreatedAt        time.Time
	DoneAt           time.Time
}

// Refund states.
const (
	RefundPending = "pending"
	RefundDone    = "done"
	RefundFailed  = "failed"
)

const refundColumns = `id, payment_id, order_id, refund_no, amount_fen, reason, state, provider_refund_no, detail, tries, next_at, created_at, done_at`

func scanRefund(r rowScanner) (*OrderingRefund, error) {
	var f OrderingRefund
	var next, created, done int64
	err := r.Scan(&f.ID, &f.PaymentID, &f.OrderID, &f.RefundNo, &f.AmountFen, &f.Reason, &f.State, &f.ProviderRefundNo, &f.Detail, &f.Tries,
		&next, &created, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	f.NextAt, f.CreatedAt, f.DoneAt = fromMS(next), fromMS(created), fromMS(done)
	return &f, nil
}

// addOrderingRefund queues the whole refund of a paid attempt; a second
// one for the same attempt is ignored (one refund per payment).
func (tx *Tx) addOrderingRefund(p *OrderingPayment, refundNo, reason string) error {
	_, err := tx.exec(`INSERT INTO ordering_refunds(payment_id, order_id, refund_no, amount_fen, reason, created_at)
		VALUES(?,?,?,?,?,?) ON CONFLICT(payment_id) DO NOTHING`, p.ID, p.OrderID, refundNo, p.AmountFen, reason, ms(tx.now))
	return err
}

// RefundOrderingOrder queues the refund of an order's paid attempts (staff
// refused or refunded it, or nobody accepted it in time); it returns how
// many were queued now. newNo gives each a refund number.
func (db *DB) RefundOrderingOrder(ctx context.Context, orderID int64, reason string, newNo func() string) (queued int, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		queued = 0
		rows, err := tx.query(`SELECT `+paymentColumns+` FROM ordering_payments p WHERE order_id = ? AND state = 'paid'
			AND NOT EXISTS (SELECT 1 FROM ordering_refunds r WHERE r.payment_id = p.id)`, orderID)
		if err != nil {
			return err
		}
		var list []*OrderingPayment
		for rows.Next() {
			p, err := scanPayment(rows)
			if err != nil {
				rows.Close()
				return err
			}
			list = append(list, p)
		}
		rows.Close()
		for _, p := range list {
			if err := tx.addOrderingRefund(p, newNo(), reason); err != nil {
				return err
			}
			queued++
		}
		return nil
	})
	return queued, err
}

// DueOrderingRefunds are pending refunds whose next try is due.
func (db *DB) DueOrderingRefunds(ctx context.Context, now time.Time, limit int) ([]*OrderingRefund, error) {
	return db.refundList(ctx, `WHERE state = 'pending' AND next_at <= ? ORDER BY id LIMIT ?`, ms(now), limit)
}

// OrderingRefunds are an order's refunds (the console shows their state).
func (db *DB) OrderingRefunds(ctx context.Context, orderID int64) ([]*OrderingRefund, error) {
	return db.refundList(ctx, `WHERE order_id = ? ORDER BY id`, orderID)
}

func (db *DB) refundList(ctx context.Context, clause string, args ...any) ([]*OrderingRefund, error) {
	rows, err := db.readQuery(ctx, `SELECT `+refundColumns+` FROM ordering_refunds `+clause, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*OrderingRefund
	for rows.Next() {
		f, err := scanRefund(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SetOrderingRefund records a try: state done or failed ends it; pending
// tries again at next.
func (db *DB) SetOrderingRefund(ctx context.Context, id int64, state, providerRefundNo, detail string, next time.Time) error {
	return db.Write(ctx, func(tx *Tx) error {
		done := int64(0)
		if state != RefundPending {
			done = ms(tx.now)
		}
		_, err := tx.exec(`UPDATE ordering_refunds SET state = ?, provider_refund_no = CASE WHEN ? <> '' THEN ? ELSE provider_refund_no END,
			detail = ?, tries = tries + 1, next_at = ?, done_at = ? WHERE id = ? AND state = 'pending'`,
			state, providerRefundNo, providerRefundNo, detail, ms(next), done, id)
		return err
	})
}

// RetryOrderingRefunds puts an order's failed refunds back in the outbox,
// due now and under the same refund number, so the provider answers a
// repeat with the first refund's state and never pays out twice; it
// returns how many went back. The retry is audited under actor.
func (db *DB) RetryOrderingRefunds(ctx context.Context, orderID int64, actor string) (retried int, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE ordering_refunds SET state = 'pending', next_at = ?, done_at = 0 WHERE order_id = ? AND state = 'failed'`,
			ms(tx.now), orderID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		retried = int(n)
		if n == 0 {
			return nil
		}
		return tx.AppendAudit(Audit{Actor: actor, Action: "online_refund_retry", Detail: fmt.Sprintf("ordering order %d: %d refund(s)", orderID, n)})
	})
	return retried, err
}

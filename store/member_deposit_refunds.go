package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// MemberDepositRefund is a top-up refunded through its provider (schema
// 19): an outbox row sent with the same refund number until the provider
// says done or failed.
type MemberDepositRefund struct {
	ID               int64
	DepositID        int64
	RefundNo         string
	TradeNo          string
	AmountFen        int64
	Actor, Reason    string
	State            string // pending | done | failed (RefundPending …)
	Tries            int
	NextAt           time.Time
	ProviderRefundNo string
	Detail           string
	CreatedAt        time.Time
}

// ErrDepositRefunded: the top-up has a refund already.
var ErrDepositRefunded = errors.New("这笔充值已退款")

const depositRefundColumns = `id, deposit_id, refund_no, trade_no, amount_fen, actor, reason, state, tries, next_at,
	provider_refund_no, detail, created_at`

func scanDepositRefund(row interface{ Scan(...any) error }) (*MemberDepositRefund, error) {
	var f MemberDepositRefund
	var next, created int64
	err := row.Scan(&f.ID, &f.DepositID, &f.RefundNo, &f.TradeNo, &f.AmountFen, &f.Actor, &f.Reason, &f.State, &f.Tries, &next,
		&f.ProviderRefundNo, &f.Detail, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	f.NextAt, f.CreatedAt = fromMS(next), fromMS(created)
	return &f, nil
}

// InsertMemberDepositRefund queues a top-up's refund (due now);
// ErrDepositRefunded when it has one.
func (tx *Tx) InsertMemberDepositRefund(f *MemberDepositRefund) error {
	var n int
	if err := tx.queryRow(`SELECT count(*) FROM member_deposit_refunds WHERE deposit_id = ?`, f.DepositID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ErrDepositRefunded
	}
	res, err := tx.exec(`INSERT INTO member_deposit_refunds (deposit_id, refund_no, trade_no, amount_fen, actor, reason, next_at,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.DepositID, f.RefundNo, f.TradeNo, f.AmountFen, f.Actor, f.Reason,
		ms(tx.now), ms(tx.now), ms(tx.now))
	if err != nil {
		return err
	}
	f.ID, err = res.LastInsertId()
	f.State, f.NextAt, f.CreatedAt = RefundPending, tx.now, tx.now
	return err
}

// DueMemberDepositRefunds are the pending refunds due by now.
func (db *DB) DueMemberDepositRefunds(ctx context.Context, now time.Time, limit int) ([]*MemberDepositRefund, error) {
	rows, err := db.readQuery(ctx, `SELECT `+depositRefundColumns+` FROM member_deposit_refunds
		WHERE state = 'pending' AND next_at <= ? ORDER BY id LIMIT ?`, ms(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*MemberDepositRefund
	for rows.Next() {
		f, err := scanDepositRefund(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// MemberDepositRefundOf is a top-up's refund.
func (db *DB) MemberDepositRefundOf(ctx context.Context, depositID int64) (*MemberDepositRefund, error) {
	return scanDepositRefund(db.reader.QueryRowContext(ctx, `SELECT `+depositRefundColumns+` FROM member_deposit_refunds WHERE deposit_id = ?`, depositID))
}

// SetMemberDepositRefund stores a try's answer: done or failed for good,
// or pending again at next (one more try counted). A row already done or
// failed is left alone.
func (db *DB) SetMemberDepositRefund(ctx context.Context, id int64, state, providerNo, detail string, next time.Time) error {
	if len(detail) > 500 {
		detail = detail[:500]
	}
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE member_deposit_refunds SET state = ?, provider_refund_no = CASE WHEN ? <> '' THEN ? ELSE provider_refund_no END,
			detail = ?, tries = tries + 1, next_at = ?, updated_at = ? WHERE id = ? AND state = 'pending'`,
			state, providerNo, providerNo, detail, ms(next), ms(tx.now), id)
		return err
	})
}

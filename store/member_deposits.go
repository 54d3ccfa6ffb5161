package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// MemberDeposit is a top-up order (seed 002 §12).
type MemberDeposit struct {
	ID           int64
	RestaurantID int64
	CustomerID   string
	CardID       int64
	PayType      string
	CreditFen    int64
	PayFen       int64
	BonusPoints  int64
	Status       string // new | expired | success
	TradeNo      string
	CreatedAt    time.Time
	ExpiryAt     time.Time
	PaidAt       time.Time
	DepositAt    time.Time
}

// Deposit statuses, as the seed names them.
const (
	DepositNew     = "new"
	DepositExpired = "expired"
	DepositSuccess = "success"
)

const depositColumns = `id, restaurant_id, customer_id, card_id, pay_type, credit_fen, pay_fen, bonus_points, status, trade_no,
	created_at, expiry_at, paid_at, deposit_at`

func scanDeposit(row interface{ Scan(...any) error }) (*MemberDeposit, error) {
	var d MemberDeposit
	var created, expiry, paid, deposit int64
	err := row.Scan(&d.ID, &d.RestaurantID, &d.CustomerID, &d.CardID, &d.PayType, &d.CreditFen, &d.PayFen, &d.BonusPoints,
		&d.Status, &d.TradeNo, &created, &expiry, &paid, &deposit)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	d.CreatedAt, d.ExpiryAt, d.PaidAt, d.DepositAt = fromMS(created), fromMS(expiry), fromMS(paid), fromMS(deposit)
	return &d, nil
}

// InsertMemberDeposit adds a new top-up order expiring after ttl.
func (tx *Tx) InsertMemberDeposit(d *MemberDeposit, ttl time.Duration) (int64, error) {
	res, err := tx.exec(`INSERT INTO member_deposits (restaurant_id, customer_id, card_id, pay_type, credit_fen, pay_fen,
		bonus_points, created_at, expiry_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.RestaurantID, d.CustomerID, d.CardID,
		d.PayType, d.CreditFen, d.PayFen, d.BonusPoints, ms(tx.now), ms(tx.now.Add(ttl)))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// MemberDeposit is the top-up order with the id.
func (tx *Tx) MemberDeposit(id int64) (*MemberDeposit, error) {
	return scanDeposit(tx.queryRow(`SELECT `+depositColumns+` FROM member_deposits WHERE id = ?`, id))
}

// MarkMemberDepositPaid records the payment and the credit of a top-up
// order; only the first call changes it (the caller credits the card in the
// same transaction when changed is true).
func (tx *Tx) MarkMemberDepositPaid(id int64, tradeNo string, paidAt time.Time) (changed bool, err error) {
	res, err := tx.exec(`UPDATE member_deposits SET status = 'success', trade_no = ?, paid_at = ?, deposit_at = ?
		WHERE id = ? AND status != 'success'`, tradeNo, ms(paidAt), ms(tx.now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ExpireMemberDeposits marks unpaid top-up orders past their expiry.
func (tx *Tx) ExpireMemberDeposits() (int64, error) {
	res, err := tx.exec(`UPDATE member_deposits SET status = 'expired' WHERE status = 'new' AND expiry_at <= ?`, ms(tx.now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// MemberDeposits lists a customer's top-up orders, newest first.
func (db *DB) MemberDeposits(ctx context.Context, restaurantID int64, customerID string, limit, offset int) ([]MemberDeposit, int, error) {
	var total int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM member_deposits WHERE restaurant_id = ? AND customer_id = ?`,
		restaurantID, customerID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT `+depositColumns+` FROM member_deposits
		WHERE restaurant_id = ? AND customer_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`, restaurantID, customerID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []MemberDeposit
	for rows.Next() {
		d, err := scanDeposit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *d)
	}
	return out, total, rows.Err()
}

// MemberAppeal is a customer's appeal about a top-up or an order payment.
type MemberAppeal struct {
	ID         int64
	Kind       string // deposit | order
	RefID      int64
	CustomerID string
	Phone      string
	Reason     string
	Images     []string
	Status     string // new | success
	CreatedAt  time.Time
	ResolvedAt time.Time
	ResolvedBy string
	Note       string
}

// ErrAppealExists: the deposit or order has an appeal already.
var ErrAppealExists = errors.New("appeal exists")

// InsertMemberAppeal records an appeal; one per deposit or order.
func (tx *Tx) InsertMemberAppeal(a *MemberAppeal) (int64, error) {
	images, err := json.Marshal(a.Images)
	if err != nil {
		return 0, err
	}
	res, err := tx.exec(`INSERT INTO member_appeals (kind, ref_id, customer_id, phone, reason, images_json, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.Kind, a.RefID, a.CustomerID, a.Phone, a.Reason, string(images), ms(tx.now))
	if isUniqueViolation(err) {
		return 0, ErrAppealExists
	}
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// ResolveMemberAppeal marks an appeal handled by staff.
func (tx *Tx) ResolveMemberAppeal(id int64, by, note string) (bool, error) {
	res, err := tx.exec(`UPDATE member_appeals SET status = 'success', resolved_at = ?, resolved_by = ?, note = ?
		WHERE id = ? AND status = 'new'`, ms(tx.now), by, note, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// MemberAppealOf is the appeal about a deposit or an order, if any.
func (tx *Tx) MemberAppealOf(kind string, refID int64) (*MemberAppeal, error) {
	var a MemberAppeal
	var images string
	var created, resolved int64
	err := tx.queryRow(`SELECT id, kind, ref_id, customer_id, phone, reason, images_json, status, created_at, resolved_at,
		resolved_by, note FROM member_appeals WHERE kind = ? AND ref_id = ?`, kind, refID).Scan(&a.ID, &a.Kind, &a.RefID,
		&a.CustomerID, &a.Phone, &a.Reason, &images, &a.Status, &created, &resolved, &a.ResolvedBy, &a.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.CreatedAt, a.ResolvedAt = fromMS(created), fromMS(resolved)
	return &a, json.Unmarshal([]byte(images), &a.Images)
}

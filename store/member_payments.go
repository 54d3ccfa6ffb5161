package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// MemberOrderPayment is a scan-to-order order paid with a member card
// (schema 16).
type MemberOrderPayment struct {
	OrderID      int64
	RestaurantID int64
	CustomerID   string
	CardID       int64
	AmountFen    int64
	LedgerID     int64
	Points       int64
	PaidAt       time.Time
}

// ErrOrderPaid: the order has a card payment already.
var ErrOrderPaid = errors.New("order already paid with a member card")

// InsertMemberOrderPayment records the card payment of an order, in the
// transaction of its debit; a second one for the order is ErrOrderPaid.
func (tx *Tx) InsertMemberOrderPayment(p *MemberOrderPayment) error {
	_, err := tx.exec(`INSERT INTO member_order_payments (order_id, restaurant_id, customer_id, card_id, amount_fen, ledger_id,
		points, paid_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.OrderID, p.RestaurantID, p.CustomerID, p.CardID, p.AmountFen,
		p.LedgerID, p.Points, ms(tx.now))
	var se sqlite3.Error
	if errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey || se.ExtendedCode == sqlite3.ErrConstraintUnique) {
		return ErrOrderPaid
	}
	return err
}

const orderPaymentColumns = `order_id, restaurant_id, customer_id, card_id, amount_fen, ledger_id, points, paid_at`

func scanOrderPayment(row interface{ Scan(...any) error }) (*MemberOrderPayment, error) {
	var p MemberOrderPayment
	var at int64
	err := row.Scan(&p.OrderID, &p.RestaurantID, &p.CustomerID, &p.CardID, &p.AmountFen, &p.LedgerID, &p.Points, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	p.PaidAt = fromMS(at)
	return &p, nil
}

// MemberOrderPayment is the card payment of an order, ErrNotFound if none.
func (db *DB) MemberOrderPayment(ctx context.Context, orderID int64) (*MemberOrderPayment, error) {
	return scanOrderPayment(db.reader.QueryRowContext(ctx, `SELECT `+orderPaymentColumns+` FROM member_order_payments WHERE order_id = ?`, orderID))
}

// MemberOrderPaymentsOf lists the orders a customer paid with a card,
// newest first (at most limit).
func (db *DB) MemberOrderPaymentsOf(ctx context.Context, restaurantID int64, customerID string, limit int) ([]MemberOrderPayment, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT `+orderPaymentColumns+` FROM member_order_payments
		WHERE restaurant_id = ? AND customer_id = ? ORDER BY order_id DESC LIMIT ?`, restaurantID, customerID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MemberOrderPayment
	for rows.Next() {
		p, err := scanOrderPayment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

// MemberDepositAttempt is one try at paying a top-up order at a provider.
type MemberDepositAttempt struct {
	TradeNo         string
	DepositID       int64
	Provider        string
	AmountFen       int64
	ProviderTradeNo string
	PayURL          string
	CreatedAt       time.Time
}

const attemptColumns = `trade_no, deposit_id, provider, amount_fen, provider_trade_no, pay_url, created_at`

func scanAttempt(row interface{ Scan(...any) error }) (*MemberDepositAttempt, error) {
	var a MemberDepositAttempt
	var at int64
	err := row.Scan(&a.TradeNo, &a.DepositID, &a.Provider, &a.AmountFen, &a.ProviderTradeNo, &a.PayURL, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.CreatedAt = fromMS(at)
	return &a, nil
}

// InsertMemberDepositAttempt records a try before the provider is asked, so
// that a notification for it finds it even when the reply is lost.
func (db *DB) InsertMemberDepositAttempt(ctx context.Context, a *MemberDepositAttempt) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO member_deposit_attempts (trade_no, deposit_id, provider, amount_fen, created_at)
			VALUES (?, ?, ?, ?, ?)`, a.TradeNo, a.DepositID, a.Provider, a.AmountFen, ms(a.CreatedAt))
		return err
	})
}

// SetMemberDepositAttemptURL keeps what the provider answered for a try.
func (db *DB) SetMemberDepositAttemptURL(ctx context.Context, tradeNo, providerTradeNo, payURL string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE member_deposit_attempts SET provider_trade_no = ?, pay_url = ? WHERE trade_no = ?`,
			providerTradeNo, payURL, tradeNo)
		return err
	})
}

// MemberDepositAttempt is the try with our trade number.
func (db *DB) MemberDepositAttempt(ctx context.Context, tradeNo string) (*MemberDepositAttempt, error) {
	return scanAttempt(db.reader.QueryRowContext(ctx, `SELECT `+attemptColumns+` FROM member_deposit_attempts WHERE trade_no = ?`, tradeNo))
}

// MemberDepositAttempts are a top-up order's tries, newest first.
func (db *DB) MemberDepositAttempts(ctx context.Context, depositID int64) ([]MemberDepositAttempt, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT `+attemptColumns+` FROM member_deposit_attempts
		WHERE deposit_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 20`, depositID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MemberDepositAttempt
	for rows.Next() {
		a, err := scanAttempt(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// MemberDepositByID reads one top-up order outside a transaction.
func (db *DB) MemberDepositByID(ctx context.Context, id int64) (*MemberDeposit, error) {
	return scanDeposit(db.reader.QueryRowContext(ctx, `SELECT `+depositColumns+` FROM member_deposits WHERE id = ?`, id))
}

const appealColumns = `id, kind, ref_id, customer_id, phone, reason, images_json, status, created_at, resolved_at, resolved_by, note`

func scanAppeal(row interface{ Scan(...any) error }) (*MemberAppeal, error) {
	var a MemberAppeal
	var images string
	var created, resolved int64
	err := row.Scan(&a.ID, &a.Kind, &a.RefID, &a.CustomerID, &a.Phone, &a.Reason, &images, &a.Status, &created, &resolved,
		&a.ResolvedBy, &a.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.CreatedAt, a.ResolvedAt = fromMS(created), fromMS(resolved)
	return &a, json.Unmarshal([]byte(images), &a.Images)
}

// MemberAppealByRef is the appeal about a deposit or an order, if any.
func (db *DB) MemberAppealByRef(ctx context.Context, kind string, refID int64) (*MemberAppeal, error) {
	return scanAppeal(db.reader.QueryRowContext(ctx, `SELECT `+appealColumns+` FROM member_appeals WHERE kind = ? AND ref_id = ?`, kind, refID))
}

// MemberAppealByID is one appeal.
func (db *DB) MemberAppealByID(ctx context.Context, id int64) (*MemberAppeal, error) {
	return scanAppeal(db.reader.QueryRowContext(ctx, `SELECT `+appealColumns+` FROM member_appeals WHERE id = ?`, id))
}

// MemberAppeals lists appeals, open ones first, newest first (at most limit).
func (db *DB) MemberAppeals(ctx context.Context, onlyOpen bool, limit int) ([]MemberAppeal, error) {
	q := `SELECT ` + appealColumns + ` FROM member_appeals`
	if onlyOpen {
		q += ` WHERE status = 'new'`
	}
	rows, err := db.reader.QueryContext(ctx, q+` ORDER BY status = 'new' DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MemberAppeal
	for rows.Next() {
		a, err := scanAppeal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// MemberCardHit is a card found in the console, with its holder's phone.
type MemberCardHit struct {
	MemberCard
	Phone string
}

// SearchMemberCards finds cards by number, or by the holder's phone
// (customers of schema 12), at most limit.
func (db *DB) SearchMemberCards(ctx context.Context, query string, limit int) ([]MemberCardHit, error) {
	like := "%" + strings.NewReplacer("%", "", "_", "").Replace(query) + "%"
	rows, err := db.reader.QueryContext(ctx, `SELECT m.id, m.restaurant_id, m.card_no, COALESCE(m.customer_id, ''), m.password_hash,
		m.balance_fen, m.points, m.spent_fen, m.issued_by, m.created_at, m.bound_at, COALESCE(c.phone, '')
		FROM member_cards m LEFT JOIN customers c ON c.id = CAST(m.customer_id AS INTEGER)
		WHERE ? = '%%' OR m.card_no LIKE ? OR c.phone LIKE ? ORDER BY m.id DESC LIMIT ?`, like, like, like, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MemberCardHit
	for rows.Next() {
		var h MemberCardHit
		var created, bound int64
		c := &h.MemberCard
		if err := rows.Scan(&c.ID, &c.RestaurantID, &c.CardNo, &c.CustomerID, &c.PasswordHash, &c.BalanceFen, &c.Points,
			&c.SpentFen, &c.IssuedBy, &created, &bound, &h.Phone); err != nil {
			return nil, err
		}
		c.CreatedAt, c.BoundAt = fromMS(created), fromMS(bound)
		out = append(out, h)
	}
	return out, rows.Err()
}

// MemberCardByID reads one card outside a transaction.
func (db *DB) MemberCardByID(ctx context.Context, id int64) (*MemberCard, error) {
	return scanMemberCard(db.reader.QueryRowContext(ctx, `SELECT `+memberCardColumns+` FROM member_cards WHERE id = ?`, id))
}

// MemberOrderPaymentOf is the card payment of an order in the transaction.
func (tx *Tx) MemberOrderPaymentOf(orderID int64) (*MemberOrderPayment, error) {
	return scanOrderPayment(tx.queryRow(`SELECT `+orderPaymentColumns+` FROM member_order_payments WHERE order_id = ?`, orderID))
}

// Now is the database's clock (Options.Now), what its rows are stamped with.
func (db *DB) Now() time.Time { return db.now() }

// ReleaseMemberTry gives back one counted try of the key (the password was
// right): only wrong passwords use up the hour's tries, while every try
// is still counted before its comparison.
func (db *DB) ReleaseMemberTry(ctx context.Context, restaurantID int64, key string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`DELETE FROM member_bind_tries WHERE rowid = (SELECT max(rowid) FROM member_bind_tries
			WHERE restaurant_id = ? AND card_no = ?)`, restaurantID, key)
		return err
	})
}

// MemberPaidOrdersToRefund are card-paid orders that ended cancelled or
// rejected (status < 0) and whose card has not been credited back yet.
func (db *DB) MemberPaidOrdersToRefund(ctx context.Context, limit int) ([]int64, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT p.order_id FROM member_order_payments p
		JOIN ordering_orders o ON o.id = p.order_id
		WHERE o.status < 0 AND NOT EXISTS (SELECT 1 FROM member_ledger l WHERE l.idem_key = 'refund:O' || p.order_id)
		ORDER BY p.order_id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// MarkOrderingPaidByCard stamps a card-paid order paid (schema 13's
// paid_at), in the transaction of its debit, so that is-paid and the order
// views say so; an order waiting at status 0 moves to 1 (handed to the flow
// after the commit, like an order paid online). ErrNotPayable when the
// order was closed meanwhile (expired unpaid, cancelled): the debit rolls
// back with it. An id the ordering tables do not hold (the ledger's own
// tests) has nothing to stamp.
func (tx *Tx) MarkOrderingPaidByCard(orderID int64) error {
	res, err := tx.exec(`UPDATE ordering_orders SET paid_at = ?, updated_at = ?, status = CASE WHEN status = 0 THEN 1 ELSE status END
		WHERE id = ? AND paid_at = 0 AND status BETWEEN 0 AND 5`, ms(tx.now), ms(tx.now), orderID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	var status int
	switch err := tx.queryRow(`SELECT status FROM ordering_orders WHERE id = ?`, orderID).Scan(&status); {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	return ErrNotPayable
}

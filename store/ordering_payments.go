package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// OrderingPayment is one try at paying a scan-to-order order online (schema 13).
type OrderingPayment struct {
	ID              int64
	OrderID         int64
	Provider        string
	TradeNo         string
	AmountFen       int64
	ProviderTradeNo string
	ChannelTxn      string
	State           string // pending | paid | failed
	Detail          string
	CreatedAt       time.Time
	PaidAt          time.Time
}

// Payment states.
const (
	PaymentPending = "pending"
	PaymentPaid    = "paid"
	PaymentFailed  = "failed"
)

// ErrNotPayable: the order is not waiting for an online payment (paid,
// closed, or offline).
var ErrNotPayable = errors.New("order is not waiting for an online payment")

const paymentColumns = `id, order_id, provider, trade_no, amount_fen, provider_trade_no, channel_txn, state, detail, created_at, paid_at`

func scanPayment(r rowScanner) (*OrderingPayment, error) {
	var p OrderingPayment
	var created, paid int64
	err := r.Scan(&p.ID, &p.OrderID, &p.Provider, &p.TradeNo, &p.AmountFen, &p.ProviderTradeNo, &p.ChannelTxn, &p.State, &p.Detail, &created, &paid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.PaidAt = fromMS(created), fromMS(paid)
	return &p, nil
}

// AddOrderingPayment records a new attempt for an order still waiting at
// status 0, before the provider is called: a crash after the call leaves a
// row the expiry asks the provider about.
func (db *DB) AddOrderingPayment(ctx context.Context, p OrderingPayment) (*OrderingPayment, error) {
	err := db.Write(ctx, func(tx *Tx) error {
		var status int
		err := tx.queryRow(`SELECT status FROM ordering_orders WHERE id = ?`, p.OrderID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if status != 0 {
			return ErrNotPayable
		}
		p.State, p.CreatedAt = PaymentPending, tx.now
		res, err := tx.exec(`INSERT INTO ordering_payments(order_id, provider, trade_no, amount_fen, created_at) VALUES(?,?,?,?,?)`,
			p.OrderID, p.Provider, p.TradeNo, p.AmountFen, ms(tx.now))
		if err != nil {
			return err
		}
		p.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// SetOrderingPaymentProviderNo keeps the provider's number of an attempt.
func (db *DB) SetOrderingPaymentProviderNo(ctx context.Context, tradeNo, providerTradeNo string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE ordering_payments SET provider_trade_no = ? WHERE trade_no = ? AND provider_trade_no = ''`, providerTradeNo, tradeNo)
		return err
	})
}

// OrderingPaymentByTradeNo is the attempt with our trade number.
func (db *DB) OrderingPaymentByTradeNo(ctx context.Context, tradeNo string) (*OrderingPayment, error) {
	return scanPayment(db.readRow(ctx, `SELECT `+paymentColumns+` FROM ordering_payments WHERE trade_no = ?`, tradeNo))
}

// OrderingPayments are an order's attempts, oldest first.
func (db *DB) OrderingPayments(ctx context.Context, orderID int64) ([]*OrderingPayment, error) {
	rows, err := db.readQuery(ctx, `SELECT `+paymentColumns+` FROM ordering_payments WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*OrderingPayment
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PaymentOutcome is what a signed query of the provider said.
type PaymentOutcome struct {
	TradeNo         string
	Paid            bool // false: failed for good
	ProviderTradeNo string
	ChannelTxn      string
	PaidAt          time.Time
	Detail          string
}

// Applied says what applying an outcome did.
type Applied int

const (
	// AppliedNothing: the attempt already had that outcome (a repeated
	// notification, the query and the notification at once).
	AppliedNothing Applied = iota
	// AppliedOrderPaid: the order moved from 0 to 1: hand it to the flow.
	AppliedOrderPaid
	// AppliedRefund: paid, but the order was closed or paid by another
	// attempt: a refund row was added.
	AppliedRefund
	// AppliedFailed: the attempt failed for good.
	AppliedFailed
)

// ApplyOrderingPayment applies an outcome in one write, so that however
// many notifications and queries race, an attempt is paid once and an
// order moves to 1 once; a payment that finds the order closed or already
// paid gets a refund row (reason "late" or "duplicate").
func (db *DB) ApplyOrderingPayment(ctx context.Context, out PaymentOutcome, refundNo string) (applied Applied, p *OrderingPayment, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		applied = AppliedNothing
		var err error
		p, err = scanPayment(tx.queryRow(`SELECT `+paymentColumns+` FROM ordering_payments WHERE trade_no = ?`, out.TradeNo))
		if err != nil {
			return err
		}
		if !out.Paid {
			res, err := tx.exec(`UPDATE ordering_payments SET state = 'failed', detail = ? WHERE id = ? AND state = 'pending'`, out.Detail, p.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				applied, p.State = AppliedFailed, PaymentFailed
			}
			return nil
		}
		paidAt := out.PaidAt
		if paidAt.IsZero() {
			paidAt = tx.now
		}
		// failed → paid happens too: a closed 收钱吧 order the customer
		// paid meanwhile; the money is in, so it counts.
		res, err := tx.exec(`UPDATE ordering_payments SET state = 'paid', provider_trade_no = CASE WHEN ? <> '' THEN ? ELSE provider_trade_no END,
			channel_txn = ?, detail = ?, paid_at = ? WHERE id = ? AND state <> 'paid'`,
			out.ProviderTradeNo, out.ProviderTradeNo, out.ChannelTxn, out.Detail, ms(paidAt), p.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		p.State, p.PaidAt, p.ChannelTxn = PaymentPaid, paidAt, out.ChannelTxn
		res, err = tx.exec(`UPDATE ordering_orders SET status = 1, paid_at = ?, updated_at = ? WHERE id = ? AND status = 0`, ms(tx.now), ms(tx.now), p.OrderID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			applied = AppliedOrderPaid
			return nil
		}
		var status int
		var orderPaid int64
		if err := tx.queryRow(`SELECT status, paid_at FROM ordering_orders WHERE id = ?`, p.OrderID).Scan(&status, &orderPaid); err != nil {
			return err
		}
		reason := "late"
		if orderPaid != 0 {
			reason = "duplicate"
		}
		applied = AppliedRefund
		return tx.addOrderingRefund(p, refundNo, reason)
	})
	return applied, p, err
}

// UnpaidOrderingOrders are orders at status 0 created before cutoff.
func (db *DB) UnpaidOrderingOrders(ctx context.Context, cutoff time.Time, limit int) ([]*OrderingOrder, error) {
	return db.orderingList(ctx, `WHERE status = 0 AND created_at < ? ORDER BY id LIMIT ?`, ms(cutoff), limit)
}

// CloseUnpaidOrderingOrder moves an order from 0 to -1 when none of its
// attempts is still pending (each was closed at the provider first).
func (db *DB) CloseUnpaidOrderingOrder(ctx context.Context, orderID int64, note string) (closed bool, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		var pending int
		if err := tx.queryRow(`SELECT count(*) FROM ordering_payments WHERE order_id = ? AND state = 'pending'`, orderID).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			closed = false
			return nil
		}
		res, err := tx.exec(`UPDATE ordering_orders SET status = -1, status_note = ?, updated_at = ? WHERE id = ? AND status = 0`, note, ms(tx.now), orderID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		closed = n > 0
		return err
	})
	return closed, err
}

// OrderingOrdersOfCustomer are a customer's orders at the restaurant,
// newest first (§6.1's takeout list: a login sees only its own).
func (db *DB) OrderingOrdersOfCustomer(ctx context.Context, restaurantID, customerID int64, onlyStatus string) ([]*OrderingOrder, error) {
	where := `WHERE customer_id = ? AND restaurant_id = ?`
	switch onlyStatus {
	case "finished":
		where += ` AND status = 9`
	case "unfinished":
		where += ` AND status <> 9`
	}
	return db.orderingList(ctx, where+` ORDER BY id DESC LIMIT 200`, customerID, restaurantID)
}

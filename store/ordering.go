package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// OrderingOrder is the scan-to-order channel's record of one order.
type OrderingOrder struct {
	ID            int64
	RestaurantID  int64
	StoreID       string
	TradeNo       string
	TableID       int64
	TableName     string
	EatType       int
	Status        int
	StatusNote    string
	TakeCode      string
	BusinessDay   string
	CustomerCount int
	TotalFee      int64
	ViewTokenHash string
	OrderJSON     string
	ClientAddr    string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	PlacedAt      time.Time
	CustomerID    int64     // 0: anonymous (schema 13)
	PaidType      int       // seed §6.5: 1 offline, 2 WeChat, 3 member card
	PaidAt        time.Time // zero until paid online
}

// NewOrderingOrder is what a create hands in: the order and its keys.
type NewOrderingOrder struct {
	Order OrderingOrder // ID, TradeNo, TakeCode, CreatedAt are filled in
	// IdemKey and BodyHash: the page's Idempotency-Key and a hash of the body.
	IdemKey  string
	BodyHash string
	// TakeCode: give the order a take code, from TakeCodeStart on each day.
	TakeCode      bool
	TakeCodeStart int
	// RealTable: count the table's open orders against OpenCap and open its meal.
	RealTable bool
	OpenCap   int
	// MealIdle: a table's meal ends after this long without an order.
	MealIdle time.Duration
}

// Errors of CreateOrderingOrder.
var (
	// ErrIdempotencyConflict: the key was used with another body.
	ErrIdempotencyConflict = errors.New("idempotency key used with another body")
	// ErrTableFull: the table has as many open orders as it may.
	ErrTableFull = errors.New("too many open orders at this table")
)

// OrderingOpenStatuses are the seed statuses of an order not finished.
const orderingOpen = "(0, 1, 2, 3, 4, 5)"

const orderingColumns = `id, restaurant_id, store_id, trade_no, table_id, table_name, eat_type, status, status_note,
	take_code, business_day, customer_count, total_fee, view_token_hash, order_json, client_addr, created_at, updated_at, placed_at,
	customer_id, paid_type, paid_at`

func scanOrderingOrder(r rowScanner) (*OrderingOrder, error) {
	var o OrderingOrder
	var created, updated, placed, paid int64
	err := r.Scan(&o.ID, &o.RestaurantID, &o.StoreID, &o.TradeNo, &o.TableID, &o.TableName, &o.EatType, &o.Status, &o.StatusNote,
		&o.TakeCode, &o.BusinessDay, &o.CustomerCount, &o.TotalFee, &o.ViewTokenHash, &o.OrderJSON, &o.ClientAddr, &created, &updated, &placed,
		&o.CustomerID, &o.PaidType, &paid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	o.CreatedAt, o.UpdatedAt, o.PlacedAt, o.PaidAt = fromMS(created), fromMS(updated), fromMS(placed), fromMS(paid)
	return &o, nil
}

// CreateOrderingOrder stores a new order in one transaction with its
// idempotency key, take code and trade_no. A key already used with the
// same body returns that order and replay = true; with another body
// ErrIdempotencyConflict. A real table at its cap of open orders gives
// ErrTableFull.
func (db *DB) CreateOrderingOrder(ctx context.Context, n NewOrderingOrder) (rec *OrderingOrder, replay bool, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		rec, replay = nil, false
		if n.IdemKey != "" {
			var hash string
			var id int64
			err := tx.queryRow(`SELECT body_hash, order_id FROM ordering_idempotency WHERE restaurant_id = ? AND key = ?`,
				n.Order.RestaurantID, n.IdemKey).Scan(&hash, &id)
			switch {
			case err == nil && hash != n.BodyHash:
				return ErrIdempotencyConflict
			case err == nil:
				o, err := scanOrderingOrder(tx.queryRow(`SELECT `+orderingColumns+` FROM ordering_orders WHERE id = ?`, id))
				rec, replay = o, true
				return err
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
		}
		o := n.Order
		now := tx.now
		if n.RealTable {
			var open int
			if err := tx.queryRow(`SELECT count(*) FROM ordering_orders WHERE restaurant_id = ? AND table_id = ? AND status IN `+orderingOpen,
				o.RestaurantID, o.TableID).Scan(&open); err != nil {
				return err
			}
			if open >= n.OpenCap {
				return ErrTableFull
			}
			if _, err := tx.exec(`INSERT INTO ordering_tables(restaurant_id, table_id, meal_started_at, last_order_at) VALUES(?,?,?,?)
				ON CONFLICT(restaurant_id, table_id) DO UPDATE SET
				  meal_started_at = CASE WHEN last_order_at < ? THEN excluded.meal_started_at ELSE meal_started_at END,
				  last_order_at = excluded.last_order_at`,
				o.RestaurantID, o.TableID, ms(now), ms(now), ms(now.Add(-n.MealIdle))); err != nil {
				return err
			}
		}
		if n.TakeCode {
			var last int
			err := tx.queryRow(`INSERT INTO ordering_take_codes(restaurant_id, business_day, last_code) VALUES(?,?,?)
				ON CONFLICT(restaurant_id, business_day) DO UPDATE SET last_code = last_code + 1 RETURNING last_code`,
				o.RestaurantID, o.BusinessDay, n.TakeCodeStart).Scan(&last)
			if err != nil {
				return err
			}
			o.TakeCode = strconv.Itoa(last)
		}
		tradeNo, err := tx.freeTradeNo(o.RestaurantID, now)
		if err != nil {
			return err
		}
		o.TradeNo, o.CreatedAt, o.UpdatedAt = tradeNo, now, now
		res, err := tx.exec(`INSERT INTO ordering_orders(restaurant_id, store_id, trade_no, table_id, table_name, eat_type, status, status_note,
			take_code, business_day, customer_count, total_fee, view_token_hash, order_json, client_addr, created_at, updated_at,
			customer_id, paid_type)
			VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			o.RestaurantID, o.StoreID, o.TradeNo, o.TableID, o.TableName, o.EatType, o.Status, o.StatusNote,
			o.TakeCode, o.BusinessDay, o.CustomerCount, o.TotalFee, o.ViewTokenHash, o.OrderJSON, o.ClientAddr, ms(now), ms(now),
			o.CustomerID, o.PaidType)
		if err != nil {
			return err
		}
		if o.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if n.IdemKey != "" {
			if _, err := tx.exec(`INSERT INTO ordering_idempotency(restaurant_id, key, body_hash, order_id, created_at) VALUES(?,?,?,?,?)`,
				o.RestaurantID, n.IdemKey, n.BodyHash, o.ID, ms(now)); err != nil {
				return err
			}
		}
		rec = &o
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return rec, replay, nil
}

// freeTradeNo is the seed's pattern, the restaurant id followed by the
// time in Unix milliseconds, moved on by a millisecond while it equals a
// stored order's code of any source.
func (tx *Tx) freeTradeNo(restaurantID int64, now time.Time) (string, error) {
	for t := now.UnixMilli(); ; t++ {
		code := strconv.FormatInt(restaurantID, 10) + strconv.FormatInt(t, 10)
		var n int
		if err := tx.queryRow(`SELECT (SELECT count(*) FROM ordering_orders WHERE trade_no = ?) + (SELECT count(*) FROM orders WHERE code = ?)`,
			code, code).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return code, nil
		}
	}
}

// OrderingOrder reads one order by its id (ErrNotFound when none).
func (db *DB) OrderingOrder(ctx context.Context, id int64) (*OrderingOrder, error) {
	return scanOrderingOrder(db.readRow(ctx, `SELECT `+orderingColumns+` FROM ordering_orders WHERE id = ?`, id))
}

// OrderingOrderByTradeNo reads one order by its trade_no.
func (db *DB) OrderingOrderByTradeNo(ctx context.Context, tradeNo string) (*OrderingOrder, error) {
	return scanOrderingOrder(db.readRow(ctx, `SELECT `+orderingColumns+` FROM ordering_orders WHERE trade_no = ?`, tradeNo))
}

// OrderingOrdersByTakeCode lists the orders of a business day with a take
// code (several restaurants may share a day's number).
func (db *DB) OrderingOrdersByTakeCode(ctx context.Context, day, takeCode string) ([]*OrderingOrder, error) {
	return db.orderingList(ctx, `WHERE business_day = ? AND take_code = ? ORDER BY id`, day, takeCode)
}

// OrderingOrdersAtTable lists a table's orders created since, newest first.
func (db *DB) OrderingOrdersAtTable(ctx context.Context, restaurantID, tableID int64, since time.Time, onlyStatus string) ([]*OrderingOrder, error) {
	where := `WHERE restaurant_id = ? AND table_id = ? AND created_at >= ?`
	switch onlyStatus {
	case "finished":
		where += ` AND status = 9`
	case "unfinished":
		where += ` AND status <> 9`
	}
	return db.orderingList(ctx, where+` ORDER BY id DESC LIMIT 200`, restaurantID, tableID, ms(since))
}

// UnplacedOrderingOrders are the orders not yet handed to the flow; one
// waiting for its online payment (0) or closed unpaid (-1) is not handed
// over (never printed).
func (db *DB) UnplacedOrderingOrders(ctx context.Context, limit int) ([]*OrderingOrder, error) {
	return db.orderingList(ctx, `WHERE placed_at = 0 AND status NOT IN (0, -1) ORDER BY id LIMIT ?`, limit)
}

// OrderingAwaiting lists the orders still waiting for the store (status 1)
// since before cutoff (created, or paid online).
func (db *DB) OrderingAwaiting(ctx context.Context, cutoff time.Time) ([]*OrderingOrder, error) {
	return db.orderingList(ctx, `WHERE status = 1 AND max(created_at, paid_at) < ? ORDER BY id LIMIT 500`, ms(cutoff))
}

func (db *DB) orderingList(ctx context.Context, clause string, args ...any) ([]*OrderingOrder, error) {
	rows, err := db.readQuery(ctx, `SELECT `+orderingColumns+` FROM ordering_orders `+clause, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*OrderingOrder
	for rows.Next() {
		o, err := scanOrderingOrder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// MarkOrderingPlaced records that the order is in the flow.
func (db *DB) MarkOrderingPlaced(ctx context.Context, id int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE ordering_orders SET placed_at = ? WHERE id = ? AND placed_at = 0`, ms(tx.now), id)
		return err
	})
}

// SetOrderingStatus moves an order to status with the sentence the phone
// shows. from lists the statuses it may move from (none = any); changed is
// false when the order was elsewhere.
func (db *DB) SetOrderingStatus(ctx context.Context, id int64, status int, note string, from ...int) (changed bool, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		q := `UPDATE ordering_orders SET status = ?, status_note = ?, updated_at = ? WHERE id = ? AND status <> ?`
		args := []any{status, note, ms(tx.now), id, status}
		if len(from) > 0 {
			q += ` AND status IN (`
			for i, f := range from {
				if i > 0 {
					q += ","
				}
				q += "?"
				args = append(args, f)
			}
			q += ")"
		}
		res, err := tx.exec(q, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		changed = n > 0
		return err
	})
	return changed, err
}

// TableMealOpen reports whether a real table's meal is open: an order
// within idle (开台消费 was charged on it).
func (db *DB) TableMealOpen(ctx context.Context, restaurantID, tableID int64, now time.Time, idle time.Duration) (bool, error) {
	var last int64
	err := db.readRow(ctx, `SELECT last_order_at FROM ordering_tables WHERE restaurant_id = ? AND table_id = ?`, restaurantID, tableID).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return last >= ms(now.Add(-idle)), nil
}

// ClearTable ends a table's meal (the guests left): the next order opens a
// new one.
func (db *DB) ClearTable(ctx context.Context, restaurantID, tableID int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`DELETE FROM ordering_tables WHERE restaurant_id = ? AND table_id = ?`, restaurantID, tableID)
		return err
	})
}

// PruneOrdering deletes idempotency keys and take-code counters older than
// before (orders go with the retention of the orders table).
func (db *DB) PruneOrdering(ctx context.Context, before time.Time) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`DELETE FROM ordering_idempotency WHERE created_at < ?`, ms(before)); err != nil {
			return err
		}
		_, err := tx.exec(`DELETE FROM ordering_take_codes WHERE business_day < ?`, before.Format("2006-01-02"))
		if err != nil {
			return fmt.Errorf("prune take codes: %w", err)
		}
		return nil
	})
}

// OrderingIdempotencyKey reads a create's key: the hash of the body it came
// with and its order (ErrNotFound when the key is new).
func (db *DB) OrderingIdempotencyKey(ctx context.Context, restaurantID int64, key string) (bodyHash string, orderID int64, err error) {
	err = db.readRow(ctx, `SELECT body_hash, order_id FROM ordering_idempotency WHERE restaurant_id = ? AND key = ?`, restaurantID, key).
		Scan(&bodyHash, &orderID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, ErrNotFound
	}
	return bodyHash, orderID, err
}

// maxViewTokens bounds the tokens an order keeps: each repeat of its create
// (a page that lost the reply) gets one; the oldest goes first.
const maxViewTokens = 4

// AddOrderingViewToken adds a view_token hash to an order.
func (db *DB) AddOrderingViewToken(ctx context.Context, id int64, hash string) error {
	return db.Write(ctx, func(tx *Tx) error {
		var have string
		if err := tx.queryRow(`SELECT view_token_hash FROM ordering_orders WHERE id = ?`, id).Scan(&have); err != nil {
			return err
		}
		list := append(strings.Fields(have), hash)
		if len(list) > maxViewTokens {
			list = list[len(list)-maxViewTokens:]
		}
		_, err := tx.exec(`UPDATE ordering_orders SET view_token_hash = ? WHERE id = ?`, strings.Join(list, " "), id)
		return err
	})
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// WeChatPaySync is one status of one scan-to-order order reported to
// WeChat Pay (schema 14): CREATE_DEAL or PAY_SUCCESS.
type WeChatPaySync struct {
	OrderCode string
	Action    string // CREATE_DEAL | PAY_SUCCESS
	State     string // the WeChatPaySync* states
	Reason    string // why not syncable, or the class of the last failure
	Message   string // for staff
	Error     string // the last error, for support
	Snapshot  string // what the body was built from (JSON)
	Body      []byte // the exact bytes sent, the same on every retry
	Attempts  int
	NextAt    time.Time // no call before it; zero = any time
	RequestID string
	CreatedAt time.Time
	UpdatedAt time.Time
	DoneAt    time.Time
}

// States of a WeChatPaySync.
const (
	WeChatPaySyncPending     = "pending"      // queued or being retried
	WeChatPaySyncDone        = "done"         // WeChat Pay answered a verified 2xx
	WeChatPaySyncFailed      = "failed"       // refused for good (PARAM_ERROR); a staff retry starts over
	WeChatPaySyncNotSyncable = "not_syncable" // never sent: Reason says why
)

// maxSyncError bounds the stored error text: it may quote WeChat Pay.
const maxSyncError = 2000

const wechatPaySyncColumns = `order_code, action, state, reason, message, error, snapshot, COALESCE(body, x''), attempts, next_at,
	request_id, created_at, updated_at, done_at`

func scanWeChatPaySync(row interface{ Scan(...any) error }) (*WeChatPaySync, error) {
	var s WeChatPaySync
	var next, created, updated, done int64
	err := row.Scan(&s.OrderCode, &s.Action, &s.State, &s.Reason, &s.Message, &s.Error, &s.Snapshot, &s.Body, &s.Attempts, &next,
		&s.RequestID, &created, &updated, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	s.NextAt, s.CreatedAt, s.UpdatedAt, s.DoneAt = fromMS(next), fromMS(created), fromMS(updated), fromMS(done)
	return &s, nil
}

// SetOrderingOrderCustomer records the logged-in customer who placed a
// scan-to-order order (ordering_orders.customer_id, which the create writes
// for a logged-in customer). The first one stays: a create replayed under
// another login does not change who placed it.
func (tx *Tx) SetOrderingOrderCustomer(orderCode string, customerID int64) error {
	_, err := tx.exec(`UPDATE ordering_orders SET customer_id = ? WHERE trade_no = ? AND customer_id = 0`, customerID, orderCode)
	return err
}

// OrderingOrderCustomer is the customer who placed the order; false when
// it was placed without a login.
func (db *DB) OrderingOrderCustomer(ctx context.Context, orderCode string) (int64, bool, error) {
	var id int64
	err := db.reader.QueryRowContext(ctx, `SELECT customer_id FROM ordering_orders WHERE trade_no = ?`, orderCode).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil && id != 0, err
}

// WeChatPaySync is the sync of the order's action.
func (db *DB) WeChatPaySync(ctx context.Context, orderCode, action string) (*WeChatPaySync, error) {
	return scanWeChatPaySync(db.reader.QueryRowContext(ctx, `SELECT `+wechatPaySyncColumns+` FROM wechatpay_syncs
		WHERE order_code = ? AND action = ?`, orderCode, action))
}

// WeChatPaySyncs are the order's syncs, CREATE_DEAL first.
func (db *DB) WeChatPaySyncs(ctx context.Context, orderCode string) ([]*WeChatPaySync, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT `+wechatPaySyncColumns+` FROM wechatpay_syncs WHERE order_code = ?
		ORDER BY action = 'PAY_SUCCESS', created_at`, orderCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*WeChatPaySync
	for rows.Next() {
		s, err := scanWeChatPaySync(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// QueueWeChatPaySync stores a sync before its first send: its snapshot and
// body, or (state not_syncable) why it is never sent. A row already there
// is kept as it is and returned with queued false: the snapshot of the
// first queueing is the one every retry sends.
func (tx *Tx) QueueWeChatPaySync(s WeChatPaySync) (cur *WeChatPaySync, queued bool, err error) {
	res, err := tx.exec(`INSERT INTO wechatpay_syncs (order_code, action, state, reason, message, snapshot, body, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_code, action) DO NOTHING`,
		s.OrderCode, s.Action, s.State, s.Reason, s.Message, s.Snapshot, s.Body, ms(tx.now), ms(tx.now))
	if err != nil {
		return nil, false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, false, err
	}
	cur, err = scanWeChatPaySync(tx.queryRow(`SELECT `+wechatPaySyncColumns+` FROM wechatpay_syncs WHERE order_code = ? AND action = ?`,
		s.OrderCode, s.Action))
	return cur, n == 1, err
}

// UpdateWeChatPaySyncBody replaces the snapshot and body of a pending sync
// (a refreshed login_token is the only reason).
func (tx *Tx) UpdateWeChatPaySyncBody(orderCode, action, snapshot string, body []byte) error {
	_, err := tx.exec(`UPDATE wechatpay_syncs SET snapshot = ?, body = ?, updated_at = ? WHERE order_code = ? AND action = ? AND state = ?`,
		snapshot, body, ms(tx.now), orderCode, action, WeChatPaySyncPending)
	return err
}

// MarkWeChatPaySyncDone records WeChat Pay's verified acceptance.
func (tx *Tx) MarkWeChatPaySyncDone(orderCode, action, requestID string) error {
	_, err := tx.exec(`UPDATE wechatpay_syncs SET state = ?, attempts = attempts + 1, reason = '', message = '', error = '',
		request_id = ?, updated_at = ?, done_at = ? WHERE order_code = ? AND action = ?`,
		WeChatPaySyncDone, requestID, ms(tx.now), ms(tx.now), orderCode, action)
	return err
}

// MarkWeChatPaySyncFailed records a failed attempt: state pending (it will
// be retried, not before next) or failed (never again by itself).
func (tx *Tx) MarkWeChatPaySyncFailed(orderCode, action, state, class, message, errText string, next time.Time) error {
	if len(errText) > maxSyncError {
		errText = errText[:maxSyncError]
	}
	_, err := tx.exec(`UPDATE wechatpay_syncs SET state = ?, attempts = attempts + 1, reason = ?, message = ?, error = ?,
		next_at = ?, updated_at = ? WHERE order_code = ? AND action = ? AND state = ?`,
		state, class, message, errText, ms(next), ms(tx.now), orderCode, action, WeChatPaySyncPending)
	return err
}

// RestartWeChatPaySync forgets a failed or not-syncable sync, so that the
// next attempt builds it again from the order and the configuration as
// they are now (a staff retry after the installer fixed something). A
// pending sync is only made due now. It returns false when there is no
// such sync or it is done.
func (tx *Tx) RestartWeChatPaySync(orderCode, action string) (bool, error) {
	res, err := tx.exec(`DELETE FROM wechatpay_syncs WHERE order_code = ? AND action = ? AND state IN (?, ?)`,
		orderCode, action, WeChatPaySyncFailed, WeChatPaySyncNotSyncable)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return true, nil
	}
	res, err = tx.exec(`UPDATE wechatpay_syncs SET next_at = 0, updated_at = ? WHERE order_code = ? AND action = ? AND state = ?`,
		ms(tx.now), orderCode, action, WeChatPaySyncPending)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// pruneWeChatPaySyncs removes the syncs of pruned orders (in is "(?,…)"
// for codes): their bodies hold page tokens, kept no longer than the order.
func (tx *Tx) pruneWeChatPaySyncs(in string, codes []any) error {
	_, err := tx.exec(`DELETE FROM wechatpay_syncs WHERE order_code IN `+in, codes...)
	return err
}

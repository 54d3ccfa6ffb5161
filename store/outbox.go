package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/posbridge/posbridge/internal/txid"
	"github.com/posbridge/posbridge/order"
)

// OutboxRow is one platform call (invariant 2): written first, then sent,
// and retried until it succeeds or cannot succeed. Each attempt goes out
// under a transaction id of its own (TxIDs); a retry is sent only after the
// order's status says the platform has not done it yet (bridge/outbox.go).
type OutboxRow struct {
	ID    int64
	TxID  string   // x-transaction-id of the first attempt: the row's name
	TxIDs []string // every attempt's x-transaction-id, oldest first
	Kind  string   // status_operation | refund_operation | cancel | submit
	Op    string   // what it means to staff: accept, reject, made, complete, deliver, refund_approve, …
	// Lane: calls in one lane go out in order. Lanes are per destination
	// and order (<destination>:<order code>, or pos:<id>), so that a
	// reporter's calls never wait behind a failing platform call.
	Lane      string
	OrderCode string
	// Source is the source of the order the call is about; Destination
	// is who it goes to: the order's channel, or a reporter. Empty: 开个店.
	Source      order.Source
	Destination string
	Payload     []byte // the request, JSON
	State       string // pending | done | failed | moot
	Attempts    int
	NextAt      time.Time
	LastError   string
	Result      string // JSON result of a successful call (submit: the orderCode)
	Actor       string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DoneAt      time.Time
}

// Outbox states.
const (
	OutboxPending = "pending"
	OutboxDone    = "done"
	OutboxFailed  = "failed" // the platform refused and retrying cannot help
	OutboxMoot    = "moot"   // no longer needed (the order was cancelled meanwhile)
)

// NewTxID makes a fresh x-transaction-id (a random UUID v4).
func NewTxID() string { return txid.New() }

// EnqueueOutbox writes a call to be sent. TxID and Lane are filled in when empty.
func (tx *Tx) EnqueueOutbox(r OutboxRow) (int64, error) {
	if r.TxID == "" {
		r.TxID = NewTxID()
	}
	r.Source = r.Source.Or(order.SourceKaigedian)
	if r.Destination == "" {
		r.Destination = string(r.Source)
	}
	if r.Lane == "" && r.OrderCode != "" {
		r.Lane = r.Destination + ":" + r.OrderCode
	}
	if r.Lane == "" {
		return 0, errors.New("outbox row needs an order code or a lane")
	}
	res, err := tx.exec(`INSERT INTO outbox(tx_id, tx_ids, kind, op, lane, order_code, payload, state, next_at, actor, created_at, updated_at,
		source, destination) VALUES(?,?,?,?,?,?,?,'pending',?,?,?,?,?,?)`, r.TxID, r.TxID, r.Kind, r.Op, r.Lane, r.OrderCode,
		string(r.Payload), ms(r.NextAt), r.Actor, ms(tx.now), ms(tx.now), string(r.Source), r.Destination)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

const outboxColumns = `id, tx_id, tx_ids, kind, op, lane, order_code, payload, state, attempts, next_at, last_error, result, actor,
	created_at, updated_at, done_at, source, destination`

func scanOutbox(r rowScanner) (*OutboxRow, error) {
	var o OutboxRow
	var payload, txIDs string
	var next, created, updated, done int64
	err := r.Scan(&o.ID, &o.TxID, &txIDs, &o.Kind, &o.Op, &o.Lane, &o.OrderCode, &payload, &o.State, &o.Attempts, &next,
		&o.LastError, &o.Result, &o.Actor, &created, &updated, &done, &o.Source, &o.Destination)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	o.Payload = []byte(payload)
	o.TxIDs = strings.Fields(txIDs)
	if len(o.TxIDs) == 0 {
		o.TxIDs = []string{o.TxID}
	}
	o.NextAt, o.CreatedAt, o.UpdatedAt, o.DoneAt = fromMS(next), fromMS(created), fromMS(updated), fromMS(done)
	return &o, nil
}

// LastTxID is the transaction id of the row's newest attempt.
func (o *OutboxRow) LastTxID() string { return o.TxIDs[len(o.TxIDs)-1] }

// NewOutboxAttempt gives the row's next attempt a fresh transaction id,
// written before the call goes out so that every id the platform may see
// belongs to its row.
func (tx *Tx) NewOutboxAttempt(id int64) (string, error) {
	txID := NewTxID()
	res, err := tx.exec(`UPDATE outbox SET tx_ids = tx_ids || ' ' || ?, updated_at = ? WHERE id = ? AND state = 'pending'`, txID, ms(tx.now), id)
	if err != nil {
		return "", err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", ErrNotFound
	}
	return txID, nil
}

// MaxOutboxID is the newest row's id (0 when none): rows up to it may have
// been sent by a process that stopped before recording the answer.
func (db *DB) MaxOutboxID(ctx context.Context) (int64, error) {
	var id int64
	err := db.readRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM outbox`).Scan(&id)
	return id, err
}

func (db *DB) outboxQuery(ctx context.Context, query string, args ...any) ([]*OutboxRow, error) {
	rows, err := db.readQuery(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*OutboxRow
	for rows.Next() {
		o, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// DueOutbox returns pending rows that may be sent now: due, and the oldest
// pending row of their lane (accept before made before completed). A row
// scheduled further ahead than maxWait is due too: the wall clock jumped
// backwards, and a retry must not stall for the size of the jump.
func (db *DB) DueOutbox(ctx context.Context, now time.Time, maxWait time.Duration, limit int) ([]*OutboxRow, error) {
	return db.outboxQuery(ctx, `SELECT `+outboxColumns+` FROM outbox o
		WHERE o.state = 'pending' AND (o.next_at <= ? OR o.next_at > ?)
		  AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.lane = o.lane AND p.state = 'pending' AND p.id < o.id)
		ORDER BY o.id LIMIT ?`, ms(now), ms(now.Add(maxWait)), limit)
}

// NextOutboxAt is the earliest next_at of a pending row (zero when none).
func (db *DB) NextOutboxAt(ctx context.Context) (time.Time, error) {
	var v sql.NullInt64
	err := db.readRow(ctx, `SELECT MIN(next_at) FROM outbox WHERE state = 'pending'`).Scan(&v)
	if err != nil || !v.Valid {
		return time.Time{}, err
	}
	return fromMS(v.Int64), nil
}

// GetOutbox reads one row.
func (db *DB) GetOutbox(ctx context.Context, id int64) (*OutboxRow, error) {
	return scanOutbox(db.readRow(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
}

// GetOutbox reads one row inside a transaction.
func (tx *Tx) GetOutbox(id int64) (*OutboxRow, error) {
	return scanOutbox(tx.queryRow(`SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
}

// OutboxFilter selects rows for the console.
type OutboxFilter struct {
	States    []string
	OrderCode string
	Kind      string
	Limit     int
}

// ListOutbox returns rows, newest first.
func (db *DB) ListOutbox(ctx context.Context, f OutboxFilter) ([]*OutboxRow, error) {
	q := `SELECT ` + outboxColumns + ` FROM outbox WHERE 1=1`
	var args []any
	if len(f.States) > 0 {
		q += " AND state IN (" + placeholders(len(f.States)) + ")"
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	if f.OrderCode != "" {
		q += " AND order_code = ?"
		args = append(args, f.OrderCode)
	}
	if f.Kind != "" {
		q += " AND kind = ?"
		args = append(args, f.Kind)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	q += " ORDER BY id DESC LIMIT ?"
	return db.outboxQuery(ctx, q, append(args, limit)...)
}

// MarkOutboxDone records success with the platform's result.
func (tx *Tx) MarkOutboxDone(id int64, result string) error {
	_, err := tx.exec(`UPDATE outbox SET state='done', attempts=attempts+1, result=?, last_error='', updated_at=?, done_at=? WHERE id=?`,
		result, ms(tx.now), ms(tx.now), id)
	return err
}

// MarkOutboxRetry records a failed attempt and when to try again.
func (tx *Tx) MarkOutboxRetry(id int64, reason string, next time.Time) error {
	_, err := tx.exec(`UPDATE outbox SET attempts=attempts+1, last_error=?, next_at=?, updated_at=? WHERE id=? AND state='pending'`,
		reason, ms(next), ms(tx.now), id)
	return err
}

// MarkOutboxFinal ends a row that will never be sent again (failed or moot).
func (tx *Tx) MarkOutboxFinal(id int64, state, reason string) error {
	_, err := tx.exec(`UPDATE outbox SET state=?, attempts=attempts+?, last_error=?, updated_at=?, done_at=? WHERE id=?`,
		state, boolInt(state == OutboxFailed), reason, ms(tx.now), ms(tx.now), id)
	return err
}

// RetryOutboxNow makes a pending or failed row due immediately (staff retry).
func (tx *Tx) RetryOutboxNow(id int64) error {
	res, err := tx.exec(`UPDATE outbox SET state='pending', next_at=?, updated_at=?, done_at=0 WHERE id=? AND state IN ('pending','failed')`,
		ms(tx.now), ms(tx.now), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// MootPendingOutbox ends every pending call of an order to its own channel
// whose op is in ops (e.g. a made call for an order that was cancelled
// meanwhile). Reporters' calls are never moot: they report the cancel too.
func (tx *Tx) MootPendingOutbox(orderCode string, ops []string, reason string) (int64, error) {
	if len(ops) == 0 {
		return 0, nil
	}
	args := []any{reason, ms(tx.now), ms(tx.now), orderCode}
	for _, op := range ops {
		args = append(args, op)
	}
	res, err := tx.exec(`UPDATE outbox SET state='moot', last_error=?, updated_at=?, done_at=?
		WHERE order_code=? AND state='pending' AND destination = source AND op IN (`+placeholders(len(ops))+`)`, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// OutboxStats counts rows by state.
func (db *DB) OutboxStats(ctx context.Context) (map[string]int, error) {
	return db.countBy(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, 0, 2*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}

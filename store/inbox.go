package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/posbridge/posbridge/order"
)

// InboxItem is one raw announcement waiting to be applied.
type InboxItem struct {
	ID int64
	// Source is the channel whose decoder reads the item (empty: 开个店).
	Source    order.Source
	Kind      string
	OrderCode string
	Body      []byte
	Signed    bool // the envelope's sign verified with platform.public_key_file
	// TokenChecked: the push carried push.token. Signed or TokenChecked
	// make a push authenticated; the bridge confirms what any other push
	// claims before acting on it.
	TokenChecked bool
	Remote       string
	ReceivedAt   time.Time
	Attempts     int
	State        string
	Error        string
	DoneAt       time.Time // when it was applied (or failed): the applying transaction's time
}

// PendingInbox moves what landed into the inbox (MoveLanded) and returns up
// to limit unprocessed items, oldest first.
func (db *DB) PendingInbox(ctx context.Context, limit int) ([]InboxItem, error) {
	if _, err := db.MoveLanded(ctx); err != nil {
		return nil, err
	}
	return db.inboxQuery(ctx, `WHERE state = 'pending' ORDER BY id LIMIT ?`, limit)
}

// ListInbox returns the newest items, whatever their state, pushes still in
// the landing included (as pending).
func (db *DB) ListInbox(ctx context.Context, limit int) ([]InboxItem, error) {
	// The landing first: a push moved meanwhile is then found in the inbox
	// (and seen twice, once dropped), never in neither.
	landed, err := db.landing.landed(ctx, 0, limit, true)
	if err != nil {
		return nil, err
	}
	items, err := db.inboxQuery(ctx, `ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	var top int64
	if len(items) > 0 {
		top = items[0].ID
	}
	var out []InboxItem
	for _, it := range landed {
		if it.ID > top {
			out = append(out, it)
		}
	}
	out = append(out, items...)
	return out[:min(len(out), limit)], nil
}

func (db *DB) inboxQuery(ctx context.Context, clause string, args ...any) ([]InboxItem, error) {
	rows, err := db.readQuery(ctx, `SELECT id, kind, order_code, body, signed, remote, received_at, attempts, state, error, done_at, source
		FROM inbox `+clause, args...)
	if err != nil {
		return nil, err
	}
	return scanInbox(rows)
}

// scanInbox reads inbox-shaped rows and closes them.
func scanInbox(rows *sql.Rows) ([]InboxItem, error) {
	defer rows.Close()
	var out []InboxItem
	for rows.Next() {
		var it InboxItem
		var signed int
		var at, done int64
		if err := rows.Scan(&it.ID, &it.Kind, &it.OrderCode, &it.Body, &signed, &it.Remote, &at, &it.Attempts, &it.State, &it.Error, &done, &it.Source); err != nil {
			return nil, err
		}
		it.Signed, it.TokenChecked = signed&authSigned != 0, signed&authToken != 0
		it.ReceivedAt, it.DoneAt = fromMS(at), fromMS(done)
		out = append(out, it)
	}
	return out, rows.Err()
}

// insertInboxAs stores a push under the id it landed with (rowArgs); one
// already there stays as it is.
const insertInboxAs = `INSERT OR IGNORE INTO inbox(id, kind, order_code, body, signed, remote, received_at, source)
	VALUES(?,?,?,?,?,?,?,?)`

func (it InboxItem) rowArgs() []any {
	return []any{it.ID, it.Kind, it.OrderCode, it.Body, it.authBits(), it.Remote, ms(it.ReceivedAt),
		string(it.Source.Or(order.SourceKaigedian))}
}

// The signed column holds how a push was authenticated, as bits: 1 its
// sign verified (the column's first meaning, so older rows read right),
// 2 it carried push.token.
const (
	authSigned = 1
	authToken  = 2
)

func (it InboxItem) authBits() int {
	return boolInt(it.Signed)*authSigned | boolInt(it.TokenChecked)*authToken
}

// Authenticated reports whether the push proved it came from the platform.
func (it InboxItem) Authenticated() bool { return it.Signed || it.TokenChecked }

// MarkInboxDone records that an item was applied.
func (tx *Tx) MarkInboxDone(id int64) error {
	_, err := tx.exec(`UPDATE inbox SET state='done', done_at=?, error='' WHERE id=?`, ms(tx.now), id)
	return err
}

// MarkInboxFailed records why an item could not be applied. It stays in the
// inbox (state failed) for diagnosis; nothing is deleted.
func (tx *Tx) MarkInboxFailed(id int64, reason string) error {
	_, err := tx.exec(`UPDATE inbox SET state='failed', attempts=attempts+1, error=?, done_at=? WHERE id=?`, reason, ms(tx.now), id)
	return err
}

// InboxStats counts items by state; pushes still in the landing count as
// pending (a push being moved at that instant may be missed once).
func (db *DB) InboxStats(ctx context.Context) (map[string]int, error) {
	stats, err := db.countBy(ctx, `SELECT state, COUNT(*) FROM inbox GROUP BY state`)
	if err != nil {
		return nil, err
	}
	var top int64
	if err := db.readRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM inbox`).Scan(&top); err != nil {
		return nil, err
	}
	landed, err := db.landing.count(ctx, top)
	if err != nil {
		return nil, err
	}
	if landed > 0 {
		stats["pending"] += landed
	}
	return stats, nil
}

// RejectedPush is a push we refused.
type RejectedPush struct {
	ID         int64
	Kind       string
	HTTPStatus int
	Code       string
	Reason     string
	Remote     string
	Body       []byte
	BodySize   int
	ReceivedAt time.Time
}

// The rejected-push log is a ring: a short prefix of each body (enough to
// see what was sent), a reason cut to a line, and the newest
// MaxRejectedPushes entries, so whatever reaches the push port, the log
// stays under MaxRejectedPushes × (MaxRejectedBody + MaxRejectedReason)
// bytes (about 0.7 MB).
const (
	MaxRejectedBody   = 512
	MaxRejectedReason = 200
	MaxRejectedPushes = 1000
)

// RecordRejectedPush keeps a refused push for diagnosis, dropping the oldest
// entries past MaxRejectedPushes.
func (db *DB) RecordRejectedPush(ctx context.Context, r RejectedPush) error {
	size := r.BodySize
	if size == 0 {
		size = len(r.Body)
	}
	body := r.Body
	if len(body) > MaxRejectedBody {
		body = body[:MaxRejectedBody]
	}
	if body == nil {
		body = []byte{}
	}
	reason := r.Reason
	if rs := []rune(reason); len(rs) > MaxRejectedReason {
		reason = string(rs[:MaxRejectedReason]) + "…"
	}
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`INSERT INTO rejected_pushes(kind, http_status, code, reason, remote, body, body_size, received_at)
			VALUES(?,?,?,?,?,?,?,?)`, r.Kind, r.HTTPStatus, r.Code, reason, r.Remote, body, size, ms(tx.now))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		_, err = tx.exec(`DELETE FROM rejected_pushes WHERE id <= ?`, id-MaxRejectedPushes)
		return err
	})
}

// RejectedPushes returns the newest refused pushes.
func (db *DB) RejectedPushes(ctx context.Context, limit int) ([]RejectedPush, error) {
	rows, err := db.readQuery(ctx, `SELECT id, kind, http_status, code, reason, remote, body, body_size, received_at
		FROM rejected_pushes ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RejectedPush
	for rows.Next() {
		var r RejectedPush
		var at int64
		if err := rows.Scan(&r.ID, &r.Kind, &r.HTTPStatus, &r.Code, &r.Reason, &r.Remote, &r.Body, &r.BodySize, &at); err != nil {
			return nil, err
		}
		r.ReceivedAt = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

func (db *DB) countBy(ctx context.Context, query string, args ...any) (map[string]int, error) {
	rows, err := db.readQuery(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Cursor reads a named cursor (e.g. the poller's nextStartTimestamp per store).
// ok is false when it was never set.
func (db *DB) Cursor(ctx context.Context, name string) (value int64, ok bool, err error) {
	err = db.readRow(ctx, `SELECT value FROM cursors WHERE name = ?`, name).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return value, err == nil, err
}

// SetCursor moves a cursor inside the transaction that stored what it covers,
// so the cursor never runs ahead of the data.
func (tx *Tx) SetCursor(name string, value int64) error {
	_, err := tx.exec(`INSERT INTO cursors(name, value, updated_at) VALUES(?,?,?)
		ON CONFLICT(name) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at`, name, value, ms(tx.now))
	return err
}

// Meta reads a key of the meta table ("" when absent).
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.readRow(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta writes a key of the meta table.
func (tx *Tx) SetMeta(key, value string) error {
	_, err := tx.exec(`INSERT INTO meta(key, value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, key, value)
	return err
}

// Audit is one entry of the audit log: who did what.
type Audit struct {
	ID        int64
	At        time.Time
	Actor     string
	Action    string
	OrderCode string
	Detail    string
}

// AppendAudit records an action.
func (tx *Tx) AppendAudit(a Audit) error {
	_, err := tx.exec(`INSERT INTO audit(at, actor, action, order_code, detail) VALUES(?,?,?,?,?)`,
		ms(tx.now), a.Actor, a.Action, a.OrderCode, a.Detail)
	return err
}

// AuditLog returns the newest entries.
func (db *DB) AuditLog(ctx context.Context, limit int) ([]Audit, error) {
	rows, err := db.readQuery(ctx, `SELECT id, at, actor, action, order_code, detail FROM audit ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Audit
	for rows.Next() {
		var a Audit
		var at int64
		if err := rows.Scan(&a.ID, &at, &a.Actor, &a.Action, &a.OrderCode, &a.Detail); err != nil {
			return nil, err
		}
		a.At = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

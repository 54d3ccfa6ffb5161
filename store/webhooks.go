package store

import (
	"context"
	"database/sql"
	"time"
)

// WebhookDelivery is one event on its way to one receiver.
type WebhookDelivery struct {
	ID        int64
	EventID   string // the receiver's dedup key, the same on every attempt
	Hook      string // the receiver's url
	Event     string
	Body      []byte // exactly what is signed and sent
	State     string // pending | done | failed
	Attempts  int
	NextAt    time.Time
	LastError string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Webhook delivery states.
const (
	WebhookPending = "pending"
	WebhookDone    = "done"
	WebhookFailed  = "failed" // retried for the whole retry window in vain
)

// AddWebhookDelivery queues d; the same event for the same receiver twice
// is one delivery. created reports whether d was new.
func (tx *Tx) AddWebhookDelivery(d WebhookDelivery) (created bool, err error) {
	res, err := tx.exec(`INSERT OR IGNORE INTO webhook_deliveries(event_id, hook, event, body, state, next_at, created_at, updated_at)
		VALUES(?, ?, ?, ?, 'pending', ?, ?, ?)`, d.EventID, d.Hook, d.Event, string(d.Body), ms(d.NextAt), ms(tx.now), ms(tx.now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const webhookColumns = `id, event_id, hook, event, body, state, attempts, next_at, last_error, created_at, updated_at`

func scanWebhook(r rowScanner) (WebhookDelivery, error) {
	var d WebhookDelivery
	var body string
	var next, created, updated int64
	err := r.Scan(&d.ID, &d.EventID, &d.Hook, &d.Event, &body, &d.State, &d.Attempts, &next, &d.LastError, &created, &updated)
	d.Body, d.NextAt, d.CreatedAt, d.UpdatedAt = []byte(body), fromMS(next), fromMS(created), fromMS(updated)
	return d, err
}

func (db *DB) webhookRows(ctx context.Context, query string, args ...any) ([]WebhookDelivery, error) {
	rows, err := db.readQuery(ctx, `SELECT `+webhookColumns+` FROM webhook_deliveries `+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WebhookDelivery
	for rows.Next() {
		d, err := scanWebhook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DueWebhookDeliveries are hook's pending deliveries due by now, oldest first.
func (db *DB) DueWebhookDeliveries(ctx context.Context, hook string, now time.Time, limit int) ([]WebhookDelivery, error) {
	return db.webhookRows(ctx, `WHERE state = 'pending' AND hook = ? AND next_at <= ? ORDER BY id LIMIT ?`, hook, ms(now), limit)
}

// NextWebhookAt is when hook's next pending delivery is due; ok is false
// when none is pending.
func (db *DB) NextWebhookAt(ctx context.Context, hook string) (next time.Time, ok bool, err error) {
	var v sql.NullInt64
	err = db.readRow(ctx, `SELECT MIN(next_at) FROM webhook_deliveries WHERE state = 'pending' AND hook = ?`, hook).Scan(&v)
	return time.UnixMilli(v.Int64), v.Valid, err
}

// ListWebhookDeliveries is the newest deliveries in states ("" = all).
func (db *DB) ListWebhookDeliveries(ctx context.Context, state string, limit int) ([]WebhookDelivery, error) {
	if state == "" {
		return db.webhookRows(ctx, `ORDER BY id DESC LIMIT ?`, limit)
	}
	return db.webhookRows(ctx, `WHERE state = ? ORDER BY id DESC LIMIT ?`, state, limit)
}

// RecordWebhookAttempt stores the outcome of one attempt: done, or the
// error with the next try (state failed when there is none).
func (db *DB) RecordWebhookAttempt(ctx context.Context, id int64, state string, next time.Time, lastErr string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, next_at = ?, last_error = ?, updated_at = ?
			WHERE id = ? AND state = 'pending'`, state, ms(next), lastErr, ms(tx.now), id)
		return err
	})
}

// RetryWebhookDelivery sends a failed (or waiting) delivery again now.
func (db *DB) RetryWebhookDelivery(ctx context.Context, id int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE webhook_deliveries SET state = 'pending', next_at = 0, created_at = ?, updated_at = ?
			WHERE id = ? AND state <> 'done'`, ms(tx.now), ms(tx.now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// WebhookStats counts deliveries by state.
func (db *DB) WebhookStats(ctx context.Context) (map[string]int, error) {
	return db.countBy(ctx, `SELECT state, COUNT(*) FROM webhook_deliveries GROUP BY state`)
}

// WebhookHealth is one receiver's deliveries not through: how many wait
// for a retry, how many were given up, and the newest error.
type WebhookHealth struct {
	Pending, Failed int
	Delivered       int
	LastError       string
}

// WebhookHealthOf reads hook's deliveries by state and its newest error.
func (db *DB) WebhookHealthOf(ctx context.Context, hook string) (WebhookHealth, error) {
	var h WebhookHealth
	err := db.readRow(ctx, `SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'failed'), 0), COALESCE(SUM(state = 'done'), 0)
		FROM webhook_deliveries WHERE hook = ?`, hook).Scan(&h.Pending, &h.Failed, &h.Delivered)
	if err != nil {
		return h, err
	}
	err = db.readRow(ctx, `SELECT COALESCE((SELECT last_error FROM webhook_deliveries WHERE hook = ? AND state <> 'done' AND last_error <> ''
		ORDER BY updated_at DESC LIMIT 1), '')`, hook).Scan(&h.LastError)
	return h, err
}

// AbandonWebhooksExcept marks the pending deliveries of receivers no
// longer configured as failed, so that they stop counting as a backlog.
func (db *DB) AbandonWebhooksExcept(ctx context.Context, hooks []string) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		q := `UPDATE webhook_deliveries SET state = 'failed', last_error = 'the receiver was removed from the config', updated_at = ?
			WHERE state = 'pending'`
		args := []any{ms(tx.now)}
		if len(hooks) > 0 {
			q += ` AND hook NOT IN (` + placeholders(len(hooks)) + `)`
			for _, h := range hooks {
				args = append(args, h)
			}
		}
		res, err := tx.exec(q, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

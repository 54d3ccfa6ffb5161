package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/posbridge/posbridge/order"
)

// PushClaim is what an unauthenticated push said about an order, kept until
// the platform confirms or contradicts it.
type PushClaim struct {
	Code     string
	Change   order.Change
	InboxID  int64
	FirstAt  time.Time
	NextAt   time.Time
	Attempts int
}

// SaveClaim keeps the newest claim about an order; an older one waiting
// for confirmation is replaced (its first time stays).
func (tx *Tx) SaveClaim(c PushClaim) error {
	b, err := json.Marshal(c.Change)
	if err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO push_claims(order_code, change_json, inbox_id, first_at, next_at, attempts, source) VALUES(?,?,?,?,0,0,?)
		ON CONFLICT(order_code) DO UPDATE SET change_json=excluded.change_json, inbox_id=excluded.inbox_id, next_at=0`,
		c.Code, string(b), c.InboxID, ms(tx.now), string(c.Change.Source.Or(order.SourceKaigedian)))
	return err
}

// GetClaim reads the claim about an order (ErrNotFound when none).
func (tx *Tx) GetClaim(code string) (*PushClaim, error) {
	return scanClaim(tx.queryRow(`SELECT order_code, change_json, inbox_id, first_at, next_at, attempts FROM push_claims WHERE order_code = ?`, code))
}

// DeleteClaim forgets the claim about an order (confirmed, contradicted or given up).
func (tx *Tx) DeleteClaim(code string) error {
	_, err := tx.exec(`DELETE FROM push_claims WHERE order_code = ?`, code)
	return err
}

// ClaimMissed records that the platform did not confirm a claim this time.
func (tx *Tx) ClaimMissed(code string, next time.Time) error {
	_, err := tx.exec(`UPDATE push_claims SET attempts = attempts + 1, next_at = ? WHERE order_code = ?`, ms(next), code)
	return err
}

// DueClaims lists the codes of claims to confirm now, oldest first.
func (db *DB) DueClaims(ctx context.Context, source order.Source, now time.Time, limit int) ([]string, error) {
	return db.codes(ctx, `SELECT order_code FROM push_claims WHERE next_at <= ? AND source = ? ORDER BY first_at LIMIT ?`,
		ms(now), string(source), limit)
}

func scanClaim(r rowScanner) (*PushClaim, error) {
	var c PushClaim
	var raw string
	var first, next int64
	err := r.Scan(&c.Code, &raw, &c.InboxID, &first, &next, &c.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(raw), &c.Change); err != nil {
		return nil, err
	}
	c.FirstAt, c.NextAt = fromMS(first), fromMS(next)
	return &c, nil
}

// ClaimsAmong returns which of codes have a claim waiting.
func (db *DB) ClaimsAmong(ctx context.Context, codes []string) ([]string, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	return db.codes(ctx, `SELECT order_code FROM push_claims WHERE order_code IN (`+placeholders(len(codes))+`)`, args...)
}

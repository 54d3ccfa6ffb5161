package store

import (
	"context"
	"time"
)

// PruneKeysAndClaims deletes, besides Prune, what hardening keeps and no
// longer needs after before: offline orders' keys whose upload call is gone
// (Prune removed the finished outbox row), and push claims never confirmed.
func (db *DB) PruneKeysAndClaims(ctx context.Context, before time.Time) (keys, claims int64, err error) {
	cut := ms(before)
	err = db.Write(ctx, func(tx *Tx) error {
		keys, claims = 0, 0 // the write may run again: count only its last run
		res, err := tx.exec(`DELETE FROM pos_keys WHERE created_at < ? AND outbox_id NOT IN (SELECT id FROM outbox)`, cut)
		if err != nil {
			return err
		}
		keys, _ = res.RowsAffected()
		if res, err = tx.exec(`DELETE FROM push_claims WHERE first_at < ?`, cut); err != nil {
			return err
		}
		claims, _ = res.RowsAffected()
		return nil
	})
	return keys, claims, err
}

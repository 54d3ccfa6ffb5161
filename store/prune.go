package store

import (
	"context"
	"time"
)

// PruneResult counts what Prune removed.
type PruneResult struct {
	Orders, History, Jobs, Outbox, Inbox, Rejected, Audit int64
}

// Prune deletes closed data older than before: orders that are terminal and
// everything attached to them, finished outbox rows, print jobs and inbox
// items. Open orders and pending work are never pruned, whatever their age.
func (db *DB) Prune(ctx context.Context, before time.Time) (PruneResult, error) {
	var r PruneResult
	cut := ms(before)
	err := db.Write(ctx, func(tx *Tx) error {
		steps := []struct {
			n     *int64
			query string
		}{
			{&r.History, `DELETE FROM order_history WHERE order_code IN (SELECT code FROM orders
				WHERE status IN ('completed','cancelled','rejected','refunded') AND updated_at < ?)`},
			{&r.Jobs, `DELETE FROM print_jobs WHERE state IN ('done','failed','dropped') AND updated_at < ?`},
			{&r.Outbox, `DELETE FROM outbox WHERE state IN ('done','failed','moot') AND updated_at < ?`},
			{&r.Orders, `DELETE FROM orders WHERE status IN ('completed','cancelled','rejected','refunded') AND updated_at < ?`},
			{&r.Inbox, `DELETE FROM inbox WHERE state <> 'pending' AND received_at < ?`},
			{&r.Rejected, `DELETE FROM rejected_pushes WHERE received_at < ?`},
			{&r.Audit, `DELETE FROM audit WHERE at < ?`},
		}
		for _, s := range steps {
			res, err := tx.exec(s.query, cut)
			if err != nil {
				return err
			}
			*s.n, _ = res.RowsAffected()
		}
		return nil
	})
	return r, err
}

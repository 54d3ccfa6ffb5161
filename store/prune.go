package store

import (
	"context"
	"time"
)

// PruneResult counts what Prune removed.
type PruneResult struct {
	Orders, History, Jobs, Outbox, Inbox, Rejected, Audit int64
	Kitchen                                               int64 // kitchen screen rows (bumps, station states)
}

// pruneBatch is how many rows one prune transaction deletes: a day of a busy
// store is some seventy batches, and the writer is free between them, so that
// pushes, accepts and prints never wait behind a whole day's (or, after
// retention.days was shortened, a year's) deletion.
const pruneBatch = 200

// pruneRest is the pause between two prune batches: each batch's commit and
// its index pages share the disk with the push landing's fsync, and a
// nightly prune has all the time it needs.
const pruneRest = 100 * time.Millisecond

// rest pauses between batches; false when ctx ended.
func rest(ctx context.Context) bool {
	t := time.NewTimer(pruneRest)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Prune deletes closed data older than before: orders that are terminal and
// everything attached to them, finished outbox rows, print jobs and inbox
// items. Open orders and pending work are never pruned, whatever their age.
// It works in small transactions (pruneBatch) with a rest between them
// (pruneRest); an error leaves what the finished batches removed removed,
// and the next prune goes on.
func (db *DB) Prune(ctx context.Context, before time.Time) (PruneResult, error) {
	var r PruneResult
	cut := ms(before)
	// An order's history goes in the transaction that deletes the order.
	for {
		var n, hist int64
		err := db.Write(ctx, func(tx *Tx) error {
			n, hist = 0, 0 // the batch may run again: count only its last run
			codes, err := tx.closedOrdersBefore(cut, pruneBatch)
			if err != nil || len(codes) == 0 {
				return err
			}
			in := "(" + placeholders(len(codes)) + ")"
			res, err := tx.exec(`DELETE FROM order_history WHERE order_code IN `+in, codes...)
			if err != nil {
				return err
			}
			hist, _ = res.RowsAffected()
			if err := tx.pruneStoreExtras(in, codes); err != nil {
				return err
			}
			if err := tx.pruneWeChatPaySyncs(in, codes); err != nil {
				return err
			}
			if res, err = tx.exec(`DELETE FROM orders WHERE code IN `+in, codes...); err != nil {
				return err
			}
			n, _ = res.RowsAffected()
			return nil
		})
		if err != nil {
			return r, err
		}
		r.Orders, r.History = r.Orders+n, r.History+hist
		if n < pruneBatch {
			break
		}
		if !rest(ctx) {
			return r, ctx.Err()
		}
	}
	steps := []struct {
		n     *int64
		table string
		where string
	}{
		{&r.Jobs, "print_jobs", `state IN ('done','failed','dropped') AND updated_at < ?`},
		{&r.Outbox, "outbox", `state IN ('done','failed','moot') AND updated_at < ?`},
		{&r.Inbox, "inbox", `state <> 'pending' AND received_at < ?`},
		{&r.Rejected, "rejected_pushes", `received_at < ?`},
		{&r.Audit, "audit", `at < ?`},
		{&r.Kitchen, "kitchen_bumps", `bumped_at < ?`},
		{&r.Kitchen, "kitchen_orders", `updated_at < ?`},
	}
	for _, s := range steps {
		for {
			var n int64
			err := db.Write(ctx, func(tx *Tx) error {
				res, err := tx.exec(`DELETE FROM `+s.table+` WHERE rowid IN (SELECT rowid FROM `+s.table+` WHERE `+s.where+` LIMIT ?)`,
					cut, pruneBatch)
				if err != nil {
					return err
				}
				n, _ = res.RowsAffected()
				return nil
			})
			if err != nil {
				return r, err
			}
			*s.n += n
			if n < pruneBatch {
				break
			}
			if !rest(ctx) {
				return r, ctx.Err()
			}
		}
	}
	return r, nil
}

// closedOrdersBefore lists up to limit terminal orders last changed before cut.
func (tx *Tx) closedOrdersBefore(cut int64, limit int) ([]any, error) {
	rows, err := tx.query(`SELECT code FROM orders WHERE status IN (`+terminalStatusList+`)
		AND updated_at < ? LIMIT ?`, cut, limit)
	if err != nil {
		return nil, err
	}
	codes, err := scanStrings(rows)
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	return args, err
}

package store

import (
	"context"
	"time"
)

// OpenOrdersByPickup lists the open orders created since with a pickup
// number (a take code typed in the scan box): two sources, or two stores,
// may share a number on one day.
func (db *DB) OpenOrdersByPickup(ctx context.Context, pickup string, since time.Time) ([]*OrderRecord, error) {
	return db.orderRecords(ctx, `SELECT `+orderColumns+` FROM orders WHERE pickup_no = ? AND status IN (`+openStatusList+`)
		AND created_at >= ? ORDER BY created_at DESC LIMIT 10`, pickup, ms(since))
}

// orderRecords runs a query of orderColumns (or listColumns) and reads its rows.
func (db *DB) orderRecords(ctx context.Context, query string, args ...any) ([]*OrderRecord, error) {
	rows, err := db.readQuery(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*OrderRecord
	for rows.Next() {
		rec, err := scanOrder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

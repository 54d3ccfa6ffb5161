package store

import "context"

// PickupNumbersUsed returns, per store, the highest numeric pickup number
// of the orders of a business day (YYYY-MM-DD). The sandbox's simulated
// platform continues after them, so that a restart the same day does not
// hand out 1003 a second time.
func (db *DB) PickupNumbersUsed(ctx context.Context, day string) (map[string]int, error) {
	return db.countBy(ctx, `SELECT store_id, MAX(CAST(pickup_no AS INTEGER)) FROM orders
		WHERE day = ? AND pickup_no <> '' GROUP BY store_id`, day)
}

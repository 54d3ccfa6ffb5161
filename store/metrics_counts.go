package store

import "context"

// CountOrdersBySource counts the orders of a day (the day column) by
// source and status, for /metrics.
func (db *DB) CountOrdersBySource(ctx context.Context, day string) (map[string]map[string]int, error) {
	rows, err := db.readQuery(ctx, `SELECT source, status, COUNT(*) FROM orders WHERE day = ? GROUP BY source, status`, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]int{}
	for rows.Next() {
		var source, status string
		var n int
		if err := rows.Scan(&source, &status, &n); err != nil {
			return nil, err
		}
		if out[source] == nil {
			out[source] = map[string]int{}
		}
		out[source][status] = n
	}
	return out, rows.Err()
}

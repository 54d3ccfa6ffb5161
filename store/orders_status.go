package store

import (
	"context"
	"database/sql"
	"errors"
)

// PlatformStatuses returns the last platform status applied to each of codes
// that posbridge knows, read without taking the writer: reconciliation uses
// it to skip the orders the platform has nothing new about.
func (db *DB) PlatformStatuses(ctx context.Context, codes []string) (map[string]int, error) {
	out := make(map[string]int, len(codes))
	const chunk = 500 // well under SQLite's bound-parameter limit
	for start := 0; start < len(codes); start += chunk {
		part := codes[start:min(start+chunk, len(codes))]
		args := make([]any, len(part))
		for i, c := range part {
			args[i] = c
		}
		rows, err := db.readQuery(ctx, `SELECT code, platform_status FROM orders WHERE code IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var code string
			var st int
			if err := rows.Scan(&code, &st); err != nil {
				rows.Close()
				return nil, err
			}
			out[code] = st
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PlatformStatus reads one order's last applied platform status inside the
// transaction (ErrNotFound when posbridge does not know it).
func (tx *Tx) PlatformStatus(code string) (int, error) {
	var st int
	err := tx.queryRow(`SELECT platform_status FROM orders WHERE code = ?`, code).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return st, err
}

// SetPlatformStatus records a platform status alone, without rewriting the
// order's row from a decoded record (a confirmed call changes nothing else).
func (tx *Tx) SetPlatformStatus(code string, status int) error {
	_, err := tx.exec(`UPDATE orders SET platform_status = ?, updated_at = ? WHERE code = ?`, status, ms(tx.now), code)
	return err
}

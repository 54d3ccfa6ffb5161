package store

import (
	"context"
	"time"
)

// KitchenOrder is one station's state of an order on its kitchen screen.
type KitchenOrder struct {
	Code       string
	Station    string
	Bumped     map[int]time.Time // item index → when it was bumped
	DoneAt     time.Time
	RecalledAt time.Time
}

// KitchenStation reads a station's state of every order it touched since
// since: what was bumped, done and recalled.
func (db *DB) KitchenStation(ctx context.Context, station string, since time.Time) (map[string]*KitchenOrder, error) {
	out := map[string]*KitchenOrder{}
	get := func(code string) *KitchenOrder {
		k := out[code]
		if k == nil {
			k = &KitchenOrder{Code: code, Station: station, Bumped: map[int]time.Time{}}
			out[code] = k
		}
		return k
	}
	rows, err := db.readQuery(ctx, `SELECT order_code, done_at, recalled_at FROM kitchen_orders WHERE station = ? AND updated_at >= ?`,
		station, ms(since))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var code string
		var done, recalled int64
		if err := rows.Scan(&code, &done, &recalled); err != nil {
			rows.Close()
			return nil, err
		}
		k := get(code)
		k.DoneAt, k.RecalledAt = fromMS(done), fromMS(recalled)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.readQuery(ctx, `SELECT order_code, item, bumped_at FROM kitchen_bumps WHERE station = ? AND bumped_at >= ?`,
		station, ms(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var item int
		var at int64
		if err := rows.Scan(&code, &item, &at); err != nil {
			return nil, err
		}
		get(code).Bumped[item] = fromMS(at)
	}
	return out, rows.Err()
}

// KitchenBumped lists the items of an order a station has bumped.
func (tx *Tx) KitchenBumped(code, station string) (map[int]bool, error) {
	rows, err := tx.query(`SELECT item FROM kitchen_bumps WHERE order_code = ? AND station = ?`, code, station)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var i int
		if err := rows.Scan(&i); err != nil {
			return nil, err
		}
		out[i] = true
	}
	return out, rows.Err()
}

// BumpKitchenItems marks items of an order done at a station (again is a no-op).
func (tx *Tx) BumpKitchenItems(code, station string, items []int, actor string) error {
	for _, i := range items {
		if _, err := tx.exec(`INSERT OR IGNORE INTO kitchen_bumps(order_code, station, item, bumped_at, actor) VALUES(?,?,?,?,?)`,
			code, station, i, ms(tx.now), actor); err != nil {
			return err
		}
	}
	return tx.touchKitchen(code, station)
}

func (tx *Tx) touchKitchen(code, station string) error {
	_, err := tx.exec(`INSERT INTO kitchen_orders(order_code, station, updated_at) VALUES(?,?,?)
		ON CONFLICT(order_code, station) DO UPDATE SET updated_at = excluded.updated_at`, code, station, ms(tx.now))
	return err
}

// SetKitchenDone marks a station done with an order (every item bumped).
func (tx *Tx) SetKitchenDone(code, station string) error {
	_, err := tx.exec(`INSERT INTO kitchen_orders(order_code, station, done_at, updated_at) VALUES(?,?,?,?)
		ON CONFLICT(order_code, station) DO UPDATE SET done_at = excluded.done_at, recalled_at = 0, updated_at = excluded.updated_at`,
		code, station, ms(tx.now), ms(tx.now))
	return err
}

// RecallKitchen brings an order back to a station's screen: nothing of it
// is bumped there any more.
func (tx *Tx) RecallKitchen(code, station string) error {
	if _, err := tx.exec(`DELETE FROM kitchen_bumps WHERE order_code = ? AND station = ?`, code, station); err != nil {
		return err
	}
	_, err := tx.exec(`INSERT INTO kitchen_orders(order_code, station, recalled_at, updated_at) VALUES(?,?,?,?)
		ON CONFLICT(order_code, station) DO UPDATE SET done_at = 0, recalled_at = excluded.recalled_at, updated_at = excluded.updated_at`,
		code, station, ms(tx.now), ms(tx.now))
	return err
}

// KitchenDoneStations lists the stations done with an order.
func (tx *Tx) KitchenDoneStations(code string) (map[string]bool, error) {
	rows, err := tx.query(`SELECT station FROM kitchen_orders WHERE order_code = ? AND done_at > 0`, code)
	if err != nil {
		return nil, err
	}
	names, err := scanStrings(rows)
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out, err
}

// UnbumpKitchenItems takes bumps back (a mistaken tap); a station that was
// done with the order is not any more.
func (tx *Tx) UnbumpKitchenItems(code, station string, items []int) error {
	for _, i := range items {
		if _, err := tx.exec(`DELETE FROM kitchen_bumps WHERE order_code = ? AND station = ? AND item = ?`, code, station, i); err != nil {
			return err
		}
	}
	_, err := tx.exec(`INSERT INTO kitchen_orders(order_code, station, updated_at) VALUES(?,?,?)
		ON CONFLICT(order_code, station) DO UPDATE SET done_at = 0, updated_at = excluded.updated_at`, code, station, ms(tx.now))
	return err
}

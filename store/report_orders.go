package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ErrShiftOverlap: a hand-over starting before the last one ended.
var ErrShiftOverlap = errors.New("this shift was handed over already")

// ReportOrders are the orders a report of [from, to) may count: those
// placed in the period (the platform's order time, or when posbridge first
// saw an order whose detail is still missing) and those refunded since
// from. The day column (Asia/Shanghai) narrows the search to the period's
// calendar days, with a day's margin either side; the report checks each
// order's own times and its store's business day.
func (db *DB) ReportOrders(ctx context.Context, from, to time.Time) ([]*OrderRecord, error) {
	firstDay := from.Add(-24 * time.Hour).In(shanghaiZone).Format("2006-01-02")
	lastDay := to.Add(24 * time.Hour).In(shanghaiZone).Format("2006-01-02")
	placed, err := db.orderRecords(ctx, `SELECT `+listColumns+` FROM orders WHERE day BETWEEN ? AND ?
		AND (CASE WHEN created_at > 0 THEN created_at ELSE first_seen_at END) >= ?
		AND (CASE WHEN created_at > 0 THEN created_at ELSE first_seen_at END) < ?`, firstDay, lastDay, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	refunded, err := db.orderRecords(ctx, `SELECT `+listColumns+` FROM orders WHERE status = 'refunded' AND updated_at >= ?`, ms(from))
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(placed))
	for _, r := range placed {
		seen[r.Code] = true
	}
	for _, r := range refunded {
		if !seen[r.Code] {
			placed = append(placed, r)
		}
	}
	return placed, nil
}

// shanghaiZone is the zone of the orders' day column.
var shanghaiZone = time.FixedZone("Asia/Shanghai", 8*3600)

// Shift is one staff hand-over.
type Shift struct {
	ID         int64
	StoreID    string
	Staff      string
	StartedAt  time.Time
	EndedAt    time.Time
	ReportJSON []byte
}

// LastShiftEnd is when the newest hand-over of storeID ended (zero: none yet).
func (db *DB) LastShiftEnd(ctx context.Context, storeID string) (time.Time, error) {
	var end int64
	err := db.readRow(ctx, `SELECT COALESCE(MAX(ended_at), 0) FROM shifts WHERE store_id = ?`, storeID).Scan(&end)
	return fromMS(end), err
}

// AddShift records a hand-over. It refuses one that starts before the last
// one ended or ends no later than it (two tills handing over at once): shifts
// never overlap and none is empty.
func (db *DB) AddShift(ctx context.Context, s Shift) (int64, error) {
	var id int64
	err := db.Write(ctx, func(tx *Tx) error {
		var last int64
		if err := tx.queryRow(`SELECT COALESCE(MAX(ended_at), 0) FROM shifts WHERE store_id = ?`, s.StoreID).Scan(&last); err != nil {
			return err
		}
		if ms(s.StartedAt) < last || (last > 0 && ms(s.EndedAt) <= last) {
			return ErrShiftOverlap
		}
		res, err := tx.exec(`INSERT INTO shifts(store_id, staff, started_at, ended_at, report_json) VALUES(?, ?, ?, ?, ?)`,
			s.StoreID, s.Staff, ms(s.StartedAt), ms(s.EndedAt), string(s.ReportJSON))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	return id, err
}

const shiftColumns = `id, store_id, staff, started_at, ended_at, report_json`

func scanShift(r rowScanner) (Shift, error) {
	var s Shift
	var from, to int64
	var body string
	err := r.Scan(&s.ID, &s.StoreID, &s.Staff, &from, &to, &body)
	s.StartedAt, s.EndedAt, s.ReportJSON = fromMS(from), fromMS(to), []byte(body)
	return s, err
}

// GetShift reads one hand-over.
func (db *DB) GetShift(ctx context.Context, id int64) (Shift, error) {
	s, err := scanShift(db.readRow(ctx, `SELECT `+shiftColumns+` FROM shifts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	return s, err
}

// ListShifts is the newest hand-overs of storeID, newest first.
func (db *DB) ListShifts(ctx context.Context, storeID string, limit int) ([]Shift, error) {
	rows, err := db.readQuery(ctx, `SELECT `+shiftColumns+` FROM shifts WHERE store_id = ? ORDER BY ended_at DESC, id DESC LIMIT ?`, storeID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Shift
	for rows.Next() {
		s, err := scanShift(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

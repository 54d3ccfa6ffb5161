package store

import (
	"context"
	"time"
)

// DayStats summarises one business day for the console's 今日 panel.
type DayStats struct {
	Day         string         `json:"day"`
	Orders      int            `json:"orders"`
	ByHour      [24]int        `json:"by_hour"` // orders first seen per hour, Asia/Shanghai
	ByStatus    map[string]int `json:"by_status"`
	AvgAccept   time.Duration  `json:"-"` // first seen → accepted
	AvgMade     time.Duration  `json:"-"` // accepted → made
	AvgComplete time.Duration  `json:"-"` // made → completed
	Refunds     int            `json:"refunds"`
	Revenue     int64          `json:"-"` // fen, from details; filled by callers that decode details
}

// Stats computes DayStats for day (YYYY-MM-DD) with hours in zone.
func (db *DB) Stats(ctx context.Context, day string, zone *time.Location) (DayStats, error) {
	st := DayStats{Day: day, ByStatus: map[string]int{}}
	rows, err := db.readQuery(ctx, `SELECT status, first_seen_at, accepted_at, made_at, completed_at, refund_status
		FROM orders WHERE day = ?`, day)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	var sumA, sumM, sumC time.Duration
	var nA, nM, nC int
	for rows.Next() {
		var status string
		var seen, acc, made, done int64
		var refund int
		if err := rows.Scan(&status, &seen, &acc, &made, &done, &refund); err != nil {
			return st, err
		}
		st.Orders++
		st.ByStatus[status]++
		st.ByHour[fromMS(seen).In(zone).Hour()]++
		if acc > 0 && acc >= seen {
			sumA += time.Duration(acc-seen) * time.Millisecond
			nA++
		}
		if made > 0 && acc > 0 && made >= acc {
			sumM += time.Duration(made-acc) * time.Millisecond
			nM++
		}
		if done > 0 && made > 0 && done >= made {
			sumC += time.Duration(done-made) * time.Millisecond
			nC++
		}
		if refund != 0 || status == "refunded" || status == "refund_requested" || status == "refund_processing" {
			st.Refunds++
		}
	}
	if nA > 0 {
		st.AvgAccept = sumA / time.Duration(nA)
	}
	if nM > 0 {
		st.AvgMade = sumM / time.Duration(nM)
	}
	if nC > 0 {
		st.AvgComplete = sumC / time.Duration(nC)
	}
	return st, rows.Err()
}

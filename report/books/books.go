// Package books reads the orders of a period from the store and computes
// their report (package report), and keeps the shift hand-overs.
package books

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/report"
	"github.com/posbridge/posbridge/store"
)

// Books computes reports from the store's database for the configured stores.
type Books struct {
	DB     *store.DB
	Config *config.Config
	Now    func() time.Time
	// Rules overrides the stores' day rules (nil: RuleFor).
	Rules report.Rules
}

// now is to the millisecond, as the console API's times are.
func (b Books) now() time.Time {
	t := time.Now()
	if b.Now != nil {
		t = b.Now()
	}
	return t.Truncate(time.Millisecond)
}

func (b Books) input(ctx context.Context, storeID string, from, to time.Time) (report.Input, error) {
	recs, err := b.DB.ReportOrders(ctx, from, to)
	if err != nil {
		return report.Input{}, fmt.Errorf("read the orders of the report: %w", err)
	}
	return report.Input{Orders: Rows(recs), Rules: b.rule, Names: b.name, Store: storeID, Now: b.now()}, nil
}

func (b Books) rule(storeID string) report.DayRule {
	if b.Rules != nil {
		return b.Rules(storeID)
	}
	return report.RuleFor(b.Config, storeID)
}

func (b Books) name(storeID string) string {
	for _, s := range b.Config.Stores {
		if s.ID == storeID {
			return s.Name
		}
	}
	return ""
}

// Today is the business day now is in, for storeID.
func (b Books) Today(storeID string) string { return b.rule(storeID).DayOf(b.now()) }

// Day is the report of a business day ("" = today).
func (b Books) Day(ctx context.Context, day, storeID string) (report.Report, error) {
	if day == "" {
		day = b.Today(storeID)
	}
	from, to, err := b.rule(storeID).Bounds(day)
	if err != nil {
		return report.Report{}, err
	}
	// every store counts its own day: read the orders of the widest one
	for _, st := range b.Config.Stores {
		if storeID == "" || st.ID == storeID {
			if f, t, err := b.rule(st.ID).Bounds(day); err == nil {
				from, to = minTime(from, f), maxTime(to, t)
			}
		}
	}
	in, err := b.input(ctx, storeID, from, to)
	if err != nil {
		return report.Report{}, err
	}
	return report.Day(in, day)
}

// shiftStart is when the running shift began: at the last hand-over, or at
// the start of today's business day when nobody handed over yet.
func (b Books) shiftStart(ctx context.Context, storeID string) (time.Time, error) {
	last, err := b.DB.LastShiftEnd(ctx, storeID)
	if err != nil || !last.IsZero() {
		return last, err
	}
	from, _, err := b.rule(storeID).Bounds(b.Today(storeID))
	return from, err
}

// CurrentShift is the running shift's report, up to now.
func (b Books) CurrentShift(ctx context.Context, storeID, staff string) (report.Report, error) {
	from, err := b.shiftStart(ctx, storeID)
	if err != nil {
		return report.Report{}, err
	}
	to := b.now()
	in, err := b.input(ctx, storeID, from, to)
	if err != nil {
		return report.Report{}, err
	}
	return report.Shift(in, from, to, staff), nil
}

// ErrHandedOver: another hand-over of the same shift was recorded first.
var ErrHandedOver = errors.New("这个班次刚刚已经交班，请刷新后查看新的班次")

// HandOver ends the running shift now and keeps its report.
func (b Books) HandOver(ctx context.Context, storeID, staff string) (report.Report, int64, error) {
	r, err := b.CurrentShift(ctx, storeID, staff)
	if err != nil {
		return report.Report{}, 0, err
	}
	body, err := json.Marshal(r)
	if err != nil {
		return report.Report{}, 0, err
	}
	id, err := b.DB.AddShift(ctx, store.Shift{StoreID: storeID, Staff: staff, StartedAt: r.From, EndedAt: r.To, ReportJSON: body})
	if errors.Is(err, store.ErrShiftOverlap) {
		return report.Report{}, 0, ErrHandedOver
	}
	return r, id, err
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Rows are the report's view of stored orders.
func Rows(recs []*store.OrderRecord) []report.Order {
	out := make([]report.Order, len(recs))
	for i, r := range recs {
		out[i] = report.Order{Code: r.Code, StoreID: r.StoreID, Source: r.Source, Status: r.Status, Channel: r.Channel,
			CreatedAt: r.CreatedAt, FirstSeenAt: r.FirstSeenAt, ClosedAt: r.ClosedAt, UpdatedAt: r.UpdatedAt, Detail: r.Detail}
	}
	return out
}

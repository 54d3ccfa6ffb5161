package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/posbridge/posbridge/report"
	"github.com/posbridge/posbridge/report/books"
	"github.com/posbridge/posbridge/store"
)

// What the console's reports, webhook panel and metrics read and write,
// through bridge: the console does not open the store.

// ErrShiftHandedOver: another hand-over of the same shift came first.
var ErrShiftHandedOver = books.ErrHandedOver

// ErrNoShift: no hand-over has that id.
var ErrNoShift = errors.New("没有这个交班记录")

// ErrNoDelivery: no webhook delivery that is not through has that id.
var ErrNoDelivery = errors.New("没有这个未送达的推送")

func (b *Bridge) books() books.Books { return books.Books{DB: b.db, Config: b.cfg, Now: b.now} }

// DayReport is the 日结 of business day ("" = today) for storeID ("" = all).
func (b *Bridge) DayReport(ctx context.Context, day, storeID string) (report.Report, error) {
	return b.books().Day(ctx, day, storeID)
}

// CurrentShift is the running shift's report.
func (b *Bridge) CurrentShift(ctx context.Context, storeID, staff string) (report.Report, error) {
	return b.books().CurrentShift(ctx, storeID, staff)
}

// HandOver ends the running shift now and keeps its report.
func (b *Bridge) HandOver(ctx context.Context, storeID, staff string) (report.Report, int64, error) {
	return b.books().HandOver(ctx, storeID, staff)
}

// HandedOver is a past hand-over with the figures kept then.
type HandedOver struct {
	ID     int64
	Staff  string
	Report report.Report
}

func handedOver(s store.Shift) (HandedOver, error) {
	h := HandedOver{ID: s.ID, Staff: s.Staff}
	if err := json.Unmarshal(s.ReportJSON, &h.Report); err != nil {
		return h, fmt.Errorf("stored shift %d: %w", s.ID, err)
	}
	return h, nil
}

// Shifts are storeID's newest hand-overs, newest first.
func (b *Bridge) Shifts(ctx context.Context, storeID string, limit int) ([]HandedOver, error) {
	list, err := b.db.ListShifts(ctx, storeID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]HandedOver, 0, len(list))
	for _, s := range list {
		h, err := handedOver(s)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Shift is one hand-over (ErrNoShift when there is none).
func (b *Bridge) Shift(ctx context.Context, id int64) (HandedOver, error) {
	s, err := b.db.GetShift(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return HandedOver{}, ErrNoShift
	}
	if err != nil {
		return HandedOver{}, err
	}
	return handedOver(s)
}

// WebhookDelivery is one event on its way to a receiver.
type WebhookDelivery = store.WebhookDelivery

// Webhook delivery states, as the API names them.
const (
	WebhookPending = store.WebhookPending
	WebhookDone    = store.WebhookDone
	WebhookFailed  = store.WebhookFailed
)

// WebhookDeliveries are the newest deliveries in state ("" = all).
func (b *Bridge) WebhookDeliveries(ctx context.Context, state string, limit int) ([]WebhookDelivery, error) {
	return b.db.ListWebhookDeliveries(ctx, state, limit)
}

// RetryWebhookDelivery sends a delivery again now (ErrNoDelivery when it went through or does not exist).
func (b *Bridge) RetryWebhookDelivery(ctx context.Context, id int64) error {
	err := b.db.RetryWebhookDelivery(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoDelivery
	}
	return err
}

// Backlogs are the counts /metrics reads at scrape time.
type Backlogs struct {
	OrdersBySource map[string]map[string]int // of the day asked: source → status → orders
	Outbox, Inbox  map[string]int            // by state
	Webhooks       map[string]int            // by state
	PrintQueues    map[string]map[string]int // printer → state → jobs not done
}

// ReadBacklogs reads the counts of today (day) and of every queue.
func (b *Bridge) ReadBacklogs(ctx context.Context, day string) (Backlogs, error) {
	var bl Backlogs
	var errs [5]error
	bl.OrdersBySource, errs[0] = b.db.CountOrdersBySource(ctx, day)
	bl.Outbox, errs[1] = b.db.OutboxStats(ctx)
	bl.Inbox, errs[2] = b.db.InboxStats(ctx)
	bl.Webhooks, errs[3] = b.db.WebhookStats(ctx)
	bl.PrintQueues, errs[4] = b.db.PrintQueueCounts(ctx)
	return bl, errors.Join(errs[:]...)
}

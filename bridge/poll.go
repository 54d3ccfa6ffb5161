package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// PollPage is what one poll call found, to be stored together with the cursor
// that moves past it (the cursor never runs ahead of the data).
type PollPage struct {
	// Source is the channel polled (empty: 开个店); Via how: poll |
	// history | reconcile.
	Source order.Source
	Via    order.Via
	// Orders are headers (batchQuery) or full orders (historyOrders: Full).
	Orders []order.Order
	Raw    []json.RawMessage // raw detail per order when Full
	Full   bool
	// Refunds are refund-poll results: order code → refund status.
	Refunds []RefundState
	// Statuses are reconciliation results: order code → platform status.
	Statuses []CodeStatus
	// Cursor, when set, is moved to CursorValue in the same transaction.
	Cursor      string
	CursorValue int64
	// AskedAt is when the poll's request went out: a refund it reports as
	// pending is older than any answer staff gave after it (refund_repeat.go).
	AskedAt time.Time
}

// RefundState is one queryRefundOrders item.
type RefundState struct {
	Code         string
	RefundStatus int
}

// CodeStatus is one batchOrderStatus item.
type CodeStatus struct {
	Code           string
	PlatformStatus int
}

// IngestPoll stores a page found by polling, in one transaction. It returns
// how many orders were new to posbridge.
func (b *Bridge) IngestPoll(ctx context.Context, page PollPage) (created int, err error) {
	if page.Statuses, err = b.newsOnly(ctx, page.Statuses); err != nil {
		return 0, err
	}
	if len(page.Orders) == 0 && len(page.Refunds) == 0 && len(page.Statuses) == 0 && page.Cursor == "" {
		return 0, nil
	}
	ch, err := b.channels.get(page.Source)
	if err != nil {
		return 0, err
	}
	source, codes := ch.Source(), ch
	now := b.now()
	flowing := b.PushesFlowing()
	// The committed run's count and misses: a batch that runs again starts
	// from nothing (store.WriteValue).
	type pollResult struct {
		created int
		missed  []string
	}
	res, err := writeValue(ctx, b, func(tx *store.Tx, a *after) (pollResult, error) {
		var r pollResult
		err := func() error {
			for i := range page.Orders {
				o := &page.Orders[i]
				if !ch.ValidCode(o.Code) {
					if o.Code != "" {
						b.log.Warn("polled order with a code no document produces skipped", "code", cut(o.Code, 70))
					}
					continue
				}
				rec, err := tx.GetOrder(o.Code)
				isNew := errors.Is(err, store.ErrNotFound)
				if err != nil && !isNew {
					return err
				}
				if isNew {
					r.created++
					if s, _ := codes.StatusOf(o.PlatformStatus); flowing && page.Via == order.ViaPoll && s == order.StatusNew &&
						!o.CreatedAt.IsZero() && now.Sub(o.CreatedAt) > 30*time.Second {
						r.missed = append(r.missed, o.Code)
					}
				}
				o.Source = source
				change := order.Change{Kind: order.ChangeStatus, Via: page.Via, Source: source, Code: o.Code, PlatformStatus: o.PlatformStatus}
				if err := b.applyChangeTx(tx, a, change, o); err != nil {
					return err
				}
				if !isNew && o.PartlyRefunded {
					if err := b.refetchPartlyRefunded(tx, a, o.Code); err != nil {
						return err
					}
				}
				if page.Full && len(o.Items) > 0 && (isNew || rec.Detail == nil) {
					if err := b.storeFullDetail(tx, a, o, page.Raw, i); err != nil {
						return err
					}
				}
			}
			for _, r := range page.Refunds {
				if !ch.ValidCode(r.Code) {
					continue
				}
				change := order.Change{Kind: order.ChangeRefund, Via: page.Via, Source: source, Code: r.Code,
					CancelStatus: order.RefundStatus(r.RefundStatus)}
				if change.CancelStatus == order.RefundRequested {
					repeat, err := b.answeredRefundRepeat(tx, r.Code, page.AskedAt)
					if err != nil {
						return err
					}
					if repeat {
						continue
					}
				}
				if err := b.applyChangeTx(tx, a, change, nil); err != nil {
					return err
				}
			}
			for _, s := range page.Statuses {
				change := order.Change{Kind: order.ChangeStatus, Via: page.Via, Source: source, Code: s.Code, PlatformStatus: s.PlatformStatus}
				if err := b.applyChangeTx(tx, a, change, nil); err != nil {
					return err
				}
			}
			if page.Cursor != "" {
				return tx.SetCursor(page.Cursor, page.CursorValue)
			}
			return nil
		}()
		return r, err
	})
	created = res.created
	if err == nil && len(res.missed) > 0 {
		b.missedPushes(res.missed)
	}
	return created, err
}

// newsOnly drops reconciliation results that repeat the platform status an
// order already has: applying them would change nothing, yet each would take
// the writer for a read, a JSON decode and a save while pushes wait.
func (b *Bridge) newsOnly(ctx context.Context, statuses []CodeStatus) ([]CodeStatus, error) {
	if len(statuses) == 0 {
		return statuses, nil
	}
	codes := make([]string, len(statuses))
	for i, s := range statuses {
		codes[i] = s.Code
	}
	known, err := b.db.PlatformStatuses(ctx, codes)
	if err != nil {
		return nil, err
	}
	news := statuses[:0:0]
	for _, s := range statuses {
		if have, ok := known[s.Code]; !ok || have != s.PlatformStatus {
			news = append(news, s)
		}
	}
	return news, nil
}

// storeFullDetail keeps a historyOrders item as the order's detail, saving a
// queryDetail call.
func (b *Bridge) storeFullDetail(tx *store.Tx, a *after, o *order.Order, raw []json.RawMessage, i int) error {
	rec, err := tx.GetOrder(o.Code)
	if err != nil {
		return err
	}
	if !rec.NeedsDetail {
		return nil
	}
	d := *o
	rec.Detail, rec.NeedsDetail = &d, false
	if i < len(raw) {
		rec.RawDetail = raw[i]
	}
	out := outcome{from: rec.Status, to: rec.Status}
	if rec.Status == order.StatusNew && rec.Decision == store.DecisionNone {
		out.add(effRunPolicy)
	}
	if rec.PrintPending && printable(rec.Status) {
		out.add(effPrintOrder)
	}
	if err := b.runEffects(tx, a, rec, out, "platform"); err != nil {
		return err
	}
	return tx.SaveOrder(rec)
}

// missedPushes raises orders the poll found that no push announced while
// pushes were flowing: the push link may be losing orders.
func (b *Bridge) missedPushes(codes []string) {
	b.health.update(func(h *PlatformHealth) { h.MissedPushes += int64(len(codes)) })
	for _, c := range codes {
		b.log.Warn("possible missed push: the poll found an order no push announced", "order", c)
		b.bus.Publish(Event{Type: EvAlert, Kind: "missed_push", Code: c, Level: LevelWarn,
			Message: "轮询发现未推送的订单，推送可能丢失（已自动补单），请检查推送地址与网络"})
	}
}

// cut shortens s to n runes for a log line.
func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

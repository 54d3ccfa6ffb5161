package bridge

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

var zeroTime time.Time

// inboxLoop applies committed pushes in the order they arrived.
func (b *Bridge) inboxLoop(ctx context.Context) {
	for {
		items, err := b.db.PendingInbox(ctx, 100)
		if err != nil && ctx.Err() == nil {
			b.log.Error("read inbox", "err", err)
			b.NoteStorageError(err)
		}
		b.applyInboxItems(ctx, items)
		if ctx.Err() != nil {
			return
		}
		if len(items) == 100 {
			continue
		}
		if !sleep(ctx, time.Second, b.inboxWake) {
			return
		}
	}
}

// applyInboxItem applies one push in a transaction of its own.
func (b *Bridge) applyInboxItem(ctx context.Context, it store.InboxItem) {
	p := b.decodeInboxItem(it)
	b.logPush(p)
	err := b.write(ctx, func(tx *store.Tx, a *after) error { return b.applyPushTx(tx, a, p) })
	switch {
	case err == nil || ctx.Err() != nil:
	case p.err != nil:
		b.log.Error("mark inbox item failed", "inbox_id", it.ID, "err", err)
	default:
		// Left pending: the loop retries it (a full disk, say).
		b.log.Error("apply push", "inbox_id", it.ID, "order", p.ch.Code, "err", err)
		sleep(ctx, time.Second, nil)
	}
}

// applyChange applies one platform announcement. header, when given, is what
// the platform's order list said about the order (poll) and fills a new record.
// extra runs in the same transaction (mark the inbox item, move a cursor).
func (b *Bridge) applyChange(ctx context.Context, ch order.Change, header *order.Order, extra func(tx *store.Tx) error) error {
	if ch.Code == "" {
		if extra == nil {
			return nil
		}
		return b.db.Write(ctx, extra)
	}
	return b.write(ctx, func(tx *store.Tx, a *after) error {
		if err := b.applyChangeTx(tx, a, ch, header); err != nil {
			return err
		}
		if extra != nil {
			return extra(tx)
		}
		return nil
	})
}

func (b *Bridge) applyChangeTx(tx *store.Tx, a *after, ch order.Change, header *order.Order) error {
	rec, err := tx.GetOrder(ch.Code)
	if errors.Is(err, store.ErrNotFound) {
		return b.firstSeen(tx, a, ch, header)
	}
	if err != nil {
		return err
	}
	if got, want := ch.Source.Or(order.SourceKaigedian), rec.Source.Or(order.SourceKaigedian); got != want {
		// Codes are one source's: a change of another source's order is
		// not applied (it would move an order its channel never named).
		return fmt.Errorf("%w: %s is %s's, the change is %s's", store.ErrCodeTaken, ch.Code, want, got)
	}
	if ch.Via == order.ViaReconcile {
		if s, wrong := contradictedEnd(rec, ch.PlatformStatus, b.codes(rec.Source)); wrong {
			pending, err := tx.PendingOutboxCount(rec.Code)
			if err != nil {
				return err
			}
			if pending == 0 { // a call of ours on its way explains the difference
				return b.restoreTx(tx, a, rec, s, ch.PlatformStatus)
			}
		}
	}
	ch, skip, err := b.pushedRefundRepeat(tx, ch)
	if err != nil || skip {
		return err
	}
	if ch.Via == order.ViaPush && !rec.PushSeen {
		rec.PushSeen = true
	}
	if header != nil {
		fillFromHeader(rec, header)
	}
	out := applyToRecord(rec, ch, b.codes(rec.Source))
	if out.ignored != "" {
		b.log.Debug("platform event absorbed", "order", ch.Code, "why", out.ignored, "source", ch.Via)
	}
	if rec.Detail == nil && (rec.Status == order.StatusCancelled || rec.Status == order.StatusRejected) {
		// Seed 000: a cancel of an order whose detail was never pulled is only recorded.
		rec.NeedsDetail = false
	} else if out.changed && !rec.NeedsDetail {
		// Every changed order is fetched again (fees, courier, times change too).
		rec.NeedsDetail, rec.DetailNextAt, rec.DetailAttempts = true, zeroTime, 0
		a.detail = true
	}
	if err := b.runEffects(tx, a, rec, out, "platform"); err != nil {
		return err
	}
	return b.record(tx, a, rec, out, "platform", string(ch.Via))
}

// firstSeen creates the record of an order posbridge did not know.
func (b *Bridge) firstSeen(tx *store.Tx, a *after, ch order.Change, header *order.Order) error {
	now := tx.Now()
	rec := &store.OrderRecord{Source: ch.Source, Code: ch.Code, FirstSource: string(ch.Via), PushSeen: ch.Via == order.ViaPush,
		PlatformAt: ch.At, Day: BusinessDay(now)}
	if header != nil {
		fillFromHeader(rec, header)
	}
	note := ""
	switch ch.Kind {
	case order.ChangeStatus:
		s, known := b.codes(ch.Source).StatusOf(ch.PlatformStatus)
		rec.PlatformStatus = ch.PlatformStatus
		switch {
		case !known:
			// Stored raw, never refused; staff sees it, nothing is decided.
			raw := rawStatus(ch)
			rec.Status, rec.RawStatus, rec.NeedsDetail = order.StatusPendingPayment, raw, true
			note = "平台状态未知（" + raw + "），已记录"
			b.log.Warn("order with unknown platform status stored raw", "order", ch.Code, "status", raw)
		case s == order.StatusPendingPayment:
			rec.Status = s
			note = "待支付订单，支付后处理"
		case s == order.StatusNew:
			rec.Status, rec.NeedsDetail = s, true
			note = "新订单"
			if b.beforeRestore(rec) {
				// A push acknowledged before the database was lost (the
				// landing keeps it) of an order the backup did not know: it
				// may have been accepted and printed already.
				rec.PrintMarked = true
				note = "新订单（数据库恢复前的订单，打印标记补打）"
			}
			if ch.CancelStatus == order.RefundRequested {
				rec.Status, rec.StatusBeforeRefund, rec.RefundStatus, rec.RefundAt = order.StatusRefundRequested, order.StatusNew, ch.CancelStatus, ch.At
				rec.Decision, rec.DecisionSince, rec.DecisionNote = store.DecisionRefund, now, cancelNote("顾客申请退款", ch)
				note = rec.DecisionNote
			}
		case s == order.StatusCancelled || s == order.StatusRejected:
			// Seed 000: a cancel of an order whose detail was never pulled is only recorded.
			rec.Status, rec.CancelType, rec.Reason = s, ch.CancelType, ch.Reason
			note = cancelNote("订单已"+s.Label()+"（未拉取详情，仅记录）", ch)
		default:
			rec.Status, rec.NeedsDetail = s, true
			note = "首次同步，平台状态：" + s.Label()
			if s == order.StatusAccepted && ch.Via != order.ViaHistory {
				// Accepted elsewhere before we heard of it: the kitchen must see it.
				rec.PrintPending = true
				note = "平台已接单（首次收到），将打印"
				if b.beforeRestore(rec) {
					// The database was put back from a backup that did not know
					// this order: its tickets may have printed already.
					rec.PrintMarked = true
					note = "平台已接单（数据库恢复前的订单，首次收到），将补打"
				}
			}
			if ch.CancelStatus == order.RefundRequested {
				rec.StatusBeforeRefund, rec.Status, rec.RefundStatus, rec.RefundAt = s, order.StatusRefundRequested, ch.CancelStatus, ch.At
				rec.Decision, rec.DecisionSince, rec.DecisionNote = store.DecisionRefund, now, cancelNote("顾客申请退款", ch)
				note = rec.DecisionNote
			}
		}
	case order.ChangeRefund:
		// A refund of an order we never saw: refunds follow an accept.
		codes := b.codes(ch.Source)
		rec.Status, rec.NeedsDetail, rec.PlatformStatus = order.StatusAccepted, true, codes.CodeOf(order.StatusAccepted)
		out := applyToRecord(rec, ch, codes)
		note = out.note
		if rec.Status == order.StatusRefundRequested {
			rec.Decision, rec.DecisionSince, rec.DecisionNote = store.DecisionRefund, now, out.note
		}
	default:
		b.log.Info("platform event for an unknown order recorded in the inbox only", "order", ch.Code, "kind", ch.Kind)
		return nil
	}
	if rec.NeedsDetail {
		a.detail = true
	}
	if err := tx.AppendHistory(store.History{Code: rec.Code, To: rec.Status, Actor: "platform", Source: string(ch.Via), Reason: note}); err != nil {
		return err
	}
	if err := tx.SaveOrder(rec); err != nil {
		return err
	}
	a.event(Event{Type: EvOrder, Code: rec.Code, Status: string(rec.Status), Message: note})
	if err := b.reportTx(tx, a, rec, outcome{to: rec.Status, note: note}, "platform"); err != nil {
		return err
	}
	a.moved(move{code: rec.Code, pickup: rec.PickupNo, storeID: rec.StoreID, to: rec.Status, actor: "platform",
		source: string(ch.Via), note: note})
	if rec.Decision == store.DecisionRefund {
		a.event(Event{Type: EvDecision, Kind: store.DecisionRefund, Code: rec.Code, Status: string(rec.Status),
			Level: LevelCritical, Message: "订单 " + pickupLabel(rec) + " " + rec.DecisionNote})
	}
	return nil
}

// fillFromHeader copies the indexed fields of an order list header or detail.
func fillFromHeader(rec *store.OrderRecord, o *order.Order) {
	if o.StoreID != "" {
		rec.StoreID = o.StoreID
	}
	if o.Type != 0 {
		rec.Type = o.Type
	}
	if o.Channel != 0 {
		rec.Channel = o.Channel
	}
	if o.PickupNo != "" {
		rec.PickupNo = o.PickupNo
	}
	if l4 := o.MobileLast4(); l4 != "" {
		rec.MobileLast4 = l4
	}
	if !o.CreatedAt.IsZero() {
		rec.CreatedAt = o.CreatedAt
		rec.Day = BusinessDay(o.CreatedAt)
	}
	if !o.AcceptedAt.IsZero() && rec.AcceptedAt.IsZero() {
		rec.AcceptedAt = o.AcceptedAt
	}
}

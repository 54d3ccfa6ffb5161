package bridge

import (
	"context"
	"strconv"

	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// after collects what to do once a transaction has committed: events for the
// console and wake-ups for workers. Nothing here may be needed for
// correctness; the loops poll anyway.
type after struct {
	events   []Event
	moves    []move
	printers map[string]bool
	outbox   bool
	detail   bool
	refunds  bool // the refund poll should run now (claims.go)
	address  bool // a delivery order waits for its address (address.go)
}

func (a *after) event(e Event) { a.events = append(a.events, e) }

func (a *after) printer(name string) {
	if a.printers == nil {
		a.printers = map[string]bool{}
	}
	a.printers[name] = true
}

// inStep runs fn in a savepoint of tx (a step of a batch); the events of a
// step that is undone are not announced.
func inStep(tx *store.Tx, a *after, fn func() error) error {
	kept, keptMoves := len(a.events), len(a.moves)
	err := tx.Savepoint(fn)
	if err != nil {
		a.events, a.moves = a.events[:kept], a.moves[:keptMoves]
	}
	return err
}

// write runs fn in a write transaction and, once it committed, publishes the
// events and wakes the workers it collected.
func (b *Bridge) write(ctx context.Context, fn func(tx *store.Tx, a *after) error) error {
	_, err := writeValue(ctx, b, func(tx *store.Tx, a *after) (struct{}, error) { return struct{}{}, fn(tx, a) })
	return err
}

// writeValue is write for a callback with a result (store.WriteValue): the
// committed run's result and what it left to do after the commit.
func writeValue[T any](ctx context.Context, b *Bridge, fn func(tx *store.Tx, a *after) (T, error)) (T, error) {
	type run struct {
		v T
		a after
	}
	r, err := store.WriteValue(ctx, b.db, func(tx *store.Tx) (run, error) {
		var r run
		v, err := fn(tx, &r.a)
		r.v = v
		return r, err
	})
	if err != nil {
		b.NoteStorageError(err)
		return r.v, err
	}
	b.afterCommit(&r.a)
	return r.v, nil
}

// afterCommit announces what a committed write did and wakes the loops it
// gave work to.
func (b *Bridge) afterCommit(a *after) {
	b.logMoves(a.moves)
	for _, e := range a.events {
		b.bus.Publish(e)
	}
	for name := range a.printers {
		if b.printers != nil {
			b.printers.Wake(name)
		}
	}
	if a.outbox {
		wake(b.outboxWake)
	}
	if a.detail {
		wake(b.detailWake)
	}
	if a.refunds {
		wake(b.refundWake)
	}
	if a.address {
		wake(b.addressWake)
	}
}

// runEffects carries out a transition's effects inside the transaction.
func (b *Bridge) runEffects(tx *store.Tx, a *after, rec *store.OrderRecord, out outcome, actor string) error {
	for _, e := range out.effects {
		var err error
		switch e {
		case effPrintOrder:
			err = b.queueOrderPrints(tx, a, rec, false)
		case effCancelSlip:
			err = b.queueSlips(tx, a, rec, printer.KindCancel, out.note)
		case effRefundSlip:
			err = b.queueSlips(tx, a, rec, printer.KindRefund, out.note)
		case effPauseKitchen:
			err = b.queuePause(tx, a, rec, out.note)
		case effResumeKitchen:
			err = b.queueResume(tx, a, rec, out.note)
		case effDropQueued:
			rec.PrintPending = false
			_, err = tx.DropQueuedPrintJobs(rec.Code, []string{"receipt", "kitchen", "label"}, "订单已"+rec.Status.Label()+"，未打印")
		case effAskRefund:
			rec.Decision, rec.DecisionSince, rec.DecisionDeadline, rec.AlertLevel = store.DecisionRefund, tx.Now(), zeroTime, 0
			rec.DecisionNote = out.note
			a.event(Event{Type: EvDecision, Kind: store.DecisionRefund, Code: rec.Code, Status: string(rec.Status),
				Level: LevelCritical, Message: "订单 " + pickupLabel(rec) + " " + out.note})
		case effClearDecision:
			rec.Decision, rec.DecisionDeadline, rec.DecisionNote, rec.AlertLevel = store.DecisionNone, zeroTime, "", 0
		case effMootOutbox:
			var n int64
			n, err = tx.MootPendingOutbox(rec.Code, []string{"accept", "reject", "made", "complete", "deliver",
				"refund_approve", "refund_reject"}, "订单已"+rec.Status.Label())
			if n > 0 {
				// A staff step that never reached the platform: say so.
				a.event(Event{Type: EvAlert, Kind: "outbox_moot", Code: rec.Code, Level: LevelWarn,
					Message: "订单 " + pickupLabel(rec) + " 已" + rec.Status.Label() + "，尚未通知平台的操作已撤销"})
			}
		case effRunPolicy:
			err = b.decideAccept(tx, a, rec)
		case effAlertEvent:
			a.event(Event{Type: EvAlert, Kind: "platform_event", Code: rec.Code, Level: LevelWarn,
				Message: "订单 " + pickupLabel(rec) + "：" + out.note})
		case effMootRefundCalls:
			_, err = tx.MootPendingOutbox(rec.Code, []string{string(ActRefundApprove), string(ActRefundReject)}, "退款申请已结束："+out.note)
		case effReminder:
			err = b.remind(tx, a, rec, out)
		case effWaybill:
			err = b.recordWaybill(tx, a, rec, out)
		case effStaffCourier:
			err = b.recordStaffCourier(tx, rec, out)
		case effPartialRefund:
			err = b.partialRefund(tx, a, rec)
		case effTableAdded:
			err = b.tableAdded(tx, a, rec, out)
		case effAlertRefundUndone:
			a.event(Event{Type: EvAlert, Kind: "refund_undone", Code: rec.Code, Level: LevelCritical,
				Message: "订单 " + pickupLabel(rec) + "：" + out.note + "，请告知顾客"})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// record writes the history line of an outcome and the order's event.
func (b *Bridge) record(tx *store.Tx, a *after, rec *store.OrderRecord, out outcome, actor, source string) error {
	if out.changed || out.note != "" {
		if err := tx.AppendHistory(store.History{Code: rec.Code, From: out.from, To: out.to, Actor: actor,
			Source: source, Reason: out.note}); err != nil {
			return err
		}
	}
	if err := tx.SaveOrder(rec); err != nil {
		return err
	}
	if out.changed || out.note != "" {
		a.event(Event{Type: EvOrder, Code: rec.Code, Status: string(rec.Status), Message: out.note})
	}
	if err := b.reportTx(tx, a, rec, out, actor); err != nil {
		return err
	}
	if out.from != out.to {
		a.moved(move{code: rec.Code, pickup: rec.PickupNo, storeID: rec.StoreID, from: out.from, to: out.to, actor: actor,
			source: source, note: out.note})
	}
	return nil
}

// pickupLabel names an order for staff: its pickup number, else the code's tail.
func pickupLabel(rec *store.OrderRecord) string {
	if rec.PickupNo != "" {
		return rec.PickupNo + "号"
	}
	c := rec.Code
	if len(c) > 6 {
		c = "…" + c[len(c)-6:]
	}
	return c
}

func itoa(v int) string { return strconv.Itoa(v) }

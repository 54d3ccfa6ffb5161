package bridge

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// timerLoop runs what depends on time passing: manual-accept timeouts, held
// tickets of reserved orders, escalating alerts for waiting orders, and
// beeping printers when no console is watching.
func (b *Bridge) timerLoop(ctx context.Context) {
	var lastBeep time.Time
	for {
		now := b.now()
		b.runDeadlines(ctx, now)
		b.runHeldPrints(ctx, now)
		lastBeep = b.beepWhenUnwatched(ctx, now, lastBeep)
		if !sleep(ctx, time.Second, nil) {
			return
		}
	}
}

// runDeadlines accepts orders whose manual timeout passed and escalates the
// alert of orders that wait for staff too long.
func (b *Bridge) runDeadlines(ctx context.Context, now time.Time) {
	waiting, err := b.db.OrdersAwaitingDecision(ctx)
	if err != nil {
		return
	}
	escalate := b.cfg.Alerts.WaitingOrder
	for _, rec := range waiting {
		if b.clockJumpedBack(ctx, rec, now) {
			continue
		}
		if rec.Decision == store.DecisionAccept && !rec.DecisionDeadline.IsZero() && !now.Before(rec.DecisionDeadline) {
			b.acceptAfterTimeout(ctx, rec.Code)
			continue
		}
		if b.acceptWhenPrintersRecovered(ctx, rec) {
			continue
		}
		if escalate <= 0 {
			continue
		}
		waited := now.Sub(rec.DecisionSince)
		level := int(waited / escalate)
		if waited < 0 || level <= rec.AlertLevel {
			continue
		}
		b.escalate(ctx, rec.Code, level, waited)
	}
}

// clockJumpedBack repairs a waiting order whose times lie in the future: the
// wall clock went back. The wait restarts from now rather than stalling an
// auto-accept for the size of the jump.
func (b *Bridge) clockJumpedBack(ctx context.Context, rec *store.OrderRecord, now time.Time) bool {
	timeout := b.cfg.Accept.ManualTimeout
	sinceBad := rec.DecisionSince.After(now.Add(time.Minute))
	deadlineBad := !rec.DecisionDeadline.IsZero() && timeout > 0 && rec.DecisionDeadline.Sub(now) > timeout+time.Minute
	if !sinceBad && !deadlineBad {
		return false
	}
	err := b.db.Write(ctx, func(tx *store.Tx) error {
		r, err := tx.GetOrder(rec.Code)
		if err != nil || r.Decision == store.DecisionNone {
			return err
		}
		r.DecisionSince, r.AlertLevel = now, 0
		if !r.DecisionDeadline.IsZero() && timeout > 0 {
			r.DecisionDeadline = now.Add(timeout)
		}
		return tx.SaveOrder(r)
	})
	if err == nil {
		b.log.Warn("the wall clock went back: the order's wait restarts now", "order", rec.Code)
	}
	return true
}

func (b *Bridge) acceptAfterTimeout(ctx context.Context, code string) {
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		rec, err := tx.GetOrder(code)
		if err != nil || rec.Decision != store.DecisionAccept || rec.Status != order.StatusNew {
			return err
		}
		down := downTargets(b.healthTargets(rec.Detail), b.printerHealth)
		if len(down) > 0 && b.policy.promptWhenDown() {
			// Never accept into a kitchen that cannot see the order: keep asking.
			rec.DecisionDeadline = zeroTime
			rec.DecisionNote = printerDownNote + "，已超过接单时限，请人工确认：" + strings.Join(down, "；")
			a.event(Event{Type: EvAlert, Kind: "waiting_order", Code: code, Level: LevelCritical, Message: rec.DecisionNote})
			return tx.SaveOrder(rec)
		}
		return b.doTx(tx, a, rec, ActionRequest{Action: ActAccept, Code: code, Actor: "auto", Reason: "超时自动接单"})
	})
	if err != nil && ctx.Err() == nil {
		b.log.Error("auto-accept after timeout", "order", code, "err", err)
	}
}

// acceptWhenPrintersRecovered accepts an order that waits for staff only
// because its printers could not print, once they all can again: the policy
// would have accepted it, and staff in a rush may not notice the printer came
// back. It reports whether it acted.
func (b *Bridge) acceptWhenPrintersRecovered(ctx context.Context, rec *store.OrderRecord) bool {
	if rec.Decision != store.DecisionAccept || !strings.HasPrefix(rec.DecisionNote, printerDownNote) || rec.Detail == nil {
		return false
	}
	if len(downTargets(b.healthTargets(rec.Detail), b.printerHealth)) > 0 {
		return false
	}
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		r, err := tx.GetOrder(rec.Code)
		if err != nil || r.Decision != store.DecisionAccept || r.Status != order.StatusNew || !strings.HasPrefix(r.DecisionNote, printerDownNote) {
			return err
		}
		return b.doTx(tx, a, r, ActionRequest{Action: ActAccept, Code: r.Code, Actor: "auto", Reason: "打印机已恢复，自动接单"})
	})
	if err != nil && ctx.Err() == nil {
		b.log.Error("auto-accept after the printers recovered", "order", rec.Code, "err", err)
		return false
	}
	b.log.Info("printers recovered: order accepted automatically", "order", rec.Code)
	return true
}

func (b *Bridge) escalate(ctx context.Context, code string, level int, waited time.Duration) {
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		rec, err := tx.GetOrder(code)
		if err != nil || rec.Decision == store.DecisionNone {
			return err
		}
		rec.AlertLevel = level
		what := "接单"
		if rec.Decision == store.DecisionRefund {
			what = "处理退款"
		}
		msg := fmt.Sprintf("订单 %s 已等待%s %d 分钟！平台可能自动取消，请立即处理", pickupLabel(rec), what, int(waited.Minutes()))
		a.event(Event{Type: EvAlert, Kind: "waiting_order", Code: code, Level: LevelCritical, Message: msg,
			Data: map[string]int{"level": level}})
		// Warned once per order; the console keeps ringing, the log does not.
		logAt := slog.LevelDebug
		if level <= 1 {
			logAt = slog.LevelWarn
		}
		b.log.Log(ctx, logAt, "order waits for staff", "order", code, "decision", rec.Decision, "waited", waited.Round(time.Second), "alert_level", level)
		return tx.SaveOrder(rec)
	})
	if err != nil && ctx.Err() == nil {
		b.log.Error("escalate waiting order", "order", code, "err", err)
	}
}

// runHeldPrints queues tickets that waited (reserved orders, late details).
func (b *Bridge) runHeldPrints(ctx context.Context, now time.Time) {
	codes, err := b.db.OrdersPendingPrint(ctx, now)
	if err != nil {
		return
	}
	for _, code := range codes {
		err := b.write(ctx, func(tx *store.Tx, a *after) error {
			rec, err := tx.GetOrder(code)
			if err != nil || !rec.PrintPending {
				return err
			}
			if !printable(rec.Status) {
				rec.PrintPending = false
				return tx.SaveOrder(rec)
			}
			rec.PrintAt = zeroTime
			if err := b.queueOrderPrints(tx, a, rec, true); err != nil {
				return err
			}
			return tx.SaveOrder(rec)
		})
		if err != nil && ctx.Err() == nil {
			b.log.Error("queue held tickets", "order", code, "err", err)
		}
	}
}

// beepWhenUnwatched makes the printers beep while orders wait and no console
// page is open, so that a closed browser never means a silent store.
func (b *Bridge) beepWhenUnwatched(ctx context.Context, now, lastBeep time.Time) time.Time {
	every := b.cfg.Console.NoPageBeep
	if every <= 0 || b.bus.UnwatchedFor() < every {
		return lastBeep
	}
	if d := now.Sub(lastBeep); d >= 0 && d < every {
		return lastBeep
	}
	waiting, err := b.db.OrdersAwaitingDecision(ctx)
	if err != nil || len(waiting) == 0 {
		return lastBeep
	}
	err = b.write(ctx, func(tx *store.Tx, a *after) error { return b.queueBeeps(tx, a, len(waiting)) })
	if err != nil {
		b.log.Error("queue beep", "err", err)
		return lastBeep
	}
	b.log.Warn("orders wait and no console page is open: printers beep", "waiting", len(waiting))
	return now
}

package bridge

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// outboxWorkers is how many platform calls may be in flight at once; calls of
// one order never overlap (DueOutbox returns only the head of each lane).
const outboxWorkers = 8

func (b *Bridge) outboxLoop(ctx context.Context) {
	// Rows up to here were written by an earlier process, which may have
	// sent them and stopped before recording the answer.
	if id, err := b.db.MaxOutboxID(ctx); err == nil {
		b.outboxBoot = id
	} else if ctx.Err() == nil {
		b.log.Error("read outbox", "err", err)
		b.outboxBoot = 1 << 62
	}
	var mu sync.Mutex
	inflight := map[int64]bool{}
	sem := make(chan struct{}, outboxWorkers)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		now := b.now()
		rows, err := b.db.DueOutbox(ctx, now, 2*b.retryMax(), 4*outboxWorkers)
		if err != nil && ctx.Err() == nil {
			b.log.Error("read outbox", "err", err)
			b.NoteStorageError(err)
		}
		started := 0
		for _, row := range rows {
			mu.Lock()
			busy := inflight[row.ID]
			if !busy {
				inflight[row.ID] = true
			}
			mu.Unlock()
			if busy {
				continue
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			started++
			wg.Add(1)
			go func(row *store.OutboxRow) {
				defer wg.Done()
				defer func() { <-sem; mu.Lock(); delete(inflight, row.ID); mu.Unlock(); wake(b.outboxWake) }()
				b.sendOutbox(ctx, row)
			}(row)
		}
		wait := time.Second
		if next, err := b.db.NextOutboxAt(ctx); err == nil && !next.IsZero() {
			if d := next.Sub(b.now()); d < wait {
				wait = max(d, 20*time.Millisecond)
			}
		}
		if !sleep(ctx, wait, b.outboxWake) {
			return
		}
	}
}

// sendOutbox makes one attempt of one row and records what happened. A
// row goes to its destination: the channel of its order's source, or a
// reporter (reports.go). An attempt that may follow one the channel took
// (a reply lost, a crash before the answer was recorded) first asks the
// channel where the call stands, and goes out under a fresh transaction id
// only if the channel has not done it yet.
func (b *Bridge) sendOutbox(ctx context.Context, row *store.OutboxRow) {
	// The loop's listing may predate an attempt that just ended: sent from
	// it, the row would go out again under an id already used.
	fresh, err := b.db.GetOutbox(ctx, row.ID)
	if err != nil || fresh.State != store.OutboxPending || fresh.Attempts != row.Attempts || len(fresh.TxIDs) != len(row.TxIDs) {
		return
	}
	if rep, ok := b.reporters[row.Destination]; ok {
		b.sendReport(ctx, rep, row)
		return
	}
	ch, err := b.channels.get(order.Source(row.Destination))
	if err != nil {
		b.outboxRetry(ctx, row, err, err.Error())
		return
	}
	txID := row.TxID
	if row.Attempts > 0 || len(row.TxIDs) > 1 || row.ID <= b.outboxBoot || b.attempted.has(row.ID) {
		settled, err := b.settleBeforeRetry(ctx, ch, row)
		if settled || ctx.Err() != nil {
			return
		}
		if err == nil {
			txID, err = b.newAttempt(ctx, row)
		}
		if err != nil {
			err = fmt.Errorf("before sending again, the order's status could not be read: %w", err)
			b.outboxRetry(ctx, row, err, ch.Classify(err).Message)
			return
		}
	}
	// Until the outcome is written, a row sent here counts as attempted,
	// even if the write fails (a full disk): it is not sent again under
	// the same id.
	b.attempted.add(row.ID)
	result, err := ch.Send(ctx, b.callOf(ctx, row, txID, false))
	if ctx.Err() != nil {
		return // shutting down: the row stays pending and resumes after restart
	}
	if err == nil {
		b.channelOK(ch)
		b.outboxSucceeded(ctx, ch, row, result, "")
		return
	}
	b.channelError(ch, row.Kind, err)
	verdict := ch.Classify(err)
	if isStoreCall(row.Kind) && verdict.Retry && verdict.Refused && row.Attempts+1 >= storeRefusalAttempts {
		// The platform keeps saying no to a store call: show its reason.
		verdict.Retry = false
	}
	b.log.Warn("platform call failed", "op", row.Op, "order", row.OrderCode, "tx_id", txID,
		"attempt", row.Attempts+1, "retryable", verdict.Retry, "err", err)
	if !verdict.Retry {
		if row.OrderCode != "" {
			if done, moot := b.reconcileRow(ctx, ch, row); done || moot {
				return
			}
		}
		b.outboxFailed(ctx, row, err, verdict.Message)
		return
	}
	b.outboxRetry(ctx, row, err, verdict.Message)
}

// callOf is a row as its channel sees it, under transaction id txID; with
// store, the order's store is read (the refund list is searched by it).
func (b *Bridge) callOf(ctx context.Context, row *store.OutboxRow, txID string, withStore bool) Call {
	c := Call{ID: row.ID, TxID: txID, Kind: row.Kind, Op: row.Op, Code: row.OrderCode, Payload: row.Payload, CreatedAt: row.CreatedAt}
	if withStore && row.OrderCode != "" {
		if rec, err := b.db.GetOrder(ctx, row.OrderCode); err == nil {
			c.StoreID = rec.StoreID
		}
	}
	return c
}

// newAttempt records a fresh transaction id on the row before it is used.
func (b *Bridge) newAttempt(ctx context.Context, row *store.OutboxRow) (string, error) {
	var txID string
	err := b.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		txID, err = tx.NewOutboxAttempt(row.ID)
		return err
	})
	return txID, err
}

// outboxRetry records a failed attempt and schedules the next one; why is
// what staff read about err.
func (b *Bridge) outboxRetry(ctx context.Context, row *store.OutboxRow, err error, why string) {
	attempts := row.Attempts + 1
	next := b.now().Add(backoff(b.cfg.Outbox.RetryMin, b.cfg.Outbox.RetryMax, attempts))
	werr := b.write(ctx, func(tx *store.Tx, a *after) error {
		if err := tx.MarkOutboxRetry(row.ID, err.Error(), next); err != nil {
			return err
		}
		if alertAfter := b.cfg.Outbox.AlertAfter; alertAfter > 0 && tx.Now().Sub(row.CreatedAt) >= alertAfter {
			a.event(Event{Type: EvAlert, Kind: "outbox", Code: row.OrderCode, Level: LevelWarn,
				Message: fmt.Sprintf("%s 未能通知%s（已重试 %d 次）：%s", ActionLabel(row.Op), b.destinationLabel(row), attempts, why)})
		}
		return nil
	})
	if werr != nil {
		b.log.Error("record outbox retry", "tx_id", row.TxID, "err", werr)
		return
	}
	b.attempted.del(row.ID)
}

func (b *Bridge) outboxSucceeded(ctx context.Context, ch Channel, row *store.OutboxRow, result, note string) {
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		if err := tx.MarkOutboxDone(row.ID, result); err != nil {
			return err
		}
		if isStoreCall(row.Kind) {
			return b.storeCallSucceeded(tx, a, row, result)
		}
		if row.Kind == "submit" {
			a.event(Event{Type: EvPlatform, Kind: "pos_submitted", Message: "线下订单已上传", Data: map[string]any{"id": row.ID, "result": result}})
			return nil
		}
		msg := "平台已确认：" + ActionLabel(row.Op)
		if note != "" {
			msg += "（" + note + "）"
		}
		if err := confirmStatus(tx, ch, row); err != nil {
			return err
		}
		a.event(Event{Type: EvPlatform, Kind: "outbox_done", Code: row.OrderCode, Message: msg})
		return tx.AppendHistory(store.History{Code: row.OrderCode, Actor: "platform", Source: "outbox", Reason: msg})
	})
	if err != nil {
		b.log.Error("record outbox success", "tx_id", row.TxID, "err", err)
		return
	}
	b.attempted.del(row.ID)
}

func (b *Bridge) outboxFailed(ctx context.Context, row *store.OutboxRow, cause error, why string) {
	msg := fmt.Sprintf("%s 被%s拒绝：%s", ActionLabel(row.Op), b.destinationLabel(row), why)
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		if err := tx.MarkOutboxFinal(row.ID, store.OutboxFailed, cause.Error()); err != nil {
			return err
		}
		a.event(Event{Type: EvAlert, Kind: "outbox_failed", Code: row.OrderCode, Level: LevelCritical, Message: msg})
		if row.OrderCode == "" {
			return nil
		}
		if err := tx.AppendHistory(store.History{Code: row.OrderCode, Actor: "platform", Source: "outbox", Reason: msg}); err != nil {
			return err
		}
		if row.Op == string(ActRefundApprove) {
			return b.refundNotDoneTx(tx, a, row.OrderCode, why)
		}
		return nil
	})
	if err != nil {
		b.log.Error("record outbox failure", "tx_id", row.TxID, "err", err)
		return
	}
	b.attempted.del(row.ID)
}

// confirmStatus records the channel status a successful call left the
// order in, so that a later cancel is told apart from a refund (see
// wasAccepted).
func confirmStatus(tx *store.Tx, ch Channel, row *store.OutboxRow) error {
	if row.OrderCode == "" {
		return nil
	}
	have, err := tx.PlatformStatus(row.OrderCode)
	if errors.Is(err, store.ErrNotFound) {
		return nil // pruned meanwhile
	}
	if err != nil {
		return err
	}
	next, ok := ch.Confirmed(Call{ID: row.ID, Kind: row.Kind, Op: row.Op, Code: row.OrderCode}, have)
	if !ok {
		return nil
	}
	return tx.SetPlatformStatus(row.OrderCode, next)
}

// settleBeforeRetry asks the channel whether a call that may have gone out
// already did what it asked for, before it is sent again. settled means
// the row was ended here (done or moot); err means the channel could not
// be asked, and nothing is sent.
func (b *Bridge) settleBeforeRetry(ctx context.Context, ch Channel, row *store.OutboxRow) (settled bool, err error) {
	st, err := ch.Standing(ctx, b.callOf(ctx, row, row.LastTxID(), true), true)
	if err != nil {
		return false, err
	}
	done, moot := b.settleRow(ctx, ch, row, st)
	return done || moot, nil
}

// reconcileRow asks the channel where the order stands after it refused a
// call. done: the channel is already where the call wanted it (row marked
// done). moot: the order moved somewhere the call no longer makes sense
// (e.g. cancelled), which was applied.
func (b *Bridge) reconcileRow(ctx context.Context, ch Channel, row *store.OutboxRow) (done, moot bool) {
	st, err := ch.Standing(ctx, b.callOf(ctx, row, row.LastTxID(), false), false)
	if err != nil {
		return false, false
	}
	return b.settleRow(ctx, ch, row, st)
}

// settleRow ends a row that the channel's standing makes done or pointless.
func (b *Bridge) settleRow(ctx context.Context, ch Channel, row *store.OutboxRow, st Standing) (done, moot bool) {
	if st.Done {
		b.outboxSucceeded(ctx, ch, row, st.Result, st.Note)
		return true, false
	}
	if !st.Moot {
		return false, false
	}
	err := b.db.Write(ctx, func(tx *store.Tx) error { return tx.MarkOutboxFinal(row.ID, store.OutboxMoot, st.Reason) })
	if err != nil {
		return false, false
	}
	b.attempted.del(row.ID)
	b.bus.Publish(Event{Type: EvAlert, Kind: "outbox_moot", Code: row.OrderCode, Level: LevelWarn,
		Message: ActionLabel(row.Op) + "未完成：" + st.Reason})
	if st.Change != nil {
		c := *st.Change
		if c.At.IsZero() {
			c.At = b.now()
		}
		_ = b.applyChange(ctx, c, nil, nil)
	}
	return false, true
}

// AbandonOutbox ends a call that keeps failing (staff pressed 放弃): it is
// recorded as failed with who gave it up, and never sent again.
func (b *Bridge) AbandonOutbox(ctx context.Context, id int64, actor string) error {
	return b.write(ctx, func(tx *store.Tx, a *after) error {
		row, err := tx.GetOutbox(id)
		if err != nil {
			return err
		}
		if row.State != store.OutboxPending {
			return store.ErrNotFound
		}
		if err := tx.MarkOutboxFinal(id, store.OutboxFailed, "店员放弃（"+actor+"）："+row.LastError); err != nil {
			return err
		}
		a.event(Event{Type: EvPlatform, Kind: "outbox_abandoned", Code: row.OrderCode, Message: ActionLabel(row.Op) + " 已放弃"})
		if row.OrderCode != "" {
			if err := tx.AppendHistory(store.History{Code: row.OrderCode, Actor: actor, Source: "staff",
				Reason: "放弃通知平台：" + ActionLabel(row.Op)}); err != nil {
				return err
			}
		}
		if row.Op == string(ActRefundApprove) {
			if err := b.refundNotDoneTx(tx, a, row.OrderCode, "店员放弃了同意退款的请求"); err != nil {
				return err
			}
		}
		return tx.AppendAudit(store.Audit{Actor: actor, Action: "outbox_abandon", OrderCode: row.OrderCode, Detail: fmt.Sprint(id)})
	})
}

// RetryOutbox makes a failing or failed call due now (staff pressed 重试).
func (b *Bridge) RetryOutbox(ctx context.Context, id int64, actor string) error {
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		if err := tx.RetryOutboxNow(id); err != nil {
			return err
		}
		a.outbox = true
		return tx.AppendAudit(store.Audit{Actor: actor, Action: "outbox_retry", Detail: fmt.Sprint(id)})
	})
	return err
}

func (b *Bridge) retryMax() time.Duration {
	if b.cfg.Outbox.RetryMax > 0 {
		return b.cfg.Outbox.RetryMax
	}
	return 5 * time.Minute
}

// backoff is exponential with ±20% jitter, between lo and hi.
func backoff(lo, hi time.Duration, attempt int) time.Duration {
	if lo <= 0 {
		lo = time.Second
	}
	if hi < lo {
		hi = lo
	}
	d := lo
	for i := 1; i < attempt && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	jitter := time.Duration(rand.Int64N(int64(d)/5+1)) - d/10
	return max(lo/2, d+jitter)
}

// ActionLabel is the Chinese name of an outbox row's action, for staff.
func ActionLabel(op string) string {
	switch Action(op) {
	case ActAccept:
		return "接单"
	case ActReject:
		return "拒单"
	case ActMade:
		return "制作完成"
	case ActComplete:
		return "完成订单"
	case ActDeliver:
		return "配送"
	case ActRefundApprove:
		return "同意退款"
	case ActRefundReject:
		return "拒绝退款"
	case ActCancel:
		return "售后退款"
	case "submit":
		return "上传线下订单"
	}
	if l := storeOpLabel(op); l != "" {
		return l
	}
	switch op {
	case kindUpdateItems:
		return "修改围餐商品"
	case kindPayAfter:
		return "围餐结账"
	}
	// A reporter's row carries the lifecycle status it reports ("new").
	if l := order.Status(op).Label(); l != "" && l != op {
		return "报告「" + l + "」"
	}
	return op
}

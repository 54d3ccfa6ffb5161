package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
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

// sendOutbox makes one attempt of one row and records what happened. The
// platform's rules give every request an x-transaction-id of its own, and
// nothing says it deduplicates on them: so an attempt that may follow one
// the platform took (a reply lost, a crash before the answer was recorded)
// first asks where the order stands (outbox_reconcile.go), and goes out
// under a fresh id only if the platform has not done it yet.
func (b *Bridge) sendOutbox(ctx context.Context, row *store.OutboxRow) {
	// The loop's listing may predate an attempt that just ended: sent from
	// it, the row would go out again under an id already used.
	fresh, err := b.db.GetOutbox(ctx, row.ID)
	if err != nil || fresh.State != store.OutboxPending || fresh.Attempts != row.Attempts || len(fresh.TxIDs) != len(row.TxIDs) {
		return
	}
	txID := row.TxID
	if row.Attempts > 0 || len(row.TxIDs) > 1 || row.ID <= b.outboxBoot || b.attempted.has(row.ID) {
		settled, err := b.settleBeforeRetry(ctx, row)
		if settled || ctx.Err() != nil {
			return
		}
		if err == nil {
			txID, err = b.newAttempt(ctx, row)
		}
		if err != nil {
			b.outboxRetry(ctx, row, fmt.Errorf("before sending again, the order's status could not be read: %w", err))
			return
		}
	}
	// Until the outcome is written, a row sent here counts as attempted,
	// even if the write fails (a full disk): it is not sent again under
	// the same id.
	b.attempted.add(row.ID)
	result, err := b.callPlatform(ctx, row, txID)
	if ctx.Err() != nil {
		return // shutting down: the row stays pending and resumes after restart
	}
	if err == nil {
		b.health.platformOK(b.now())
		b.outboxSucceeded(ctx, row, result, "")
		return
	}
	b.health.platformError(b.now(), row.Kind, err)
	retryable := (kaigedian.IsRetryable(err) || authRefusal(err)) && !storeCallRefused(row, err)
	b.log.Warn("platform call failed", "op", row.Op, "order", row.OrderCode, "tx_id", txID,
		"attempt", row.Attempts+1, "retryable", retryable, "err", err)
	if !retryable {
		if row.OrderCode != "" {
			if done, moot := b.reconcileRow(ctx, row); done || moot {
				return
			}
		}
		b.outboxFailed(ctx, row, err)
		return
	}
	b.outboxRetry(ctx, row, err)
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

// outboxRetry records a failed attempt and schedules the next one.
func (b *Bridge) outboxRetry(ctx context.Context, row *store.OutboxRow, err error) {
	attempts := row.Attempts + 1
	next := b.now().Add(backoff(b.cfg.Outbox.RetryMin, b.cfg.Outbox.RetryMax, attempts))
	werr := b.write(ctx, func(tx *store.Tx, a *after) error {
		if err := tx.MarkOutboxRetry(row.ID, err.Error(), next); err != nil {
			return err
		}
		if alertAfter := b.cfg.Outbox.AlertAfter; alertAfter > 0 && tx.Now().Sub(row.CreatedAt) >= alertAfter {
			a.event(Event{Type: EvAlert, Kind: "outbox", Code: row.OrderCode, Level: LevelWarn,
				Message: fmt.Sprintf("%s 未能通知平台（已重试 %d 次）：%s", opLabel(row.Op), attempts, platformMessage(err))})
		}
		return nil
	})
	if werr != nil {
		b.log.Error("record outbox retry", "tx_id", row.TxID, "err", werr)
		return
	}
	b.attempted.del(row.ID)
}

// callPlatform sends the row under transaction id txID.
func (b *Bridge) callPlatform(ctx context.Context, row *store.OutboxRow, txID string) (string, error) {
	if res, err, ok := b.callStore(ctx, row, txID); ok {
		return res, err
	}
	if err, ok := b.callTable(ctx, row, txID); ok {
		return "", err
	}
	if row.Kind == "submit" {
		var req kaigedian.SubmitRequest
		if err := json.Unmarshal(row.Payload, &req); err != nil {
			return "", fmt.Errorf("outbox row %d: %w", row.ID, err)
		}
		code, err := b.platform.Submit(ctx, txID, req)
		if err != nil {
			return "", err
		}
		res, _ := json.Marshal(map[string]string{"order_code": code})
		return string(res), nil
	}
	var op opPayload
	if err := json.Unmarshal(row.Payload, &op); err != nil {
		return "", fmt.Errorf("outbox row %d: %w", row.ID, err)
	}
	switch row.Kind {
	case "status_operation":
		req := kaigedian.StatusOperationRequest{OrderCode: op.OrderCode, OrderStatus: op.Status, Reason: op.Reason, Operator: op.Operator,
			ThirdOrderCode: op.ThirdCode, OrderClient: op.OrderClient}
		if op.Courier != nil {
			req.Delivery = &kaigedian.DeliveryInfo{ContactsName: op.Courier.Name, Mobile: op.Courier.Mobile,
				ExpressChannelCode: op.Courier.ChannelCode, ExpressChannelName: op.Courier.ChannelName,
				ExpressNo: op.Courier.ExpressNo, Remark: op.Courier.Remark}
		}
		return "", b.platform.StatusOperation(ctx, txID, req)
	case "refund_operation":
		return "", b.platform.RefundOperation(ctx, txID, kaigedian.RefundOperationRequest{OrderCode: op.OrderCode,
			Action: op.Action, Reason: op.Reason, Operator: op.Operator})
	case "cancel":
		return "", b.platform.Cancel(ctx, txID, kaigedian.CancelRequest{OrderCode: op.OrderCode, Reason: op.Reason, Operator: op.Operator,
			ThirdOrderCode: op.ThirdCode, OrderClient: op.OrderClient})
	}
	return "", fmt.Errorf("outbox row %d: unknown kind %q", row.ID, row.Kind)
}

func (b *Bridge) outboxSucceeded(ctx context.Context, row *store.OutboxRow, result, note string) {
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
		msg := "平台已确认：" + opLabel(row.Op)
		if note != "" {
			msg += "（" + note + "）"
		}
		if err := confirmPlatformStatus(tx, row); err != nil {
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

func (b *Bridge) outboxFailed(ctx context.Context, row *store.OutboxRow, cause error) {
	msg := fmt.Sprintf("%s 被平台拒绝：%s", opLabel(row.Op), platformMessage(cause))
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
			return b.refundNotDoneTx(tx, a, row.OrderCode, platformMessage(cause))
		}
		return nil
	})
	if err != nil {
		b.log.Error("record outbox failure", "tx_id", row.TxID, "err", err)
		return
	}
	b.attempted.del(row.ID)
}

// confirmPlatformStatus records that the platform applied a status call, so
// that a later cancel is told apart from a refund (see wasAccepted).
func confirmPlatformStatus(tx *store.Tx, row *store.OutboxRow) error {
	want := map[string]int{string(ActAccept): order.PlatformAccepted, string(ActMade): order.PlatformMade,
		string(ActDeliver): order.PlatformDelivering, string(ActComplete): order.PlatformCompleted}[row.Op]
	if want == 0 || row.OrderCode == "" {
		return nil
	}
	have, err := tx.PlatformStatus(row.OrderCode)
	if errors.Is(err, store.ErrNotFound) {
		return nil // pruned meanwhile
	}
	if err != nil {
		return err
	}
	cur, _ := order.StatusFromPlatform(have)
	next, _ := order.StatusFromPlatform(want)
	if rank(next) <= rank(cur) {
		return nil
	}
	return tx.SetPlatformStatus(row.OrderCode, want)
}

// reconcileRow asks the platform where the order stands. done: the platform is
// already where the call wanted it (row marked done). moot: the order moved
// somewhere the call no longer makes sense (e.g. cancelled), which was applied.
func (b *Bridge) reconcileRow(ctx context.Context, row *store.OutboxRow) (done, moot bool) {
	statuses, err := b.platform.BatchOrderStatus(ctx, []string{row.OrderCode})
	if err != nil || len(statuses) == 0 {
		return false, false
	}
	return b.settleRow(ctx, row, statuses[0].PlatformStatus)
}

// settleRow ends a row the platform's status ps makes done or pointless.
func (b *Bridge) settleRow(ctx context.Context, row *store.OutboxRow, ps int) (done, moot bool) {
	if reached(row, ps) {
		b.outboxSucceeded(ctx, row, "", "平台状态已是 "+statusOf(ps).Label())
		return true, false
	}
	if ps == order.PlatformCancelled || ps == order.PlatformRejected || ps == order.PlatformCompleted {
		reason := "平台订单状态为" + statusOf(ps).Label() + "，不再需要" + opLabel(row.Op)
		err := b.db.Write(ctx, func(tx *store.Tx) error { return tx.MarkOutboxFinal(row.ID, store.OutboxMoot, reason) })
		if err != nil {
			return false, false
		}
		b.attempted.del(row.ID)
		b.bus.Publish(Event{Type: EvAlert, Kind: "outbox_moot", Code: row.OrderCode, Level: LevelWarn,
			Message: opLabel(row.Op) + "未完成：" + reason})
		_ = b.applyChange(ctx, order.Change{Kind: order.ChangeStatus, Source: order.SourceReconcile, Code: row.OrderCode,
			PlatformStatus: ps, At: b.now()}, nil, nil)
		return false, true
	}
	return false, false
}

// reached reports whether platform status ps already is what the row asked for.
func reached(row *store.OutboxRow, ps int) bool {
	switch row.Op {
	case string(ActAccept):
		return ps == order.PlatformAccepted || ps == order.PlatformMade || ps == order.PlatformDelivering || ps == order.PlatformCompleted
	case string(ActMade):
		return ps == order.PlatformMade || ps == order.PlatformDelivering || ps == order.PlatformCompleted
	case string(ActDeliver):
		return ps == order.PlatformDelivering || ps == order.PlatformCompleted
	case string(ActComplete):
		return ps == order.PlatformCompleted
	case string(ActReject):
		return ps == order.PlatformRejected
	case string(ActRefundApprove), string(ActCancel):
		return ps == order.PlatformCancelled
	}
	return false
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
		a.event(Event{Type: EvPlatform, Kind: "outbox_abandoned", Code: row.OrderCode, Message: opLabel(row.Op) + " 已放弃"})
		if row.OrderCode != "" {
			if err := tx.AppendHistory(store.History{Code: row.OrderCode, Actor: actor, Source: "staff",
				Reason: "放弃通知平台：" + opLabel(row.Op)}); err != nil {
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

func opLabel(op string) string {
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
	return op
}

// authRefusal reports a refused signature or credential: a problem of the
// link (a key or token being changed), not of the call, which heals; the
// call is retried rather than given up.
func authRefusal(err error) bool {
	var pe *kaigedian.PlatformError
	if !errors.As(err, &pe) {
		return false
	}
	return pe.Code == "401" || pe.Code == "403" || pe.HTTPStatus == 401 || pe.HTTPStatus == 403 ||
		strings.Contains(pe.Message, "签名") || strings.Contains(pe.Message, "token")
}

// platformMessage says in Chinese why a call failed: the platform's own
// message when there is one, else what kind of failure it was. The raw error
// stays in the outbox row and the log.
func platformMessage(err error) string { return kaigedian.Explain(err) }

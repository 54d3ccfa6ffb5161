package wechatsync

import (
	"context"
	"errors"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay"
)

// View is one sync of an order as the console shows it.
type View struct {
	Action      string    `json:"action"` // CREATE_DEAL | PAY_SUCCESS
	ActionLabel string    `json:"action_label"`
	State       string    `json:"state"` // pending | done | failed | not_syncable
	StateLabel  string    `json:"state_label"`
	Message     string    `json:"message,omitempty"` // why it failed or is not sent, for staff
	Attempts    int       `json:"attempts"`
	UpdatedAt   time.Time `json:"updated_at"`
	DoneAt      time.Time `json:"done_at,omitzero"`
	CanRetry    bool      `json:"can_retry"`
}

// Desk is what the console asks of the sync: each order's state and a
// staff retry, which goes through the order's outbox rows.
type Desk struct {
	DB     *store.DB
	Bridge *bridge.Bridge
}

// ErrNothingToRetry: the order has no sync that failed or waits.
var ErrNothingToRetry = errors.New("wechatsync: nothing to retry")

// OrderSyncs are the order's syncs, CREATE_DEAL first (none yet: the sync
// has not been tried, or the order is not a scan-to-order one).
func (d *Desk) OrderSyncs(ctx context.Context, code string) ([]View, error) {
	rows, err := d.DB.WeChatPaySyncs(ctx, code)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(rows))
	for _, s := range rows {
		v := View{Action: s.Action, ActionLabel: actionLabel(wechatpay.SyncAction(s.Action)), State: s.State, Message: s.Message,
			Attempts: s.Attempts, UpdatedAt: s.UpdatedAt, DoneAt: s.DoneAt}
		switch s.State {
		case store.WeChatPaySyncDone:
			v.StateLabel = "已同步"
		case store.WeChatPaySyncFailed:
			v.StateLabel, v.CanRetry = "同步失败", true
		case store.WeChatPaySyncNotSyncable:
			v.StateLabel = "不同步"
		default:
			v.StateLabel = "等待同步"
			if s.Attempts > 0 {
				v.StateLabel, v.CanRetry = "同步失败，自动重试中", true
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// Retry makes the order's failed or waiting syncs go out now: a refused
// one is built again from the order and configuration as they are now
// (the installer fixed something), a waiting one is sent at once. It
// returns how many outbox rows were made due.
func (d *Desk) Retry(ctx context.Context, code, actor string) (int, error) {
	syncs, err := d.DB.WeChatPaySyncs(ctx, code)
	if err != nil {
		return 0, err
	}
	open := false
	for _, s := range syncs {
		if s.State == store.WeChatPaySyncFailed {
			open = true
		}
		if s.State != store.WeChatPaySyncPending {
			continue
		}
		open = true
		if err := d.DB.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.RestartWeChatPaySync(code, s.Action)
			return err
		}); err != nil {
			return 0, err
		}
	}
	if !open {
		return 0, ErrNothingToRetry
	}
	rows, err := d.DB.ListOutbox(ctx, store.OutboxFilter{OrderCode: code, States: []string{store.OutboxPending, store.OutboxFailed}, Limit: 50})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, row := range rows {
		if row.Destination != Name {
			continue
		}
		err := d.Bridge.RetryOutbox(ctx, row.ID, actor)
		if bridge.ErrorCode(err) == bridge.ENotFound {
			continue // it ended meanwhile
		}
		if err != nil {
			return n, err
		}
		n++
	}
	if n == 0 {
		return 0, ErrNothingToRetry
	}
	return n, nil
}

// Package wechatsync reports scan-to-order orders to WeChat Pay's catering
// order sync (seed 003) as a bridge reporter: CREATE_DEAL when an order is
// placed, PAY_SUCCESS when it is paid through WeChat Pay. Each transition is
// an outbox row of the reporter's own lane (bridge), so a sync never waits
// behind the order's own flow and survives a restart. The snapshot and the
// exact body of each sync are stored (store.WeChatPaySync) before the first
// send, so every retry, also after a kill, sends the same bytes.
package wechatsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay"
)

// Name is the reporter's outbox destination; staff read it in alerts
// ("未能通知微信支付").
const Name = "微信支付"

// Identities finds a customer's WeChat login under an official account
// (customers.Service).
type Identities interface {
	WeChatIdentity(ctx context.Context, customerID int64, appID string) (store.CustomerIdentity, bool, error)
}

// Payments tells how an order was paid online.
type Payments interface {
	// WeChatPayment is the order's payment through WeChat Pay (钱方 or
	// 收钱吧 charging a WeChat wallet); nil when it was not paid that way.
	WeChatPayment(ctx context.Context, orderCode string) (*wechatpay.SyncPayment, error)
}

// Menus are the restaurants' menus (service.Channel): dish categories,
// positions and the currency.
type Menus interface {
	Menu(restaurantID int64) (*menu.Menu, string, bool)
}

// Sender sends one sync body (wechatpay.Client).
type Sender interface {
	SyncStatus(ctx context.Context, body []byte, ref wechatpay.SyncRef) (*wechatpay.Reply, error)
}

// Options of a Reporter.
type Options struct {
	DB         *store.DB
	Config     wechatpay.Config
	Sender     Sender
	Identities Identities
	Payments   Payments // nil: no online payments known, no PAY_SUCCESS
	Menus      Menus    // nil: no dish types or priorities, CNY
	// PublicURL is ordering.public_url (read at each sync: the sandbox
	// knows it only once its listener is open); order_entry is the table's
	// page on it.
	PublicURL func() string
	// Refresher renews a stale page access_token before a (re)send; nil
	// sends the token kept.
	Refresher wechatpay.LoginTokenRefresher
	// CustomerOf, when set, names the customer of an order placed without
	// a recorded login (the sandbox's simulated WeChat guest).
	CustomerOf func(ctx context.Context, orderCode string) (int64, bool, error)
	Now        func() time.Time
	Log        *slog.Logger
}

// Reporter is the WeChat Pay sync on bridge's Reporter port.
type Reporter struct{ opt Options }

var _ bridge.Reporter = (*Reporter)(nil)

// New is the reporter of opt.
func New(opt Options) *Reporter {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Reporter{opt: opt}
}

// Name implements bridge.Reporter.
func (r *Reporter) Name() string { return Name }

// Follows: only scan-to-order orders are reported.
func (r *Reporter) Follows(s order.Source) bool { return s == order.SourceOrdering }

// Report carries out the syncs a transition calls for: CREATE_DEAL for the
// first one, PAY_SUCCESS for the move to paid of an order paid through
// WeChat Pay. Other transitions have nothing to report. A sync already done
// is not sent again, so a repeated transaction id changes nothing.
func (r *Reporter) Report(ctx context.Context, _ string, t bridge.Transition) error {
	for _, action := range r.due(ctx, t) {
		if err := r.sync(ctx, t, action); err != nil {
			return err
		}
	}
	return nil
}

// due lists the syncs of t, in the order they are sent.
func (r *Reporter) due(ctx context.Context, t bridge.Transition) []wechatpay.SyncAction {
	var out []wechatpay.SyncAction
	if t.From == "" {
		out = append(out, wechatpay.ActionCreateDeal)
		// An order seen first when already paid (its unpaid state was
		// never announced) is reported paid right after.
		if t.Payment == order.PaymentPaid && t.To != order.StatusPendingPayment && r.paidThroughWeChat(ctx, t.Code) {
			out = append(out, wechatpay.ActionPaySuccess)
		}
		return out
	}
	if t.From == order.StatusPendingPayment && t.Payment == order.PaymentPaid {
		out = append(out, wechatpay.ActionPaySuccess)
	}
	return out
}

func (r *Reporter) paidThroughWeChat(ctx context.Context, code string) bool {
	if r.opt.Payments == nil {
		return false
	}
	p, err := r.opt.Payments.WeChatPayment(ctx, code)
	return err == nil && p != nil
}

// sync carries out one sync: stored first, then sent until WeChat Pay
// accepts it.
func (r *Reporter) sync(ctx context.Context, t bridge.Transition, action wechatpay.SyncAction) error {
	if action == wechatpay.ActionPaySuccess {
		if err := r.createDealFirst(ctx, t); err != nil {
			return err
		}
	}
	cur, err := r.opt.DB.WeChatPaySync(ctx, t.Code, string(action))
	switch {
	case errors.Is(err, store.ErrNotFound):
		if cur, err = r.queue(ctx, t, action); err != nil {
			return err
		}
	case err != nil:
		return err
	case cur.State == store.WeChatPaySyncFailed:
		// Only a staff retry brings a refused sync back: build it again
		// from the order and the configuration as they are now.
		if err := r.opt.DB.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.RestartWeChatPaySync(t.Code, string(action))
			return err
		}); err != nil {
			return err
		}
		if cur, err = r.queue(ctx, t, action); err != nil {
			return err
		}
	}
	if cur.State != store.WeChatPaySyncPending {
		return nil // done, or never to be sent
	}
	now := r.opt.Now()
	if cur.NextAt.After(now) {
		return &waitError{until: cur.NextAt, message: cur.Message}
	}
	body, err := r.freshBody(ctx, cur, now)
	if err != nil {
		return err
	}
	ref := wechatpay.SyncRef{OutOrderNo: t.Code, Action: action}
	reply, err := r.opt.Sender.SyncStatus(ctx, body, ref)
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the row resumes after restart
	}
	if err == nil {
		return r.opt.DB.Write(ctx, func(tx *store.Tx) error {
			return tx.MarkWeChatPaySyncDone(t.Code, string(action), reply.RequestID)
		})
	}
	class := wechatpay.Classify(err)
	state := store.WeChatPaySyncPending
	if class == wechatpay.ClassNever {
		state = store.WeChatPaySyncFailed
	}
	next := time.Time{}
	if d := wechatpay.RetryAfter(err); d > 0 {
		next = now.Add(d)
	}
	if werr := r.opt.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.MarkWeChatPaySyncFailed(t.Code, string(action), state, class.String(), wechatpay.InstallerMessage(err), err.Error(), next)
	}); werr != nil {
		r.opt.Log.Error("record wechatpay sync failure", "order", t.Code, "status", action, "err", werr)
	}
	return err
}

// createDealFirst holds a PAY_SUCCESS back until WeChat Pay has the order's
// CREATE_DEAL (or it is never to be sent): the lane keeps them in order
// while both wait, and this keeps them in order when the CREATE_DEAL was
// refused for good and waits for a staff retry. An order whose placing was
// never reported (the reporter came later) is reported placed first.
func (r *Reporter) createDealFirst(ctx context.Context, t bridge.Transition) error {
	deal, err := r.opt.DB.WeChatPaySync(ctx, t.Code, string(wechatpay.ActionCreateDeal))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return r.sync(ctx, t, wechatpay.ActionCreateDeal)
	case err != nil:
		return err
	case deal.State == store.WeChatPaySyncPending || deal.State == store.WeChatPaySyncFailed:
		return &waitError{message: "等待下单信息同步到微信支付后，再同步支付结果"}
	}
	return nil
}

// queue builds the sync's snapshot and body and stores them before
// anything is sent; an order that is not reported is stored as such, with
// its reason in the order's history. A row a concurrent attempt stored
// first wins.
func (r *Reporter) queue(ctx context.Context, t bridge.Transition, action wechatpay.SyncAction) (*store.WeChatPaySync, error) {
	row := store.WeChatPaySync{OrderCode: t.Code, Action: string(action), State: store.WeChatPaySyncPending}
	snap, err := r.snapshot(ctx, t, action)
	var body []byte
	if err == nil {
		body, err = wechatpay.BuildSyncBody(&r.opt.Config, snap)
	}
	var ns *wechatpay.NotSyncable
	switch {
	case errors.As(err, &ns):
		row.State, row.Reason, row.Message = store.WeChatPaySyncNotSyncable, string(ns.Reason), ns.Message()
		r.opt.Log.Info("wechatpay sync: order not reported", "order", t.Code, "status", action, "reason", ns.Reason, "detail", ns.Detail)
	case err != nil:
		return nil, err // a read failed: the outbox retries
	default:
		js, err := json.Marshal(snap)
		if err != nil {
			return nil, err
		}
		row.Snapshot, row.Body = string(js), body
	}
	var cur *store.WeChatPaySync
	err = r.opt.DB.Write(ctx, func(tx *store.Tx) error {
		var queued bool
		var err error
		if cur, queued, err = tx.QueueWeChatPaySync(row); err != nil || !queued || row.State != store.WeChatPaySyncNotSyncable {
			return err
		}
		return tx.AppendHistory(store.History{Code: t.Code, From: t.To, To: t.To, Actor: "system", Source: "wechatpay",
			Reason: actionLabel(action) + "：" + row.Message})
	})
	return cur, err
}

// freshBody is the stored body, unless the login token in its snapshot is
// stale and could be renewed: then the snapshot and body are stored anew.
func (r *Reporter) freshBody(ctx context.Context, cur *store.WeChatPaySync, now time.Time) ([]byte, error) {
	if r.opt.Refresher == nil || cur.Snapshot == "" {
		return cur.Body, nil
	}
	var snap wechatpay.SyncOrder
	if err := json.Unmarshal([]byte(cur.Snapshot), &snap); err != nil {
		return cur.Body, nil // an unreadable snapshot still has its body
	}
	changed, err := wechatpay.EnsureFreshLoginToken(ctx, now, &snap, r.opt.Refresher)
	if err != nil {
		if !errors.Is(err, wechatpay.ErrLoginGone) {
			return nil, fmt.Errorf("refresh the customer's WeChat login: %w", err)
		}
		r.opt.Log.Info("wechatpay sync: login token cannot be renewed, sending the one kept", "order", cur.OrderCode)
	}
	if !changed {
		return cur.Body, nil
	}
	body, err := wechatpay.BuildSyncBody(&r.opt.Config, &snap)
	if err != nil {
		return cur.Body, nil // the body that was valid stays valid
	}
	js, err := json.Marshal(&snap)
	if err != nil {
		return nil, err
	}
	err = r.opt.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.UpdateWeChatPaySyncBody(cur.OrderCode, cur.Action, string(js), body)
	})
	return body, err
}

// Classify implements bridge.Reporter: refusals for good (PARAM_ERROR) are
// not retried; credentials, permissions and the clock are retried slowly
// (wechatpay.AlertRetryInterval, through next_at); the rest with backoff.
func (r *Reporter) Classify(err error) bridge.Verdict {
	var w *waitError
	if errors.As(err, &w) {
		return bridge.Verdict{Retry: true, Message: w.message}
	}
	class := wechatpay.Classify(err)
	return bridge.Verdict{Retry: class != wechatpay.ClassNever, Message: wechatpay.InstallerMessage(err),
		Refused: class == wechatpay.ClassNever || class == wechatpay.ClassAlert}
}

// waitError: the last failure asked for a pause (Retry-After, a slow retry
// after a credential refusal) that has not passed, or a PAY_SUCCESS waits
// for its CREATE_DEAL; nothing is sent.
type waitError struct {
	until   time.Time
	message string
}

func (e *waitError) Error() string {
	if e.until.IsZero() {
		return "wechatpay sync: PAY_SUCCESS waits for the order's CREATE_DEAL"
	}
	return "wechatpay sync waits until " + e.until.Format(time.RFC3339) + " before its next attempt"
}

func actionLabel(a wechatpay.SyncAction) string {
	if a == wechatpay.ActionPaySuccess {
		return "微信支付同步（支付成功）"
	}
	return "微信支付同步（下单）"
}

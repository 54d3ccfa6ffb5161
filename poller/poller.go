// Package poller runs the polling loops: 开个店's orders by
// nextStartTimestamp (the only way in when pushes cannot reach the PC, and a
// safety net when they can) and pending refunds, and the reconciliation of
// open orders, which bridge makes through each source's channel. It stores
// what it finds through bridge and never prints or accepts anything itself.
package poller

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// Client is the part of the 开个店 client the poller uses.
type Client interface {
	BatchQuery(ctx context.Context, req kaigedian.BatchQueryRequest) (*kaigedian.BatchQueryResult, error)
	HistoryOrders(ctx context.Context, req kaigedian.HistoryRequest) (*kaigedian.HistoryResult, error)
	QueryRefundOrders(ctx context.Context, req kaigedian.RefundQueryRequest) (*kaigedian.RefundQueryResult, error)
}

// pageSize is the platform's maximum count per list call.
const pageSize = 10

// allStatuses asks batchQuery for every status: orderStatus is required and
// a status left out would never be seen.
var allStatuses = []int{1, 2, 3, 31, 4, 5, 6, 7}

// Poller polls one or more stores.
type Poller struct {
	client Client
	bridge *bridge.Bridge
	db     *store.DB
	cfg    *config.Config
	log    *slog.Logger
	now    func() time.Time

	refundMu sync.Mutex // PollRefunds
}

// New makes a poller.
func New(client Client, b *bridge.Bridge, cfg *config.Config, log *slog.Logger, now func() time.Time) *Poller {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Poller{client: client, bridge: b, db: b.Store(), cfg: cfg, log: log, now: now}
}

// Run polls until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { p.refundsOnWake(ctx) })
	run := func(f func(context.Context)) {
		wg.Add(1)
		go func() { defer wg.Done(); f(ctx) }()
	}
	// Order and refund polls always call the platform; reconciliation only
	// when orders are open.
	always := func(poll func(context.Context) (int, error)) pollFunc {
		return func(ctx context.Context) (int, bool, error) { n, err := poll(ctx); return n, true, err }
	}
	for _, s := range p.cfg.Stores {
		storeID := s.ID
		run(func(ctx context.Context) {
			p.loop(ctx, "orders/"+storeID, p.orderInterval, always(func(ctx context.Context) (int, error) { return p.PollOrders(ctx, storeID) }))
		})
		run(func(ctx context.Context) {
			p.loop(ctx, "refunds/"+storeID, p.refundInterval, always(func(ctx context.Context) (int, error) { return p.PollRefunds(ctx, storeID) }))
		})
	}
	run(func(ctx context.Context) { p.loop(ctx, "reconcile", p.reconcileInterval, p.reconcile) })
	wg.Wait()
}

// pollFunc is one poll: what it found, and whether it asked the platform at
// all (only an answer from the platform counts as the platform being healthy).
type pollFunc func(context.Context) (found int, asked bool, err error)

// loop calls poll at its interval, with jitter (the documents ask for
// randomised intervals) and exponential backoff on errors.
func (p *Poller) loop(ctx context.Context, key string, interval func() time.Duration, poll pollFunc) {
	failures := 0
	for {
		found, asked, err := poll(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := interval()
		if err != nil {
			failures++
			wait = min(wait<<min(failures, 6), 5*time.Minute)
			p.log.Warn("poll failed; backing off", "poll", key, "failures", failures, "next_in", wait.Round(time.Second), "err", err)
		} else {
			failures = 0
		}
		p.bridge.ReportPoll(key, found, asked, wait, err)
		if !sleepJitter(ctx, wait) {
			return
		}
	}
}

// orderInterval is fast while the push receiver is off or silent, slow while
// pushes flow (then the poll is only a safety net).
func (p *Poller) orderInterval() time.Duration {
	if p.bridge.PushesFlowing() {
		return orDefault(p.cfg.Poll.Interval, time.Minute)
	}
	return orDefault(p.cfg.Poll.FastInterval, 5*time.Second)
}

func (p *Poller) refundInterval() time.Duration {
	return orDefault(p.cfg.Poll.RefundEvery, time.Minute)
}

func (p *Poller) reconcileInterval() time.Duration {
	return orDefault(p.cfg.Poll.ReconcileEvery, 2*time.Minute)
}

// window is [start, end] for a query from a cursor. The end is a little
// ahead of our clock so that a clock behind the platform's (or one that
// jumped backwards) never hides fresh orders.
func (p *Poller) window(start int64) (time.Time, time.Time) {
	end := max(p.now().UnixMilli(), start) + int64(2*time.Minute/time.Millisecond)
	return time.UnixMilli(start), time.UnixMilli(end)
}

// startOfToday is 00:00 today in Asia/Shanghai: the first start backfills today.
func (p *Poller) startOfToday() int64 {
	t := p.now().In(bridge.Shanghai)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, bridge.Shanghai).UnixMilli()
}

// PollOrders pages batchQuery from the store's cursor until caught up. The
// cursor moves only in the transaction that stored the page's orders.
// Orders sharing the boundary millisecond come back on the next page and are
// absorbed; when a whole page shares one millisecond the cursor cannot move,
// so that window is read through historyOrders instead.
func (p *Poller) PollOrders(ctx context.Context, storeID string) (int, error) {
	name := "orders/" + storeID
	start, ok, err := p.db.Cursor(ctx, name)
	if err != nil {
		return 0, err
	}
	source := order.ViaPoll
	if !ok {
		start, source = p.startOfToday(), order.ViaHistory
	}
	found := 0
	for page := 0; page < 1000; page++ {
		from, to := p.window(start)
		res, err := p.client.BatchQuery(ctx, kaigedian.BatchQueryRequest{StoreID: storeID, Start: from, End: to,
			OrderClients: p.orderClients(), OrderStatus: allStatuses, Count: pageSize})
		if err != nil {
			return found, fmt.Errorf("batchQuery store %s: %w", storeID, err)
		}
		next := res.NextStartTimestamp
		orders := make([]order.Order, 0, len(res.Items))
		for _, h := range res.Items {
			o := h.Order
			if o.Code == "" {
				o.Code = h.Code
			}
			if o.PlatformStatus == 0 {
				o.PlatformStatus = h.PlatformStatus
			}
			if o.StoreID == "" {
				o.StoreID = storeID
			}
			orders = append(orders, o)
		}
		stuck := next <= start && len(res.Items) >= pageSize
		cursor := max(next, start)
		if stuck {
			p.log.Warn("10 or more orders share one update millisecond; the cursor cannot move: reading that day through historyOrders",
				"store", storeID, "timestamp", start)
			n, err := p.readHistoryDay(ctx, storeID, time.UnixMilli(start))
			if err != nil {
				return found, err
			}
			found += n
			cursor = start + 1 // the history read covered the whole millisecond
		}
		n, err := p.bridge.IngestPoll(ctx, bridge.PollPage{Via: source, Orders: orders, Cursor: name, CursorValue: cursor})
		if err != nil {
			return found, fmt.Errorf("store polled orders: %w", err)
		}
		found += n
		if len(res.Items) < pageSize || (!stuck && next <= start) {
			return found, nil
		}
		start = cursor
	}
	return found, fmt.Errorf("batchQuery store %s: still not caught up after 1000 pages", storeID)
}

// readHistoryDay ingests every order of one day through historyOrders.
func (p *Poller) readHistoryDay(ctx context.Context, storeID string, day time.Time) (int, error) {
	found := 0
	for pageNum := 1; pageNum <= 500; pageNum++ {
		res, err := p.client.HistoryOrders(ctx, kaigedian.HistoryRequest{StoreID: storeID, Day: day, PageNum: pageNum, PageSize: pageSize})
		if err != nil {
			return found, fmt.Errorf("historyOrders store %s: %w", storeID, err)
		}
		orders := make([]order.Order, 0, len(res.Items))
		raws := make([]json.RawMessage, 0, len(res.Items))
		for _, d := range res.Items {
			orders = append(orders, d.Order)
			raws = append(raws, d.Raw)
		}
		n, err := p.bridge.IngestPoll(ctx, bridge.PollPage{Via: order.ViaPoll, Orders: orders, Raw: raws, Full: true})
		if err != nil {
			return found, err
		}
		found += n
		if len(res.Items) < pageSize || pageNum*pageSize >= res.Total {
			return found, nil
		}
	}
	return found, nil
}

// refundStatuses are queried one at a time (§5.4a): an item then has the
// status of the query even when it carries none (seed 001's itemList is
// orderCode only), and a millisecond that ten refunds share is split.
var refundStatuses = []int{1, 3, 5}

// PollRefunds reads pending, refused and finished refunds, each status from
// a cursor of its own (refund requests must never be lost, even without
// pushes).
func (p *Poller) PollRefunds(ctx context.Context, storeID string) (int, error) {
	// The refund loop and refundsOnWake: one poll at a time moves the cursors.
	p.refundMu.Lock()
	defer p.refundMu.Unlock()
	found := 0
	for _, st := range refundStatuses {
		n, err := p.pollRefundStatus(ctx, storeID, st)
		found += n
		if err != nil {
			return found, err
		}
	}
	return found, nil
}

// refundCursor is the cursor of one refund status; it starts where the
// single cursor of earlier versions stood.
func (p *Poller) refundCursor(ctx context.Context, storeID string, status int) (string, int64, error) {
	name := fmt.Sprintf("refunds/%s/%d", storeID, status)
	start, ok, err := p.db.Cursor(ctx, name)
	if err != nil || ok {
		return name, start, err
	}
	if start, ok, err = p.db.Cursor(ctx, "refunds/"+storeID); err != nil || ok {
		return name, start, err
	}
	return name, p.startOfToday(), nil
}

func (p *Poller) pollRefundStatus(ctx context.Context, storeID string, status int) (int, error) {
	name, start, err := p.refundCursor(ctx, storeID, status)
	if err != nil {
		return 0, err
	}
	found := 0
	for page := 0; page < 1000; page++ {
		from, to := p.window(start)
		asked := p.now()
		res, err := p.client.QueryRefundOrders(ctx, kaigedian.RefundQueryRequest{StoreID: storeID, Start: from, End: to,
			Statuses: []int{status}, Count: pageSize})
		if err != nil {
			return found, fmt.Errorf("queryRefundOrders store %s: %w", storeID, err)
		}
		refunds := make([]bridge.RefundState, 0, len(res.Items))
		for _, it := range res.Items {
			st := it.RefundStatus
			if st == 0 {
				st = status // the item says nothing: it is what was asked for
			}
			refunds = append(refunds, bridge.RefundState{Code: it.Code, RefundStatus: st})
		}
		next := max(res.NextStartTimestamp, start)
		stuck := res.NextStartTimestamp <= start && len(res.Items) >= pageSize
		if stuck {
			if err := p.refundsStuck(ctx, storeID, status, start); err != nil {
				return found, err
			}
			next = start + 1
		}
		if _, err := p.bridge.IngestPoll(ctx, bridge.PollPage{Via: order.ViaPoll, Refunds: refunds, AskedAt: asked,
			Cursor: name, CursorValue: next}); err != nil {
			return found, err
		}
		found += len(refunds)
		if len(res.Items) < pageSize || (!stuck && res.NextStartTimestamp <= start) {
			return found, nil
		}
		start = next
	}
	return found, nil
}

// refundsStuck handles ten or more refunds of one status sharing one
// update millisecond: count is at most 10 and no finer window exists, so
// the cursor must move past refunds it cannot list. The day's orders are
// read through historyOrders instead (a finished refund shows there as
// orderStatus 6), and staff are told when pending requests may be hidden.
func (p *Poller) refundsStuck(ctx context.Context, storeID string, status int, ms int64) error {
	p.log.Warn("10 or more refunds of one status share one update millisecond: reading that day through historyOrders",
		"store", storeID, "refundstatus", status, "timestamp", ms)
	if _, err := p.readHistoryDay(ctx, storeID, time.UnixMilli(ms)); err != nil {
		return err
	}
	if status == 1 {
		p.bridge.RaiseProblem("refunds_hidden/"+storeID, bridge.LevelWarn, "退款申请可能未全部显示",
			fmt.Sprintf("门店 %s 在同一时刻有 10 条以上退款申请（%s），平台每次最多返回 10 条：请在开个店后台核对退款申请。",
				storeID, time.UnixMilli(ms).In(bridge.Shanghai).Format("01-02 15:04:05")))
	}
	return nil
}

// Reconcile asks every channel for the status of every order still open
// locally: it catches a cancel whose push was lost. (The codes include the
// orders that ended locally within a day: it also catches an end the
// platform contradicts, bridge/restore.go.)
func (p *Poller) Reconcile(ctx context.Context) (int, error) {
	n, _, err := p.reconcile(ctx)
	return n, err
}

// reconcile goes through the bridge's channels: each source's open orders
// are asked of its own channel, never of 开个店's batchOrderStatus.
func (p *Poller) reconcile(ctx context.Context) (changed int, asked bool, err error) {
	return p.bridge.ReconcileOpen(ctx)
}

func (p *Poller) orderClients() []int {
	if len(p.cfg.Platform.OrderClients) > 0 {
		return p.cfg.Platform.OrderClients
	}
	return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 24}
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// sleepJitter waits d ±10%.
func sleepJitter(ctx context.Context, d time.Duration) bool {
	j := time.Duration(rand.Int64N(int64(d)/5+1)) - d/10
	t := time.NewTimer(max(d+j, 10*time.Millisecond))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

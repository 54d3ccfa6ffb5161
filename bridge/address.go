package bridge

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// The documented queryDetail carries a delivery order's longitude and
// latitude only; its address (deliveryContactInfoList) is in historyOrders,
// which answers a whole day of a store per call. So a delivery order whose
// detail has no address waits for it: the delivery orders waiting are
// batched per store and day, the day's pages are read once and kept a
// little while, and the client's rate limit spaces the calls. Its tickets
// wait for the address, and print without it once the attempts are spent.

const (
	// addressAttempts bounds the day reads spent on one order (~35 s).
	addressAttempts = 4
	// historyFresh is how long a day read answers for that store and day:
	// orders that arrive meanwhile wait for the next read.
	historyFresh = 5 * time.Second
	// historyPageSize is the documented maximum of historyOrders.
	historyPageSize = 100
	// historyPages bounds one day read (10,000 orders).
	historyPages = 100
)

// needsAddress reports a delivery order that has no address to print.
func needsAddress(o *order.Order) bool {
	if o == nil || !o.Type.IsDelivery() || strings.TrimSpace(o.Address) != "" {
		return false
	}
	for _, c := range o.Deliveries {
		if strings.TrimSpace(c.Address) != "" {
			return false
		}
	}
	return true
}

// keepAddress carries an address fetched before over a detail without one
// (every change of an order fetches queryDetail again).
func keepAddress(old, fresh *order.Order) {
	if old == nil || !needsAddress(fresh) || needsAddress(old) {
		return
	}
	fresh.Address, fresh.Deliveries = old.Address, old.Deliveries
}

// dayKey names one store's day of historyOrders.
type dayKey struct{ store, day string }

type dayRead struct {
	at     time.Time
	orders map[string]order.Order
}

// historyCache keeps the day reads.
type historyCache struct {
	mu   sync.Mutex
	days map[dayKey]*dayRead
}

func (c *historyCache) get(k dayKey, now time.Time) *dayRead {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := c.days[k]; d != nil && now.Sub(d.at) < historyFresh && now.Sub(d.at) >= 0 {
		return d
	}
	return nil
}

func (c *historyCache) put(k dayKey, d *dayRead) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.days == nil {
		c.days = map[dayKey]*dayRead{}
	}
	for old, r := range c.days {
		if d.at.Sub(r.at) > time.Hour {
			delete(c.days, old)
		}
	}
	c.days[k] = d
}

// addressLoop fetches the addresses of delivery orders that wait for one.
func (b *Bridge) addressLoop(ctx context.Context) {
	for {
		wanted, err := b.db.OrdersNeedingAddress(ctx, b.now(), 200)
		if err != nil && ctx.Err() == nil {
			b.log.Error("list orders needing an address", "err", err)
		}
		groups := map[dayKey][]store.AddressWanted{}
		for _, w := range wanted {
			k := dayKey{w.StoreID, BusinessDay(w.CreatedAt)}
			groups[k] = append(groups[k], w)
		}
		for k, ws := range groups {
			if ctx.Err() != nil {
				return
			}
			b.fetchAddresses(ctx, k, ws)
		}
		if !sleep(ctx, time.Second, b.addressWake) {
			return
		}
	}
}

// fetchAddresses reads (or reuses) one store's day and settles the orders
// waiting in it.
func (b *Bridge) fetchAddresses(ctx context.Context, k dayKey, wanted []store.AddressWanted) {
	now := b.now()
	// A read of moments ago answers for the orders it has; the others try
	// again once it is stale.
	d := b.history.get(k, now)
	if d == nil {
		orders, err := readDay(ctx, b.platform, k.store, wanted[0].CreatedAt)
		if err != nil {
			if ctx.Err() == nil {
				b.log.Warn("historyOrders failed; delivery addresses wait", "store", k.store, "day", k.day, "err", err)
				b.health.platformError(now, "historyOrders", err)
				b.addressesMissed(ctx, wanted)
			}
			return
		}
		b.health.platformOK(now)
		d = &dayRead{at: now, orders: orders}
		b.history.put(k, d)
	}
	b.addressesFound(ctx, wanted, d)
}

// readDay reads every page of one store's day.
func readDay(ctx context.Context, hp Platform, storeID string, day time.Time) (map[string]order.Order, error) {
	out := map[string]order.Order{}
	for page := 1; page <= historyPages; page++ {
		res, err := hp.HistoryOrders(ctx, kaigedian.HistoryRequest{StoreID: storeID, Day: day, PageNum: page, PageSize: historyPageSize})
		if err != nil {
			return nil, err
		}
		for _, it := range res.Items {
			out[it.Order.Code] = it.Order
		}
		// The text also says "at most 10 per call": page on until total.
		if len(res.Items) == 0 || len(out) >= res.Total {
			break
		}
	}
	return out, nil
}

// addressesFound stores the addresses the day read has and counts a miss
// for the others.
func (b *Bridge) addressesFound(ctx context.Context, wanted []store.AddressWanted, d *dayRead) {
	var missed []store.AddressWanted
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		missed = missed[:0]
		for _, w := range wanted {
			h, ok := d.orders[w.Code]
			if !ok || needsAddress(&h) {
				missed = append(missed, w)
				continue
			}
			rec, err := tx.GetOrder(w.Code)
			if err != nil || !rec.NeedsAddress || rec.Detail == nil {
				continue
			}
			rec.Detail.Address, rec.Detail.Deliveries = h.Address, h.Deliveries
			if err := b.addressSettledTx(tx, a, rec, "已获取外送地址"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && ctx.Err() == nil {
		b.log.Error("store delivery addresses", "err", err)
		return
	}
	if len(missed) > 0 {
		b.addressesMissed(ctx, missed)
	}
}

// addressesMissed schedules another day read for orders it did not find,
// and lets an order print without its address once the attempts are spent.
func (b *Bridge) addressesMissed(ctx context.Context, wanted []store.AddressWanted) {
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		for _, w := range wanted {
			rec, err := tx.GetOrder(w.Code)
			if err != nil || !rec.NeedsAddress {
				continue
			}
			rec.AddressAttempts++
			if rec.AddressAttempts >= addressAttempts {
				b.log.Warn("delivery address not found in historyOrders: tickets print without it", "order", rec.Code)
				if err := b.addressSettledTx(tx, a, rec, "未能从平台获取外送地址，小票未打印地址"); err != nil {
					return err
				}
				continue
			}
			rec.AddressNextAt = tx.Now().Add(historyFresh << (rec.AddressAttempts - 1))
			if err := tx.SaveOrder(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && ctx.Err() == nil {
		b.log.Error("record missing delivery addresses", "err", err)
	}
}

// addressSettledTx ends an order's wait for its address and prints the
// tickets that waited for it.
func (b *Bridge) addressSettledTx(tx *store.Tx, a *after, rec *store.OrderRecord, note string) error {
	rec.NeedsAddress, rec.AddressNextAt = false, zeroTime
	if rec.PrintPending && printable(rec.Status) {
		if err := b.queueOrderPrints(tx, a, rec, false); err != nil {
			return err
		}
	}
	if err := tx.AppendHistory(store.History{Code: rec.Code, From: rec.Status, To: rec.Status, Actor: "platform",
		Source: "history", Reason: note}); err != nil {
		return err
	}
	a.event(Event{Type: EvOrder, Code: rec.Code, Status: string(rec.Status), Message: note})
	return tx.SaveOrder(rec)
}

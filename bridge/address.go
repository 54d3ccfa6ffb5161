package bridge

import (
	"context"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// The documented queryDetail carries a delivery order's longitude and
// latitude only; its address (deliveryContactInfoList) is in historyOrders,
// which answers a whole day of a store per call. So a delivery order whose
// detail has no address waits for it: the delivery orders waiting are
// batched per store and day, a day is read at most once a second, newest
// pages first, what it found is kept for the day, and the client's rate
// limit spaces the calls. Its receipt waits for the address (the kitchen
// tickets and labels need none and print at once), and prints without it
// once the attempts are spent.

const (
	// addressAttempts bounds the reads spent on one order, addressRetry
	// spaces them (doubling): about 30 s in all.
	addressAttempts = 5
	addressRetry    = 2 * time.Second
	// historyFresh is the least time between two reads of one store's day.
	historyFresh = time.Second
	// historyPageSize is the documented maximum: each call costs a
	// signature and a round trip, more than the bytes.
	historyPageSize = 100
	// historyPages bounds the calls of one read.
	historyPages = 20
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

// OrderHistory reads a store's day of orders a page at a time, with
// their delivery addresses: where the address of a delivery order whose
// detail has none is found. A channel implements it when its details can
// lack the address (开个店's historyOrders, kaigedian/channel); the
// orders of a channel without it never wait for an address.
type OrderHistory interface {
	DayOrders(ctx context.Context, storeID string, day time.Time, page, pageSize int) (orders []order.Order, total int, err error)
}

// history is the OrderHistory of source's channel (nil: none).
func (b *Bridge) history(source order.Source) OrderHistory {
	ch, err := b.channels.get(source)
	if err != nil {
		return nil
	}
	h, _ := ch.(OrderHistory)
	return h
}

// dayKey names one store's day of a source's order history.
type dayKey struct {
	source     order.Source
	store, day string
}

// address is what historyOrders says of a delivery order.
type address struct {
	text     string
	contacts []order.Contact
}

// dayRead is what the reads of one store's day found so far.
type dayRead struct {
	at     time.Time           // the last read
	orders map[string]*address // every order read; nil: it has no address
	last   int                 // the last page read (0: none yet)
}

// historyCache keeps the day reads.
type historyCache struct {
	mu   sync.Mutex
	days map[dayKey]*dayRead
}

// day is the read of k, made empty the first time; c.mu is held.
func (c *historyCache) day(k dayKey, now time.Time) *dayRead {
	if c.days == nil {
		c.days = map[dayKey]*dayRead{}
	}
	for old, r := range c.days {
		if !r.at.IsZero() && now.Sub(r.at) > time.Hour {
			delete(c.days, old) // a day nobody asked about for an hour
		}
	}
	d := c.days[k]
	if d == nil {
		d = &dayRead{orders: map[string]*address{}}
		c.days[k] = d
	}
	return d
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
			k := dayKey{w.Source.Or(order.SourceKaigedian), w.StoreID, BusinessDay(w.CreatedAt)}
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

// fetchAddresses reads one store's day, if it was not read just now, for
// the orders waiting in it that earlier reads did not find, and settles
// them.
func (b *Bridge) fetchAddresses(ctx context.Context, k dayKey, wanted []store.AddressWanted) {
	now := b.now()
	hp := b.history(k.source)
	if hp == nil {
		b.addressesMissed(ctx, wanted) // its channel is gone: they print without it once the attempts are spent
		return
	}
	b.days.mu.Lock()
	d := b.days.day(k, now)
	missing := map[string]bool{}
	for _, w := range wanted {
		if _, seen := d.orders[w.Code]; !seen {
			missing[w.Code] = true
		}
	}
	due := len(missing) > 0 && (now.Sub(d.at) >= historyFresh || now.Before(d.at))
	b.days.mu.Unlock()
	from := d.last
	if due {
		found, last, err := readNewest(ctx, hp, k.store, wanted[0].CreatedAt, missing, from)
		if err != nil {
			if ctx.Err() == nil {
				b.log.Warn("historyOrders failed; delivery addresses wait", "store", k.store, "day", k.day, "err", err)
				b.health.platformError(k.source, now, "historyOrders", err, b.explain(k.source, err))
				b.addressesMissed(ctx, wanted)
			}
			return
		}
		b.health.platformOK(k.source, now)
		b.days.mu.Lock()
		d.at, d.last = now, max(d.last, last)
		maps.Copy(d.orders, found)
		b.days.mu.Unlock()
	}
	b.addressesFound(ctx, wanted, d)
}

// readNewest reads a store's day until every order of want is found. The
// orders wanted are new, and the pages before the last one read (from, 0
// for none) were read already: the first read takes page 1 (which also
// says how many there are) and then pages back from the last, where the
// newest are when the list runs oldest first; later reads go on from where
// the last one ended. It returns what it found and the last page it read.
func readNewest(ctx context.Context, hp OrderHistory, storeID string, day time.Time, want map[string]bool, from int) (map[string]*address, int, error) {
	found := map[string]*address{}
	left, calls, last := len(want), 0, 0
	take := func(page int) (pages int, err error) {
		calls++
		orders, total, err := hp.DayOrders(ctx, storeID, day, page, historyPageSize)
		if err != nil {
			return 0, err
		}
		for _, o := range orders {
			var a *address
			if !needsAddress(&o) {
				a = &address{text: o.Address, contacts: o.Deliveries}
			}
			if _, dup := found[o.Code]; !dup && want[o.Code] {
				left--
			}
			found[o.Code] = a
		}
		last = max(last, page)
		return (total + historyPageSize - 1) / historyPageSize, nil
	}
	more := func() bool { return left > 0 && calls < historyPages }
	if from == 0 {
		pages, err := take(1)
		for p := pages; err == nil && p >= 2 && more(); p-- {
			_, err = take(p)
		}
		return found, last, err
	}
	pages, err := take(from)
	for p := from + 1; err == nil && p <= pages && more(); p++ {
		_, err = take(p)
	}
	if err == nil && from > 1 && more() {
		_, err = take(1) // a list that runs newest first
	}
	for p := from - 1; err == nil && p >= 2 && more(); p-- {
		_, err = take(p)
	}
	return found, last, err
}

// addressesFound stores the addresses the reads found and counts a miss
// for the others.
func (b *Bridge) addressesFound(ctx context.Context, wanted []store.AddressWanted, d *dayRead) {
	var missed []store.AddressWanted
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		missed = missed[:0]
		for _, w := range wanted {
			b.days.mu.Lock()
			h, seen := d.orders[w.Code]
			b.days.mu.Unlock()
			if !seen {
				missed = append(missed, w)
				continue
			}
			rec, err := tx.GetOrder(w.Code)
			if err != nil || !rec.NeedsAddress || rec.Detail == nil {
				continue
			}
			note := "已获取外送地址"
			if h != nil {
				rec.Detail.Address, rec.Detail.Deliveries = h.text, h.contacts
			} else {
				note = "平台的订单记录中没有外送地址，小票未打印地址"
			}
			if err := b.addressSettledTx(tx, a, rec, note); err != nil {
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
			rec.AddressNextAt = tx.Now().Add(addressRetry << (rec.AddressAttempts - 1))
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

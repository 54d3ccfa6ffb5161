package report

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/order"
)

// Report kinds.
const (
	KindDay   = "day"   // 日结
	KindShift = "shift" // 交班
)

// Report is the figures of one business day or one shift. Money is fen.
type Report struct {
	Kind    string    `json:"kind"`
	Day     string    `json:"day,omitempty"` // business day (day reports)
	StoreID string    `json:"store_id,omitempty"`
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Staff   string    `json:"staff,omitempty"` // shift: who hands over
	// MadeAt is when the figures were computed: a day still running changes.
	MadeAt time.Time `json:"made_at"`

	Totals    Totals     `json:"totals"`
	BySource  []Group    `json:"by_source"`
	ByChannel []Group    `json:"by_channel"`
	ByStore   []Group    `json:"by_store"`
	Items     []ItemRank `json:"items"`
	Hours     []Hour     `json:"hours"`
}

// Totals are the sums of a report. Revenue counts the orders placed in the
// period that were not cancelled or rejected; refunds count the refunds
// confirmed in the period (an order paid yesterday and refunded today is
// today's refund), so Net is what the period leaves in the till.
type Totals struct {
	Orders     int       `json:"orders"`
	Original   order.Fen `json:"original"`    // 原价合计
	Discount   order.Fen `json:"discount"`    // 优惠
	PackageFee order.Fen `json:"package_fee"` // 打包费
	DeliverFee order.Fen `json:"deliver_fee"` // 配送费
	Revenue    order.Fen `json:"revenue"`     // 实收 (actual pay)
	// Unpriced orders have no detail yet: their amounts are missing above.
	Unpriced        int       `json:"unpriced"`
	Cancelled       int       `json:"cancelled"` // cancelled or rejected orders placed in the period
	CancelledAmount order.Fen `json:"cancelled_amount"`
	Refunds         int       `json:"refunds"`
	RefundAmount    order.Fen `json:"refund_amount"`
	Net             order.Fen `json:"net"` // Revenue − RefundAmount
}

// Group is one line of a breakdown (a source, a channel, a store).
type Group struct {
	Key          string    `json:"key"`
	Label        string    `json:"label"`
	Orders       int       `json:"orders"`
	Revenue      order.Fen `json:"revenue"`
	Refunds      int       `json:"refunds"`
	RefundAmount order.Fen `json:"refund_amount"`
}

// ItemRank is one product's sales in the period.
type ItemRank struct {
	Name     string    `json:"name"`
	Spec     string    `json:"spec,omitempty"`
	Quantity int       `json:"quantity"`
	Amount   order.Fen `json:"amount"` // unit price × quantity, before discounts
}

// Hour is one hour of the chart, local time of the report's zone.
type Hour struct {
	Start   time.Time `json:"start"`
	Label   string    `json:"label"` // "04:00"
	Orders  int       `json:"orders"`
	Revenue order.Fen `json:"revenue"`
}

// Rules is the day rule of each store.
type Rules func(storeID string) DayRule

// Names labels stores; "" for an unknown id.
type Names func(storeID string) string

// Order is what a report reads of one stored order.
type Order struct {
	Code        string
	StoreID     string
	Source      order.Source // "" = kaigedian (rows from before sources)
	Status      order.Status
	Channel     order.Channel
	CreatedAt   time.Time // the source's order time (zero while the detail is missing)
	FirstSeenAt time.Time
	ClosedAt    time.Time
	UpdatedAt   time.Time
	Detail      *order.Order // nil while missing
}

// Input is what a report is computed from: orders read around the period
// (more than needed is fine, each order is checked).
type Input struct {
	Orders []Order
	Rules  Rules
	Names  Names
	Store  string // only this store ("" = all)
	Now    time.Time
}

// Day computes the report of business day day. Each order counts in the day
// of its own store's rule; the period shown is that of in.Store (or the
// first rule, when all stores share it).
func Day(in Input, day string) (Report, error) {
	rule := in.Rules(in.Store)
	from, to, err := rule.Bounds(day)
	if err != nil {
		return Report{}, err
	}
	r := Report{Kind: KindDay, Day: day, StoreID: in.Store, From: from, To: to, MadeAt: in.Now}
	build(&r, in, rule.Location(), func(rec *Order, t time.Time) bool {
		return in.Rules(rec.StoreID).DayOf(t) == day
	})
	return r, nil
}

// Shift computes the report of [from, to): a staff shift.
func Shift(in Input, from, to time.Time, staff string) Report {
	r := Report{Kind: KindShift, StoreID: in.Store, From: from, To: to, Staff: staff, MadeAt: in.Now}
	build(&r, in, in.Rules(in.Store).Location(), func(_ *Order, t time.Time) bool {
		return !t.Before(from) && t.Before(to)
	})
	return r
}

// placedAt is when an order counts as placed: the platform's order time,
// or when posbridge first saw it while the detail is missing.
func placedAt(rec *Order) time.Time {
	if !rec.CreatedAt.IsZero() {
		return rec.CreatedAt
	}
	return rec.FirstSeenAt
}

// refundedAt is when a refunded order's refund was confirmed.
func refundedAt(rec *Order) time.Time {
	if !rec.ClosedAt.IsZero() {
		return rec.ClosedAt
	}
	return rec.UpdatedAt
}

// earns reports whether an order placed in the period counts as revenue:
// it was paid and not called off (closed_unpaid: a scan-to-order order
// nobody paid for at the counter).
func earns(s order.Status) bool {
	switch s {
	case order.StatusPendingPayment, order.StatusCancelled, order.StatusRejected, order.StatusClosedUnpaid:
		return false
	}
	return true
}

func build(r *Report, in Input, zone *time.Location, within func(*Order, time.Time) bool) {
	r.From, r.To, r.MadeAt = r.From.In(zone), r.To.In(zone), r.MadeAt.In(zone)
	hours := newHours(r.From, r.To, zone)
	sources, channels, stores := groups{}, groups{}, groups{}
	items := map[[2]string]*ItemRank{}
	for i := range in.Orders {
		rec := &in.Orders[i]
		if in.Store != "" && rec.StoreID != in.Store {
			continue
		}
		pay := order.Fen(0)
		if rec.Detail != nil {
			pay = rec.Detail.ActualPay
		}
		keys := [3]groupKey{sourceOf(rec), channelOf(rec), storeOf(rec, in.Names)}
		if t := placedAt(rec); within(rec, t) && rec.Status != order.StatusPendingPayment && rec.Status != order.StatusClosedUnpaid {
			if earns(rec.Status) {
				r.Totals.Orders++
				addDetail(&r.Totals, rec, items)
				for i, g := range []groups{sources, channels, stores} {
					g.at(keys[i]).Orders++
					g.at(keys[i]).Revenue += pay
				}
				hours.add(t, pay)
			} else {
				r.Totals.Cancelled++
				r.Totals.CancelledAmount += pay
			}
		}
		if rec.Status == order.StatusRefunded && within(rec, refundedAt(rec)) {
			r.Totals.Refunds++
			r.Totals.RefundAmount += pay
			for i, g := range []groups{sources, channels, stores} {
				g.at(keys[i]).Refunds++
				g.at(keys[i]).RefundAmount += pay
			}
		}
	}
	r.Totals.Net = r.Totals.Revenue - r.Totals.RefundAmount
	r.BySource, r.ByChannel, r.ByStore = sources.sorted(), channels.sorted(), stores.sorted()
	r.Hours = hours.list
	r.Items = make([]ItemRank, 0, len(items))
	for _, it := range items {
		r.Items = append(r.Items, *it)
	}
	slices.SortFunc(r.Items, func(a, b ItemRank) int {
		return cmp.Or(cmp.Compare(b.Quantity, a.Quantity), cmp.Compare(b.Amount, a.Amount),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Spec, b.Spec))
	})
}

func addDetail(t *Totals, rec *Order, items map[[2]string]*ItemRank) {
	o := rec.Detail
	if o == nil {
		t.Unpriced++
		return
	}
	t.Original += o.Original
	t.Discount += o.Discount
	t.PackageFee += o.PackageFee
	t.DeliverFee += o.DeliverFee
	t.Revenue += o.ActualPay
	for _, it := range o.Items {
		k := [2]string{it.Name, it.Spec}
		ir := items[k]
		if ir == nil {
			ir = &ItemRank{Name: it.Name, Spec: it.Spec}
			items[k] = ir
		}
		ir.Quantity += it.Quantity
		ir.Amount += it.Amount()
	}
}

type groupKey struct{ key, label string }

type groups map[string]*Group

func (g groups) at(k groupKey) *Group {
	if x, ok := g[k.key]; ok {
		return x
	}
	x := &Group{Key: k.key, Label: k.label}
	g[k.key] = x
	return x
}

func (g groups) sorted() []Group {
	out := make([]Group, 0, len(g))
	for _, x := range g {
		out = append(out, *x)
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(b.Revenue, a.Revenue), cmp.Compare(b.Orders, a.Orders), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// sourceOf is where the order came from.
func sourceOf(rec *Order) groupKey {
	s := rec.Source.Or(order.SourceKaigedian)
	return groupKey{string(s), s.Label()}
}

func channelOf(rec *Order) groupKey {
	return groupKey{strconv.Itoa(int(rec.Channel)), rec.Channel.Label()}
}

func storeOf(rec *Order, names Names) groupKey {
	label := ""
	if names != nil {
		label = names(rec.StoreID)
	}
	if label == "" && rec.Detail != nil {
		label = rec.Detail.StoreName
	}
	if label == "" {
		label = "门店 " + rec.StoreID
	}
	return groupKey{rec.StoreID, label}
}

// hourChart buckets orders by the local hour they were placed in.
type hourChart struct {
	list []Hour
}

// maxHours bounds the chart of a long shift.
const maxHours = 72

func newHours(from, to time.Time, zone *time.Location) *hourChart {
	c := &hourChart{}
	local := from.In(zone)
	t := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), 0, 0, 0, zone)
	for ; t.Before(to) && len(c.list) < maxHours; t = t.Add(time.Hour) {
		c.list = append(c.list, Hour{Start: t, Label: t.Format("15:04")})
	}
	return c
}

func (c *hourChart) add(t time.Time, pay order.Fen) {
	for i := len(c.list) - 1; i >= 0; i-- {
		if !t.Before(c.list[i].Start) {
			c.list[i].Orders++
			c.list[i].Revenue += pay
			return
		}
	}
}

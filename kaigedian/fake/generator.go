package fake

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// OrderSpec asks for one order. Zero fields get realistic random content.
type OrderSpec struct {
	Code    string // an existing order with this code is replaced
	StoreID string
	Type    order.Type
	Channel order.Channel
	Status  int    // platform status; default 1 (paid, not accepted); any value, even undocumented ones
	Menu    string // "tea" | "restaurant" | "" (either)
	Items   []order.Item
	Note    string
	Mobile  string
	// CreatedAt defaults to now; UpdatedAt overrides the update time (ms)
	// so that many orders can share one millisecond.
	CreatedAt time.Time
	UpdatedAt time.Time
	NoPush    bool
}

// NewOrder creates an order on the platform and pushes it (unless NoPush).
func (p *Platform) NewOrder(spec OrderSpec) order.Order {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo := p.insert(p.generate(spec), spec.UpdatedAt)
	if !spec.NoPush {
		p.pushStatus(fo)
	}
	o := fo.o
	return o
}

// Generate creates n orders from spec (Code, if set, is used as a prefix).
func (p *Platform) Generate(n int, spec OrderSpec) []order.Order {
	out := make([]order.Order, 0, n)
	prefix := spec.Code
	for i := range n {
		s := spec
		if prefix != "" {
			s.Code = fmt.Sprintf("%s%04d", prefix, i+1)
		}
		out = append(out, p.NewOrder(s))
	}
	return out
}

// Sample generates an order like NewOrder without keeping it (spec.Code
// and spec.CreatedAt say which and when) and its queryDetail item as the
// platform sends it: the load tool's seeding mode writes a year of them.
func (p *Platform) Sample(spec OrderSpec) (order.Order, []byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	o := p.generate(spec)
	if o.StoreName == "" {
		o.StoreName = p.storeName(o.StoreID)
	}
	raw, err := json.Marshal(p.detail(&fakeOrder{o: o, status: o.PlatformStatus}, false))
	return o, raw, err
}

// insert stores o (assigning a code when it has none). Caller holds p.mu.
func (p *Platform) insert(o order.Order, updatedAt time.Time) *fakeOrder {
	p.seq++
	now := p.now()
	if o.StoreID == "" {
		o.StoreID = p.stores[0].ID
	}
	if o.StoreName == "" {
		o.StoreName = p.storeName(o.StoreID)
	}
	if o.Code == "" {
		o.Code = fmt.Sprintf("%013d%05d%05d", now.UnixMilli(), storeNumber(o.StoreID), p.seq%100000)
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = now
	}
	if o.Channel == kaigedian.OrderClientTableDining && o.ThirdCode == "" {
		o.ThirdCode = fmt.Sprintf("W%05d%05d", storeNumber(o.StoreID)%100000, p.seq%100000)
	}
	if o.PlatformStatus == 0 {
		o.PlatformStatus = kaigedian.PlatformNew
	}
	fo := &fakeOrder{o: o, status: o.PlatformStatus, updatedMs: now.UnixMilli()}
	if !updatedAt.IsZero() {
		fo.updatedMs = updatedAt.UnixMilli()
	}
	p.orders[o.Code] = fo
	return fo
}

func (p *Platform) storeName(id string) string {
	for _, s := range p.stores {
		if s.ID == id {
			return s.Name
		}
	}
	return "门店" + id
}

// nextPickup is the store's next pickup number of the day: 1001, 1002, …
// (after PickupUsed on the day the platform started), from 1001 again the
// next day. Caller holds p.mu.
func (p *Platform) nextPickup(storeID string, now time.Time) string {
	day := now.In(kaigedian.Shanghai).Format(time.DateOnly)
	key := storeID + "|" + day
	n, ok := p.pickupNo[key]
	if !ok && day == p.startDay {
		if used := p.opts.PickupUsed[storeID]; used > 1000 {
			n = used - 1000
		}
	}
	n++
	p.pickupNo[key] = n
	return fmt.Sprintf("%d", 1001+(n-1)%8999)
}

func storeNumber(id string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return h.Sum32() % 100000
}

// generate builds realistic content for spec. Caller holds p.mu.
func (p *Platform) generate(spec OrderSpec) order.Order {
	r := p.rng
	now := p.now()
	o := order.Order{Code: spec.Code, StoreID: spec.StoreID, Type: spec.Type, Channel: spec.Channel, Note: spec.Note, Mobile: spec.Mobile}
	if o.StoreID == "" {
		o.StoreID = p.stores[r.IntN(len(p.stores))].ID
	}
	if o.Type == 0 {
		o.Type = pickWeighted(r.Float64(), []order.Type{1, 5, 3, 2, 4, 6}, []float64{0.30, 0.30, 0.25, 0.05, 0.05, 0.05})
	}
	if o.Channel == 0 {
		o.Channel = pickWeighted(r.Float64(), []order.Channel{1, 2, 3}, []float64{0.7, 0.15, 0.15})
	}
	if o.Note == "" {
		o.Note = notes[r.IntN(len(notes))]
	}
	o.CreatedAt = spec.CreatedAt
	if o.CreatedAt.IsZero() {
		o.CreatedAt = now
	}
	if !spec.UpdatedAt.IsZero() && spec.CreatedAt.IsZero() {
		o.CreatedAt = spec.UpdatedAt
	}
	o.PaidAt = o.CreatedAt.Add(time.Duration(2+r.IntN(20)) * time.Second)
	o.PlatformStatus = spec.Status
	if o.PlatformStatus == 0 {
		o.PlatformStatus = kaigedian.PlatformNew
	}
	if o.PlatformStatus != kaigedian.PlatformNew && o.PlatformStatus != kaigedian.PlatformPendingPayment {
		o.AcceptedAt = o.PaidAt.Add(30 * time.Second)
	}
	o.PayChannel, o.PayChannelName, o.PayType, o.PayStatus = "wxpay", "微信支付", 1, 2
	if o.Channel == 3 {
		o.PayChannel, o.PayChannelName = "alipay", "支付宝"
	}
	o.UserID = fmt.Sprintf("1153803880%08d", r.IntN(100000000))
	o.UserName = customerNames[r.IntN(len(customerNames))]
	if o.Mobile == "" {
		o.Mobile = fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1000000000))
	}
	o.PickupNo = p.nextPickup(o.StoreID, o.CreatedAt)
	if o.Type == order.TypeDineIn || o.Type == order.TypeDineInReserved {
		o.Table = fmt.Sprintf("%c%02d", "ABC"[r.IntN(3)], 1+r.IntN(30))
	}
	if o.Channel == kaigedian.OrderClientTableDining {
		// A 围餐 order is a table's open bill: it carries the POS's order
		// number, which the 围餐 calls and pushes name.
		if o.Table == "" {
			o.Table = fmt.Sprintf("%c%02d", "ABC"[r.IntN(3)], 1+r.IntN(30))
		}
	}
	if o.Type.IsReserved() {
		o.ExpectAt = now.Add(time.Duration(2+r.IntN(10)) * 15 * time.Minute).Truncate(15 * time.Minute)
	} else if o.Type.IsDelivery() {
		o.ExpectAt = now.Add(40 * time.Minute)
	}
	if o.Type.IsDelivery() {
		o.Address = addresses[r.IntN(len(addresses))]
		o.Deliveries = []order.Contact{{Kind: 1, Name: o.UserName, Mobile: o.Mobile, Address: o.Address}}
		o.DeliverFee = 500
	}

	o.Items = spec.Items
	if len(o.Items) == 0 {
		menu := spec.Menu
		if menu == "" {
			menu = []string{"tea", "restaurant"}[r.IntN(2)]
		}
		o.Items = p.pickItems(menu, o.StoreID)
	}
	var subtotal order.Fen
	for _, it := range o.Items {
		subtotal += lineTotal(it)
	}
	if o.Type != order.TypeDineIn && o.Type != order.TypeDineInReserved {
		o.PackageFee = order.Fen(100 * min(len(o.Items), 3))
	}
	o.Original = subtotal + o.PackageFee + o.DeliverFee
	p.discount(&o, subtotal)
	o.ActualPay = o.Original - o.Discount
	return o
}

// pickItems builds 1–4 lines from a menu, leaving out what the store has
// sold out (沽清) while anything else is left. Caller holds p.mu.
func (p *Platform) pickItems(menu, storeID string) []order.Item {
	r := p.rng
	dishes := teaMenu
	if menu == "restaurant" {
		dishes = restaurantMenu
	}
	n := 1 + r.IntN(3)
	if r.Float64() < 0.15 {
		n++
	}
	items := make([]order.Item, 0, n)
	for i := range n {
		d := dishes[r.IntN(len(dishes))]
		for try := 0; try < len(dishes) && p.isSoldOut(storeID, d.id); try++ {
			d = dishes[r.IntN(len(dishes))]
		}
		it := order.Item{
			Seq: i + 1, ProductID: "13841863240749" + d.id[1:], ThirdProductID: d.id, SkuID: "13841863240749" + d.id[1:],
			Name: d.name, Price: d.price, Quantity: 1, Unit: d.unit, ProductType: 1,
		}
		if d.drink {
			// Several cups of one drink make several cup labels.
			it.Quantity = pickWeighted(r.Float64(), []int{1, 2, 3}, []float64{0.6, 0.25, 0.15})
		} else if r.Float64() < 0.2 {
			it.Quantity = 2
		}
		if len(d.specs) > 0 {
			s := d.specs[r.IntN(len(d.specs))]
			it.Spec, it.Price = s.name, it.Price+s.delta
		}
		var props []string
		for _, group := range d.props {
			props = append(props, group[r.IntN(len(group))])
		}
		it.Property = strings.Join(props, ",")
		if len(d.materials) > 0 && r.Float64() < 0.35 {
			m := d.materials[r.IntN(len(d.materials))]
			it.Materials = []order.Item{{Seq: 1, ProductID: it.ProductID + "M", Name: m.name, Price: m.delta, Quantity: 1,
				Unit: "份", ProductType: 1, ParentProductID: it.ProductID}}
		}
		if d.productType == 6 {
			it.ProductType = 6
			for j, c := range d.combo {
				it.Children = append(it.Children, order.Item{Seq: j + 1, ProductID: "13841863240749" + c.id[1:],
					ThirdProductID: c.id, ParentProductID: it.ProductID, Name: c.name, Price: c.price, Quantity: 1,
					Unit: "份", ProductType: 1, Fixed: c.fixed})
			}
		}
		items = append(items, it)
	}
	return items
}

// lineTotal is price × quantity plus the add-ons of each unit.
func lineTotal(it order.Item) order.Fen {
	total := it.Amount()
	for _, m := range it.Materials {
		total += m.Amount() * order.Fen(it.Quantity)
	}
	return total
}

// discount applies an occasional promotion and shares it over the lines.
func (p *Platform) discount(o *order.Order, subtotal order.Fen) {
	r := p.rng
	var d order.Discount
	switch x := r.Float64(); {
	case subtotal >= 3000 && x < 0.3:
		d = order.Discount{ActivityCode: "MJ20240301", ActivityName: "满30减5", ActivityType: 2, Amount: 500}
	case x < 0.45:
		d = order.Discount{ActivityCode: "XK20240301", ActivityName: "新客立减", ActivityType: 3, Amount: 300}
	default:
		return
	}
	if d.Amount > subtotal {
		return
	}
	o.Discount = d.Amount
	o.Discounts = []order.Discount{d}
	left := d.Amount
	for i := range o.Items {
		share := d.Amount * lineTotal(o.Items[i]) / subtotal
		if i == len(o.Items)-1 {
			share = left
		}
		o.Items[i].SharePrice = share
		left -= share
	}
}

func pickWeighted[T any](x float64, vals []T, weights []float64) T {
	for i, w := range weights {
		if x < w {
			return vals[i]
		}
		x -= w
	}
	return vals[len(vals)-1]
}

// GeneratorOptions shape the stream Run produces.
type GeneratorOptions struct {
	Rate        float64       // orders per second (default 0.2)
	Steady      bool          // exact intervals instead of random (Poisson) arrivals
	CancelRatio float64       // share of orders the customer cancels before accept
	RefundRatio float64       // share of accepted orders that get a refund request
	EventRatio  float64       // share of reserved orders that get a 备餐提醒 event push
	CancelAfter time.Duration // customer patience before cancelling (default 20s)
	RefundAfter time.Duration // delay after accept before a refund request (default 30s)
	Max         int           // stop after this many orders (0 = until ctx ends)
	FirstAfter  time.Duration // when set, the first order comes this long after Run starts
	Spec        OrderSpec     // template for every order
}

// Run produces orders until ctx ends (or Max orders), with the occasional
// cancel before accept and refund request after accept.
func (p *Platform) Run(ctx context.Context, opts GeneratorOptions) error {
	if opts.Rate <= 0 {
		opts.Rate = 0.2
	}
	if opts.CancelAfter <= 0 {
		opts.CancelAfter = 20 * time.Second
	}
	if opts.RefundAfter <= 0 {
		opts.RefundAfter = 30 * time.Second
	}
	var timersMu sync.Mutex
	var timers []*time.Timer
	later := func(d time.Duration, f func()) {
		timersMu.Lock()
		defer timersMu.Unlock()
		timers = append(timers, time.AfterFunc(d, func() {
			if ctx.Err() == nil {
				f()
			}
		}))
	}
	defer func() {
		timersMu.Lock()
		defer timersMu.Unlock()
		for _, t := range timers {
			t.Stop()
		}
	}()
	interval := time.Duration(float64(time.Second) / opts.Rate)
	next := time.Now()
	for n := 0; opts.Max == 0 || n < opts.Max; n++ {
		wait := interval
		switch {
		case n == 0 && opts.FirstAfter > 0:
			wait = opts.FirstAfter
		case !opts.Steady:
			wait = time.Duration(p.randExp() * float64(interval))
		}
		next = next.Add(wait)
		if !p.sleep(ctx, time.Until(next)) {
			return nil
		}
		if !p.open(opts.Spec.StoreID) {
			continue // 停业 or 置休: customers cannot order
		}
		o := p.NewOrder(opts.Spec)
		switch x := p.randFloat(); {
		case x < opts.CancelRatio:
			later(p.randDuration(opts.CancelAfter/4, opts.CancelAfter), func() { p.customerCancels(o.Code) })
		case x < opts.CancelRatio+opts.RefundRatio:
			p.refundLater(o.Code, opts.RefundAfter, 5, later)
		}
		if o.Type.IsReserved() && p.randFloat() < opts.EventRatio {
			later(p.randDuration(opts.RefundAfter/2, opts.RefundAfter), func() { _ = p.RemindPrepare(o.Code) })
		}
	}
	return nil
}

// customerCancels is a customer who no longer wants the order: before the
// store accepted, the platform cancels it; after (auto-accept takes
// milliseconds, so in auto mode it always is after), the customer can only
// ask for a refund, which the store decides.
func (p *Platform) customerCancels(code string) {
	snap, found := p.Order(code)
	if !found {
		return
	}
	var err error
	switch snap.PlatformStatus {
	case kaigedian.PlatformNew, kaigedian.PlatformPendingPayment:
		err = p.CancelByUser(code, "用户取消")
	case kaigedian.PlatformAccepted, kaigedian.PlatformMade, kaigedian.PlatformDelivering:
		err = p.RequestRefund(code, "用户取消订单")
	default:
		return // already finished, rejected or cancelled: nothing to cancel
	}
	if err != nil {
		p.log.Info("simulated customer cancel not applied", "order", code, "err", err)
	}
}

// refundLater asks for a refund once the store has accepted, checking a few times.
func (p *Platform) refundLater(code string, after time.Duration, tries int, later func(time.Duration, func())) {
	later(p.randDuration(after/2, after), func() {
		snap, found := p.Order(code)
		switch {
		case !found:
		case snap.PlatformStatus == kaigedian.PlatformAccepted || snap.PlatformStatus == kaigedian.PlatformMade:
			_ = p.RequestRefund(code, "不想要了")
		case snap.PlatformStatus == kaigedian.PlatformNew && tries > 1:
			p.refundLater(code, after, tries-1, later)
		}
	})
}

func (p *Platform) randFloat() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng.Float64()
}

func (p *Platform) randExp() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng.ExpFloat64()
}

func (p *Platform) randDuration(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return lo + time.Duration(p.rng.Int64N(int64(hi-lo)))
}

package pricing

import (
	"fmt"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/hours"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/money"
)

// Fen is an amount in fen.
type Fen = money.Fen

// Env is what the server knows and the request does not.
type Env struct {
	Schedule hours.Schedule // the restaurant's zone and day start
	Now      time.Time
	// Paused is why the store stopped taking scan-to-order orders (门店置休
	// on 开个店), "" while it takes them: the open check refuses with it.
	Paused string
	// TableOpened: this table's meal already has an order, so 开台消费 was
	// charged on it and is not asked again.
	TableOpened bool
	// Distance in meters from the restaurant to the customer's address,
	// for delivery; nil when unknown (a client's own distance is never
	// used for an order).
	Distance *int64
	// Member is the logged-in customer's member discount on what the
	// menu's discounts left of the goods (nil: no card, or not logged in):
	// its line shows in calc-fee with is_member (seed §6.9).
	Member func(left Fen) (name string, off Fen)
}

// Quote is the server's price of a cart.
type Quote struct {
	Table   menu.Table
	EatType menu.EatType
	// IgnoreExtraPrice is the pricing method the lines' Price follows
	// (digest §16.5).
	IgnoreExtraPrice bool
	Lines            []PricedLine

	TotalPrice  Fen // goods: Σ line totals
	TotalBoxFee Fen
	TaxFee      Fen
	TaxIncluded bool // the tax is inside the prices: not added to TotalFee
	DeliveryFee Fen
	// OutOfRange: delivery to this distance is not offered (calc-fee
	// answers delivery_fee -1; create refuses).
	OutOfRange  bool
	Discounts   []Adjusted
	DiscountFee Fen
	Services    []Adjusted
	ServiceFee  Fen
	TotalFee    Fen
	// TotalFeeCNY is TotalFee in yuan for online payment (cny_exrate).
	TotalFeeCNY Fen
	// BelowMinimum: a delivery order under min_amount (create refuses).
	BelowMinimum Fen
}

// Adjusted is a discount or service-fee line in fen.
type Adjusted struct {
	Name     string
	Value    Fen
	IsMember bool
}

// PricedLine is one order line as priced: what the stored order, the
// kitchen ticket and the receipt show.
type PricedLine struct {
	ProductID    int64
	ItemID       int64
	Name         string
	CustomerCode string
	IsSetMeal    bool
	PU           int
	Unit         string
	Req          string
	Qty          int
	SpecPrice    Fen // the spec's price at this eat type
	UnitPrice    Fen // one, with its condiments and set-meal surcharges
	Price        Fen // as the line shows it: UnitPrice, or SpecPrice when extras are listed apart
	Total        Fen // UnitPrice × Qty
	UnitBoxFee   Fen
	BoxFee       Fen // UnitBoxFee × Qty
	TaxRate      money.Decimal
	Condiments   []PricedCondiment
	Children     []PricedChild
	Desc         string // spec, condiments and set contents, for display
}

// PricedCondiment is a chosen condiment at its menu price.
type PricedCondiment struct {
	ID     int64
	ItemID int64
	Name   string
	Price  Fen
}

// PricedChild is a chosen set-meal entry.
type PricedChild struct {
	ProductID  int64
	ItemID     int64
	Name       string
	PU         int
	Unit       string
	Qty        int // per set
	Surcharge  Fen // per unit
	Total      Fen // Surcharge × Qty
	Condiments []PricedCondiment
}

// Limits of a request, so a hostile body costs little.
const (
	MaxLines    = 100
	MaxQty      = 99
	MaxCustomer = 99
)

// cart is the neutral input of price.
type cart struct {
	tableID          int64
	eatType          int64
	customerCount    int64
	ignoreExtraPrice bool
	lines            []Line
}

// price computes a quote; e collects what is wrong with the cart.
func price(m *menu.Menu, c cart, env Env, e *ValidationError) *Quote {
	q := &Quote{IgnoreExtraPrice: c.ignoreExtraPrice}
	t, ok := m.Table(c.tableID)
	if !ok {
		e.addf([]any{"table_id"}, "桌台 %d 不存在", c.tableID)
		return nil
	}
	q.Table = *t
	q.EatType = menu.EatType(c.eatType)
	if !q.EatType.Valid() {
		e.addf([]any{"eat_type"}, "用餐方式 %d 不存在：应是 0 堂食、1 外卖配送、2 外卖自取、3 等取", c.eatType)
		return nil
	}
	if !t.Allows(q.EatType) {
		e.addf([]any{"eat_type"}, "%s不能下%s订单", tableWord(t), q.EatType.Name())
		return nil
	}
	if env.Paused != "" {
		e.add(env.Paused, NonField)
		return nil
	}
	if err := env.Schedule.Check(m, q.EatType, env.Now); err != nil {
		e.add(err.Error(), NonField)
		return nil
	}
	if c.customerCount < 0 || c.customerCount > MaxCustomer {
		e.addf([]any{"customer_count"}, "人数应在 0 到 %d 之间", MaxCustomer)
	}
	switch {
	case len(c.lines) == 0:
		e.add("请至少点一样商品", "products")
		return nil
	case len(c.lines) > MaxLines:
		e.addf([]any{"products"}, "一单最多 %d 行商品", MaxLines)
		return nil
	}
	e.list(len(c.lines), "products")
	for i := range c.lines {
		if l, ok := priceLine(m, q, &c.lines[i], i, e); ok {
			q.Lines = append(q.Lines, l)
			q.TotalPrice += l.Total
			q.TotalBoxFee += l.BoxFee
		}
	}
	if !e.empty() {
		return nil
	}
	if checkOrderDefault(m, q, c, env, e); !e.empty() {
		return nil
	}
	fees(m, q, env.Distance, env.Member)
	return q
}

func tableWord(t *menu.Table) string {
	if t.IsVirtual() {
		return "「" + t.Name + "」二维码"
	}
	return "桌台「" + t.Name + "」"
}

func priceLine(m *menu.Menu, q *Quote, l *Line, i int, e *ValidationError) (PricedLine, bool) {
	at := func(path ...any) []any { return append([]any{"products", i}, path...) }
	bad := len(e.fields)
	p, ok := m.Product(int64(l.Product))
	if !ok {
		e.addf(at("product"), "商品 %d 不存在", l.Product)
		return PricedLine{}, false
	}
	if !p.OrderableAt(q.EatType) {
		e.addf(at("product"), "「%s」不提供%s", p.Name, q.EatType.Name())
		return PricedLine{}, false
	}
	if m.SoldOut(p) {
		e.addf([]any{NonField}, "「%s」已售罄，请换一样", p.Name)
		return PricedLine{}, false
	}
	spec, ok := p.Spec(int(l.PU))
	if !ok {
		e.addf(at("pu"), "「%s」没有规格 %d", p.Name, l.PU)
		return PricedLine{}, false
	}
	if l.Qty < 1 || l.Qty > MaxQty {
		e.addf(at("qty"), "数量应在 1 到 %d 之间", MaxQty)
	}
	pl := PricedLine{
		ProductID: p.ID, ItemID: p.ItemID, Name: p.Name, CustomerCode: p.CustomerCode, IsSetMeal: p.IsSetMeal(),
		PU: spec.PU, Unit: spec.Unit, Req: l.Req, Qty: int(l.Qty), SpecPrice: m.UnitPrice(spec, q.EatType),
		TaxRate: m.TaxRate(p),
	}
	pl.UnitPrice = pl.SpecPrice
	if menu.Applies(m.Restaurant.BoxFeeEatTypes, q.EatType) {
		pl.UnitBoxFee = p.BoxFee
	}
	var desc []string
	if spec.Unit != "" && len(p.Specs) > 1 {
		desc = append(desc, spec.Unit)
	}
	if p.IsSetMeal() {
		if len(l.Condiments) > 0 {
			e.add("套餐本身不能加调味品，请加在套餐内的商品上", at("condiments")...)
		}
		pl.Children = priceChildren(m, p, l.Children, at("children"), e)
		for _, ch := range pl.Children {
			pl.UnitPrice += ch.Total
			part := ch.Name
			if ch.Unit != "" {
				part += "(" + ch.Unit + ")"
			}
			if ch.Qty > 1 {
				part += fmt.Sprintf("×%d", ch.Qty)
			}
			for _, c := range ch.Condiments {
				pl.UnitPrice += c.Price * Fen(ch.Qty)
				part += "+" + c.Name
			}
			desc = append(desc, part)
		}
	} else {
		if len(l.Children) > 0 {
			e.add("只有套餐才有 children", at("children")...)
		}
		pl.Condiments = priceCondiments(p.Name, p.Condiments, l.Condiments, at("condiments"), e)
		for _, c := range pl.Condiments {
			pl.UnitPrice += c.Price
			desc = append(desc, c.Name)
		}
	}
	pl.Price = pl.UnitPrice
	if !q.IgnoreExtraPrice {
		pl.Price = pl.SpecPrice
	}
	pl.Total = pl.UnitPrice * Fen(pl.Qty)
	pl.BoxFee = pl.UnitBoxFee * Fen(pl.Qty)
	pl.Desc = strings.Join(desc, " / ")
	return pl, len(e.fields) == bad
}

// priceCondiments checks chosen condiments against the offered ones.
func priceCondiments(owner string, offered []menu.Condiment, chosen []Condiment, path []any, e *ValidationError) []PricedCondiment {
	if len(chosen) > len(offered) || len(chosen) > 20 {
		e.addf(path, "「%s」最多可选 %d 样调味品", owner, len(offered))
		return nil
	}
	e.list(len(chosen), path...)
	var out []PricedCondiment
	seen := map[int64]bool{}
	for k, c := range chosen {
		id := int64(c.Product)
		at := append(append([]any(nil), path...), k, "product")
		mc := findCondiment(offered, id)
		switch {
		case mc == nil:
			e.addf(at, "「%s」没有调味品 %d", owner, id)
			continue
		case seen[id]:
			e.addf(at, "调味品「%s」选了两次", mc.Name)
			continue
		case mc.SoldOut:
			e.addf([]any{NonField}, "「%s」已售罄，请换一样", mc.Name)
			continue
		}
		seen[id] = true
		out = append(out, PricedCondiment{ID: mc.ID, ItemID: mc.ItemID, Name: mc.Name, Price: mc.Price})
	}
	return out
}

func findCondiment(list []menu.Condiment, id int64) *menu.Condiment {
	for i := range list {
		if list[i].ID == id {
			return &list[i]
		}
	}
	return nil
}

// priceChildren applies the set-meal rules (digest §5.3): every entry of a
// must group, exactly choose_num distinct entries of an optional one, each
// at its num, with a listed spec and its own condiments.
func priceChildren(m *menu.Menu, set *menu.Product, chosen []Child, path []any, e *ValidationError) []PricedChild {
	if len(chosen) > 50 {
		e.add("套餐内商品太多", path...)
		return nil
	}
	e.list(len(chosen), path...)
	type where struct {
		course *menu.Course
		entry  *menu.Entry
	}
	entries := map[int64]where{}
	for ci := range set.Courses {
		c := &set.Courses[ci]
		for ei := range c.Entries {
			entries[c.Entries[ei].ProductID] = where{c, &c.Entries[ei]}
		}
	}
	picked := map[*menu.Course]int{}
	seen := map[int64]bool{}
	var out []PricedChild
	for j, ch := range chosen {
		at := func(k ...any) []any { return append(append(append([]any(nil), path...), j), k...) }
		id := int64(ch.Product)
		w, ok := entries[id]
		if !ok {
			e.addf(at("product"), "商品 %d 不在套餐「%s」里", id, set.Name)
			continue
		}
		p, _ := m.Product(id)
		if seen[id] {
			e.addf(at("product"), "「%s」选了两次", p.Name)
			continue
		}
		seen[id] = true
		if p.SoldOut {
			e.addf([]any{NonField}, "套餐里的「%s」已售罄，请换一样", p.Name)
			continue
		}
		es, ok := w.entry.Spec(int(ch.PU))
		if !ok {
			e.addf(at("pu"), "套餐里的「%s」没有规格 %d", p.Name, ch.PU)
			continue
		}
		if int(ch.Qty) != w.entry.Num {
			e.addf(at("qty"), "套餐里的「%s」数量应为 %d", p.Name, w.entry.Num)
			continue
		}
		unit := ""
		if s, ok := p.Spec(es.PU); ok {
			unit = s.Unit
		}
		pc := PricedChild{ProductID: p.ID, ItemID: p.ItemID, Name: p.Name, PU: es.PU, Unit: unit, Qty: w.entry.Num,
			Surcharge: es.Surcharge, Total: es.Surcharge * Fen(w.entry.Num)}
		pc.Condiments = priceCondiments(p.Name, w.entry.Condiments, ch.Condiments, at("condiments"), e)
		picked[w.course]++
		out = append(out, pc)
	}
	for ci := range set.Courses {
		c := &set.Courses[ci]
		n := picked[c]
		switch {
		case c.IsMust && n != len(c.Entries):
			var missing []string
			for _, en := range c.Entries {
				if !seen[en.ProductID] {
					p, _ := m.Product(en.ProductID)
					missing = append(missing, "「"+p.Name+"」")
				}
			}
			if len(missing) > 0 {
				e.addf(path, "必选组「%s」缺少%s", c.Name, strings.Join(missing, ""))
			}
		case !c.IsMust && n != c.ChooseNum:
			e.addf(path, "「%s」要选 %d 样，现在选了 %d 样", c.Name, c.ChooseNum, n)
		}
	}
	return out
}

// checkOrderDefault: a dine-in order that opens a table during one of
// order_default's periods carries each 开台消费 product, num per table or
// per seat.
func checkOrderDefault(m *menu.Menu, q *Quote, c cart, env Env, e *ValidationError) {
	od := m.Restaurant.OrderDefault
	if od == nil || q.EatType != menu.DineIn || env.TableOpened || !env.Schedule.ActiveAt(od.Periods, env.Now) {
		return
	}
	for _, dp := range od.Products {
		want := dp.Num
		if dp.IsBySeat {
			if c.customerCount < 1 {
				e.add("请填写用餐人数", "customer_count")
				return
			}
			want *= int(c.customerCount)
		}
		got := 0
		for _, l := range q.Lines {
			if l.ProductID == dp.ProductID && l.PU == dp.PU {
				got += l.Qty
			}
		}
		if got < want {
			p, _ := m.Product(dp.ProductID)
			e.addf([]any{"products"}, "开台消费：请点「%s」×%d", p.Name, want)
		}
	}
}

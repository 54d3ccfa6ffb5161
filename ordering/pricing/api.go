package pricing

import (
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/money"
)

// CalcFee prices a §6.9 calc-fee body: the page's running total. A delivery
// out of range answers delivery_fee -1 rather than an error, and the
// minimum order is not enforced here (create does). The distance is the
// server's (env) when known, else the body's: calc-fee only informs.
// Errors are *ValidationError.
func CalcFee(m *menu.Menu, req *CalcFeeRequest, env Env) (*Quote, error) {
	e := &ValidationError{}
	if env.Distance == nil && req.Distance != "" {
		meters, err := menu.ParseKilometers(req.Distance.String())
		if err != nil {
			e.add(err.Error(), "distance")
			return nil, e
		}
		env.Distance = &meters
	}
	ignore := true // the seed's "currently used" method
	if req.IgnoreExtraPrice != nil {
		ignore = *req.IgnoreExtraPrice
	}
	q := price(m, cart{tableID: int64(req.TableID), eatType: int64(req.EatType), customerCount: int64(req.CustomerCount),
		ignoreExtraPrice: ignore, lines: req.Products}, env, e)
	if err := e.err(); err != nil {
		return nil, err
	}
	return q, nil
}

// PriceOrder is create's (§6.5) check of a body: the QR version, the
// payment type, the open state, every line and total recomputed from the
// menu and compared with what the client sent (Verify). It returns the
// server's quote, which the stored order keeps; errors are
// *ValidationError naming each field that differs.
func PriceOrder(m *menu.Menu, req *OrderRequest, env Env) (*Quote, error) {
	e := &ValidationError{}
	t, ok := m.Table(int64(req.TableID))
	if !ok {
		e.addf([]any{"table_id"}, "桌台 %d 不存在", req.TableID)
		return nil, e
	}
	switch {
	case req.Ver == nil && !t.IsVirtual():
		e.add("缺少二维码版本，请重新扫描桌台二维码", NonField)
	case req.Ver != nil && int(*req.Ver) != t.QRCodeVersion:
		e.add("二维码已失效，请扫描最新的桌台二维码", NonField)
	}
	paid := menu.PaidOffline
	if req.PaidType != nil {
		paid = int(*req.PaidType)
	}
	if !PaidTypeOffered(m, t, menu.EatType(req.EatType), paid) {
		e.addf([]any{"paid_type"}, "这里不能用支付方式 %d", paid)
	}
	if !e.empty() {
		return nil, e
	}
	q := price(m, cart{tableID: t.ID, eatType: int64(req.EatType), customerCount: int64(req.CustomerCount),
		ignoreExtraPrice: req.IgnoreExtraPrice, lines: req.Products}, env, e)
	if q == nil {
		return nil, e
	}
	if q.EatType == menu.Delivery {
		switch {
		case env.Distance == nil:
			e.add("外卖配送需要收货地址", NonField)
		case q.OutOfRange:
			e.add("收货地址超出配送范围", NonField)
		case q.BelowMinimum > 0:
			e.addf([]any{NonField}, "还差 %s 起送（起送金额 %s）", q.BelowMinimum, m.Restaurant.DeliveryFee.MinAmount)
		}
		if !e.empty() {
			return nil, e
		}
	}
	if err := Verify(req, q, paid); err != nil {
		return nil, err
	}
	return q, nil
}

// PaidTypeOffered reports whether payment type paid may be used for eat
// type e at table t (the paid_types of the restaurant info for that table).
func PaidTypeOffered(m *menu.Menu, t *menu.Table, e menu.EatType, paid int) bool {
	for _, pt := range PaidTypesAt(m, t) {
		if pt.Value == paid && menu.Applies(pt.EatTypes, e) {
			return true
		}
	}
	return false
}

// PaidTypesAt lists the payment types offered at a table: those whose eat
// types include one the table allows.
func PaidTypesAt(m *menu.Menu, t *menu.Table) []menu.PaidType {
	var out []menu.PaidType
	for _, pt := range m.Restaurant.PaidTypes {
		for _, e := range t.EatTypes() {
			if menu.Applies(pt.EatTypes, e) {
				out = append(out, pt)
				break
			}
		}
	}
	return out
}

// TaxFee answers §6.4 calc-tax-fee from the amounts the body gives (the
// page's lines; create recomputes them anyway): each product at its rate.
func TaxFee(m *menu.Menu, req *TaxRequest) (TaxFeeReply, error) {
	e := &ValidationError{}
	lines := amountLines(m, req.Products, e)
	if err := e.err(); err != nil {
		return TaxFeeReply{}, err
	}
	amounts := make([]taxedAmount, len(lines))
	for i, l := range lines {
		amounts[i] = taxedAmount{l.total, m.TaxRate(l.product)}
	}
	fee, included := tax(m, amounts, amountOf(req.TotalBoxFee), amountOf(req.DeliveryFee), amountOf(req.DiscountFee))
	return TaxFeeReply{TaxFee: money.String(fee), IsTaxIncluded: included}, nil
}

// DiscountFee answers §6.8 calc-discount-fee from the body's line totals,
// for its eat type (or its table's) when given, else with the discounts
// that apply to every eat type.
func DiscountFee(m *menu.Menu, req *DiscountRequest) (DiscountFeeReply, error) {
	e := &ValidationError{}
	lines := amountLines(m, req.Products, e)
	eat := menu.EatType(-1)
	switch {
	case req.EatType != nil:
		eat = menu.EatType(*req.EatType)
	case req.TableID != nil:
		if t, ok := m.Table(int64(*req.TableID)); ok {
			eat = t.EatTypes()[0]
		} else {
			e.addf([]any{"table_id"}, "桌台 %d 不存在", *req.TableID)
		}
	}
	if err := e.err(); err != nil {
		return DiscountFeeReply{}, err
	}
	var goods Fen
	for _, l := range lines {
		goods += l.total
	}
	_, fee := discounts(&m.Restaurant, eat, goods)
	return DiscountFeeReply{DiscountFee: money.Number(fee)}, nil
}

// DeliveryFeeReplyFor answers §6.3 calc-delivery-fee: -1 outside the range.
func DeliveryFeeReplyFor(m *menu.Menu, req *DeliveryFeeRequest) (DeliveryFeeReply, error) {
	meters, err := menu.ParseKilometers(req.Distance.String())
	if err != nil {
		e := &ValidationError{}
		e.add(err.Error(), "distance")
		return DeliveryFeeReply{}, e
	}
	fee, ok := DeliveryFee(m, meters)
	if !ok {
		fee = -100
	}
	return DeliveryFeeReply{DeliveryFee: money.Signed(fee)}, nil
}

type amountLine struct {
	product *menu.Product
	total   Fen
}

func amountLines(m *menu.Menu, lines []AmountLine, e *ValidationError) []amountLine {
	if len(lines) > MaxLines {
		e.addf([]any{"products"}, "一单最多 %d 行商品", MaxLines)
		return nil
	}
	e.list(len(lines), "products")
	var out []amountLine
	for i, l := range lines {
		p, ok := m.Product(int64(l.Product))
		if !ok {
			e.addf([]any{"products", i, "product"}, "商品 %d 不存在", l.Product)
			continue
		}
		if l.Qty < 0 || l.Qty > MaxQty {
			e.addf([]any{"products", i, "qty"}, "数量应在 1 到 %d 之间", MaxQty)
			continue
		}
		total := amountOf(l.TotalPrice)
		if l.TotalPrice == nil {
			total = amountOf(l.Price) * Fen(l.Qty)
		}
		out = append(out, amountLine{p, total})
	}
	return out
}

func amountOf(n *money.Number) Fen {
	if n == nil {
		return 0
	}
	return Fen(*n)
}

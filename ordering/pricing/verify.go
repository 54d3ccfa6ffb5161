package pricing

import (
	"fmt"

	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/money"
)

// Verify compares what a create body claims with the server's quote and
// names every field that differs (400). Lines are checked by the pricing
// method of the body (digest §16.5): every price of a condiment or a
// set-meal choice must be the menu's; the line price is the unit price with
// extras (ignore_extra_price) or the spec price; totals are unit × qty.
func Verify(req *OrderRequest, q *Quote, paidType int) error {
	e := &ValidationError{}
	e.list(len(req.Products), "products")
	for i, l := range req.Products {
		if i >= len(q.Lines) {
			break
		}
		verifyLine(e, &l, &q.Lines[i], i)
	}
	total := func(key string, got *money.Number, want Fen, required bool) {
		switch {
		case got == nil && required:
			e.addf([]any{key}, "缺少 %s，应为 %s", key, money.Format(want))
		case got == nil && want != 0:
			e.addf([]any{key}, "缺少 %s，应为 %s", key, money.Format(want))
		case got != nil && Fen(*got) != want:
			e.addf([]any{key}, "与服务器计算的 %s 不符", money.Format(want))
		}
	}
	total("total_price", req.TotalPrice, q.TotalPrice, true)
	total("total_box_fee", req.TotalBoxFee, q.TotalBoxFee, false)
	total("total_tax_fee", req.TotalTaxFee, q.TaxFee, false)
	total("delivery_fee", req.DeliveryFee, q.DeliveryFee, false)
	total("discount_fee", req.DiscountFee, q.DiscountFee, false)
	total("service_fee", req.ServiceFee, q.ServiceFee, false)
	total("total_fee", req.TotalFee, q.TotalFee, true)
	verifyCNY(e, req.TotalFeeCNY, q.TotalFeeCNY, paidType)
	verifyAdjustments(e, "discounts", req.Discounts, q.Discounts)
	verifyAdjustments(e, "services", req.Services, q.Services)
	return e.err()
}

func verifyLine(e *ValidationError, l *Line, pl *PricedLine, i int) {
	at := func(k ...any) []any { return append([]any{"products", i}, k...) }
	claim := func(path []any, got *money.Number, want Fen, required bool) {
		switch {
		case got == nil && required:
			e.addf(path, "缺少价格，应为 %s", money.Format(want))
		case got != nil && Fen(*got) != want:
			e.addf(path, "价格与菜单不符，应为 %s", money.Format(want))
		}
	}
	claim(at("price"), l.Price, pl.Price, true)
	claim(at("total_price"), l.TotalPrice, pl.Total, true)
	claim(at("box_fee"), l.BoxFee, pl.UnitBoxFee, false)
	e.list(len(l.Condiments), at("condiments")...)
	for k, c := range l.Condiments {
		if k < len(pl.Condiments) {
			claim(at("condiments", k, "price"), c.Price, pl.Condiments[k].Price, false)
		}
	}
	e.list(len(l.Children), at("children")...)
	for j, ch := range l.Children {
		if j >= len(pl.Children) {
			break
		}
		pc := &pl.Children[j]
		claim(at("children", j, "price"), ch.Price, pc.Surcharge, false)
		claim(at("children", j, "total_price"), ch.TotalPrice, pc.Total, false)
		e.list(len(ch.Condiments), at("children", j, "condiments")...)
		for k, c := range ch.Condiments {
			if k < len(pc.Condiments) {
				claim(at("children", j, "condiments", k, "price"), c.Price, pc.Condiments[k].Price, false)
			}
		}
	}
}

// verifyCNY: online payment (paid_type 2) must send the CNY amount after
// the §16.4 rounding; the others send -1, nothing, or the right amount.
func verifyCNY(e *ValidationError, got *money.Signed, want Fen, paidType int) {
	switch {
	case got == nil && paidType == menu.PaidWeChat:
		e.addf([]any{"total_fee_cny"}, "在线支付需要人民币金额，应为 %s", money.Format(want))
	case got == nil, *got == -100 && paidType != menu.PaidWeChat:
	case Fen(*got) != want:
		e.addf([]any{"total_fee_cny"}, "与服务器计算的 %s 不符", money.Format(want))
	}
}

// verifyAdjustments: the discounts and services echoed from calc-fee must
// be those that apply now, in order.
func verifyAdjustments(e *ValidationError, key string, got []Adjustment, want []Adjusted) {
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		same = got[i].Name == want[i].Name && Fen(got[i].Value) == want[i].Value
	}
	if !same {
		e.add(fmt.Sprintf("与当前的%s不符，请重新计算", map[string]string{"discounts": "优惠", "services": "服务费"}[key]), key)
	}
}

package pricing

import (
	"math/big"

	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/money"
)

// fees fills in discounts, services, tax, the delivery fee and the totals
// of a quote whose lines are priced (digest §16.3):
//
//	total_fee = total_price + total_box_fee + (tax included ? 0 : tax)
//	          + delivery_fee + service_fee − discount_fee
func fees(m *menu.Menu, q *Quote, distance *int64, member func(Fen) (string, Fen)) {
	r := &m.Restaurant
	q.Discounts, q.DiscountFee = discounts(r, q.EatType, q.TotalPrice)
	if member != nil {
		if name, off := member(q.TotalPrice - q.DiscountFee); off > 0 {
			off = min(off, q.TotalPrice-q.DiscountFee)
			q.Discounts = append(q.Discounts, Adjusted{Name: name, Value: off, IsMember: true})
			q.DiscountFee += off
		}
	}
	if r.Takeout.EnableService {
		q.Services, q.ServiceFee = services(r, q.EatType, q.TotalPrice-q.DiscountFee)
	}
	if q.EatType == menu.Delivery {
		if distance == nil {
			q.OutOfRange = true
		} else {
			fee, ok := DeliveryFee(m, *distance)
			q.DeliveryFee, q.OutOfRange = fee, !ok
		}
		if q.TotalPrice < r.DeliveryFee.MinAmount {
			q.BelowMinimum = r.DeliveryFee.MinAmount - q.TotalPrice
		}
	}
	amounts := make([]taxedAmount, 0, len(q.Lines))
	for _, l := range q.Lines {
		amounts = append(amounts, taxedAmount{l.Total, l.TaxRate})
	}
	q.TaxFee, q.TaxIncluded = tax(m, amounts, q.TotalBoxFee, q.DeliveryFee, q.DiscountFee)
	q.TotalFee = q.TotalPrice + q.TotalBoxFee + q.DeliveryFee + q.ServiceFee - q.DiscountFee
	if !q.TaxIncluded {
		q.TotalFee += q.TaxFee
	}
	q.TotalFeeCNY = CNY(m, q.TotalFee)
}

// discounts applies the menu's discounts in order, each to the goods total
// left after the ones before it; none takes the goods below zero. A
// discount from min_amount up looks at the goods total before discounts.
func discounts(r *menu.Restaurant, eat menu.EatType, goods Fen) ([]Adjusted, Fen) {
	var out []Adjusted
	left := goods
	for _, d := range r.Discounts {
		if !menu.Applies(d.EatTypes, eat) || goods < d.MinAmount || left <= 0 {
			continue
		}
		v := d.Amount
		if !d.Percent.IsZero() {
			v = d.Percent.Percent(left)
		}
		v = min(v, left)
		if v <= 0 {
			continue
		}
		left -= v
		out = append(out, Adjusted{Name: d.Name, Value: v})
	}
	return out, goods - left
}

// services charges the menu's service fees on the goods after discounts.
func services(r *menu.Restaurant, eat menu.EatType, base Fen) ([]Adjusted, Fen) {
	var out []Adjusted
	var sum Fen
	for _, s := range r.Services {
		if !menu.Applies(s.EatTypes, eat) {
			continue
		}
		v := s.Amount
		if !s.Percent.IsZero() {
			v = s.Percent.Percent(base)
		}
		if v <= 0 {
			continue
		}
		sum += v
		out = append(out, Adjusted{Name: s.Name, Value: v})
	}
	return out, sum
}

// DeliveryFee is the fee of the first tier that reaches distance meters;
// ok false beyond the last tier. A menu without tiers delivers free.
func DeliveryFee(m *menu.Menu, meters int64) (fee Fen, ok bool) {
	tiers := m.Restaurant.DeliveryFee.Tiers
	if len(tiers) == 0 {
		return 0, meters >= 0
	}
	for _, t := range tiers {
		if meters >= 0 && meters <= t.WithinMeters {
			return t.Fee, true
		}
	}
	return 0, false
}

type taxedAmount struct {
	amount Fen
	rate   money.Decimal // percent
}

// tax is the order's tax (digest §6.4 decision): each line at its product's
// rate, the box and delivery fees at the restaurant's rate when the menu
// says so, the discount taken from the lines pro rata. With prices
// including tax the tax is the part they contain (a·r/(100+r)). Summed
// exactly and rounded half-up once for the order.
func tax(m *menu.Menu, lines []taxedAmount, boxFee, deliveryFee, discount Fen) (Fen, bool) {
	r := &m.Restaurant
	included := r.ProductIncludeTax
	if !r.IsSupportTax {
		return 0, included
	}
	var goods Fen
	for _, l := range lines {
		goods += l.amount
	}
	keep := big.NewRat(1, 1) // share of each line left after the discount
	if goods > 0 && discount > 0 {
		keep = big.NewRat(int64(goods-min(discount, goods)), int64(goods))
	}
	sum := new(big.Rat)
	add := func(amount *big.Rat, rate money.Decimal) {
		rr := rate.Rat()
		den := big.NewRat(100, 1)
		if included {
			den.Add(den, rr)
		}
		sum.Add(sum, new(big.Rat).Quo(new(big.Rat).Mul(amount, rr), den))
	}
	for _, l := range lines {
		add(new(big.Rat).Mul(new(big.Rat).SetInt64(int64(l.amount)), keep), l.rate)
	}
	if r.TaxBoxFee {
		add(new(big.Rat).SetInt64(int64(boxFee)), r.TaxRate)
	}
	if r.TaxDeliveryFee {
		add(new(big.Rat).SetInt64(int64(deliveryFee)), r.TaxRate)
	}
	return money.RoundRat(sum), included
}

// CNY is an amount in the menu's currency converted for online payment:
// × cny_exrate when it is above 0, else unchanged (digest §16.4).
func CNY(m *menu.Menu, amount Fen) Fen {
	if rate := m.Restaurant.Takeout.CNYExrate; !rate.IsZero() {
		return rate.Times(amount)
	}
	return amount
}

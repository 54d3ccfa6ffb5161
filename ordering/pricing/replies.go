package pricing

import "github.com/posbridge/posbridge/ordering/money"

// CalcFeeReply is §6.9's reply, plus total_price, total_box_fee, total_fee
// and total_fee_cny (posbridge's additions: the page never adds money up).
type CalcFeeReply struct {
	DeliveryFee   money.Signed `json:"delivery_fee"`
	DiscountFee   money.Number `json:"discount_fee"`
	ServiceFee    money.Number `json:"service_fee"`
	TaxFee        money.String `json:"tax_fee"`
	IsTaxIncluded bool         `json:"is_tax_included"`
	Discounts     []Adjustment `json:"discounts"`
	Services      []Adjustment `json:"services"`
	TotalPrice    money.Number `json:"total_price"`
	TotalBoxFee   money.Number `json:"total_box_fee"`
	TotalFee      money.Number `json:"total_fee"`
	TotalFeeCNY   money.Number `json:"total_fee_cny"`
}

// TaxFeeReply is §6.4's reply.
type TaxFeeReply struct {
	TaxFee        money.String `json:"tax_fee"`
	IsTaxIncluded bool         `json:"is_tax_included"`
}

// DiscountFeeReply is §6.8's reply.
type DiscountFeeReply struct {
	DiscountFee money.Number `json:"discount_fee"`
}

// DeliveryFeeReply is §6.3's reply; negative = outside the delivery range.
type DeliveryFeeReply struct {
	DeliveryFee money.Signed `json:"delivery_fee"`
}

// CalcFeeReply is the quote in §6.9's shape.
func (q *Quote) CalcFeeReply() CalcFeeReply {
	r := CalcFeeReply{
		DeliveryFee: money.Signed(q.DeliveryFee), DiscountFee: money.Number(q.DiscountFee),
		ServiceFee: money.Number(q.ServiceFee), TaxFee: money.String(q.TaxFee), IsTaxIncluded: q.TaxIncluded,
		Discounts: adjustments(q.Discounts), Services: adjustments(q.Services),
		TotalPrice: money.Number(q.TotalPrice), TotalBoxFee: money.Number(q.TotalBoxFee),
		TotalFee: money.Number(q.TotalFee), TotalFeeCNY: money.Number(q.TotalFeeCNY),
	}
	if q.OutOfRange {
		r.DeliveryFee = -100
	}
	return r
}

// TaxFeeReply is the quote's tax in §6.4's shape.
func (q *Quote) TaxFeeReply() TaxFeeReply {
	return TaxFeeReply{TaxFee: money.String(q.TaxFee), IsTaxIncluded: q.TaxIncluded}
}

// DiscountFeeReply is the quote's discount in §6.8's shape.
func (q *Quote) DiscountFeeReply() DiscountFeeReply {
	return DiscountFeeReply{DiscountFee: money.Number(q.DiscountFee)}
}

func adjustments(list []Adjusted) []Adjustment {
	out := make([]Adjustment, len(list))
	for i, a := range list {
		out[i] = Adjustment{Name: a.Name, Value: money.Number(a.Value), IsMember: a.IsMember}
	}
	return out
}

// Package orders is the scan-to-order channel's order: what a create stored
// (Record: the lines as priced from the menu, the customer's fields, the
// amounts in fen), its statuses (seed 002 §6.1), and the order object the
// phone reads (§6.0, the union of §6.1 and §14.1).
package orders

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/posbridge/posbridge/ordering/pricing"
)

// Record is what the create kept of an order, as the customer saw it: the
// server's lines and totals (they equal what the page sent, or the create
// was refused), and the customer's own fields.
type Record struct {
	EatType          int                  `json:"eat_type"`
	PaidType         int                  `json:"paid_type"`
	TableID          int64                `json:"table_id"`
	TableName        string               `json:"table_name"`
	CustomerName     string               `json:"customer_name,omitempty"`
	CustomerPhone    string               `json:"customer_phone,omitempty"`
	CustomerAddress  string               `json:"customer_address,omitempty"`
	UserAddress      int64                `json:"user_address,omitempty"` // the address book's id (delivery)
	CustomerCount    int                  `json:"customer_count"`
	Remark           string               `json:"remark,omitempty"`
	PlanTime         time.Time            `json:"plan_time,omitzero"`
	IgnoreExtraPrice bool                 `json:"ignore_extra_price"`
	Lines            []pricing.PricedLine `json:"lines"`
	TotalPrice       pricing.Fen          `json:"total_price"`
	TotalBoxFee      pricing.Fen          `json:"total_box_fee"`
	TaxFee           pricing.Fen          `json:"tax_fee"`
	TaxIncluded      bool                 `json:"tax_included"`
	DeliveryFee      pricing.Fen          `json:"delivery_fee"`
	DiscountFee      pricing.Fen          `json:"discount_fee"`
	ServiceFee       pricing.Fen          `json:"service_fee"`
	TotalFee         pricing.Fen          `json:"total_fee"`
	Discounts        []pricing.Adjusted   `json:"discounts,omitempty"`
	Services         []pricing.Adjusted   `json:"services,omitempty"`
}

// FromQuote is the record of a priced create.
func FromQuote(q *pricing.Quote) Record {
	return Record{
		EatType: int(q.EatType), TableID: q.Table.ID, TableName: q.Table.Name, IgnoreExtraPrice: q.IgnoreExtraPrice,
		Lines: q.Lines, TotalPrice: q.TotalPrice, TotalBoxFee: q.TotalBoxFee, TaxFee: q.TaxFee, TaxIncluded: q.TaxIncluded,
		DeliveryFee: q.DeliveryFee, DiscountFee: q.DiscountFee, ServiceFee: q.ServiceFee, TotalFee: q.TotalFee,
		Discounts: q.Discounts, Services: q.Services,
	}
}

// Encode is the record as stored.
func (r *Record) Encode() string {
	b, err := json.Marshal(r)
	if err != nil {
		panic("orders: encode record: " + err.Error()) // plain data only
	}
	return string(b)
}

// Decode reads a stored record.
func Decode(s string) (*Record, error) {
	var r Record
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return nil, fmt.Errorf("stored ordering order: %w", err)
	}
	return &r, nil
}

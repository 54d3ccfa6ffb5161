// Package pricing computes what an order costs, in integer fen, from the
// menu alone: the price for the eat type, specs, condiments, set-meal
// choices, box fees, 开台消费, discounts, service fees, tax, the delivery
// fee and the total (seed 002 §6.3–§6.9, digest §16). Create (§6.5)
// recomputes everything and names every field the client got wrong; the
// replies of the calc endpoints come out in the seed's shapes.
package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/ordering/money"
)

// Int is an integer field that arrives as a JSON number or a string (the
// digest: accept both for every integer field).
type Int int64

func (i *Int) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(s), ".0"), 10, 64)
	if err != nil {
		return fmt.Errorf("应是整数，而不是 %s", b)
	}
	*i = Int(v)
	return nil
}

// Line is an order line as §6.5 sends it (§6.9 and §6.4 send fewer
// fields). Amounts are what the client claims; pointers tell absent from 0.
type Line struct {
	Product    Int           `json:"product"`
	ItemID     *Int          `json:"item_id,omitempty"`
	ItemName   string        `json:"item_name,omitempty"`
	Price      *money.Number `json:"price,omitempty"`
	Unit       string        `json:"unit,omitempty"`
	PU         Int           `json:"pu"`
	Req        string        `json:"req,omitempty"`
	Qty        Int           `json:"qty"`
	BoxFee     *money.Number `json:"box_fee,omitempty"` // the unit box fee (digest §6.5)
	TotalPrice *money.Number `json:"total_price,omitempty"`
	Condiments []Condiment   `json:"condiments,omitempty"`
	Children   []Child       `json:"children,omitempty"`
}

// Condiment is a chosen condiment of a line or child.
type Condiment struct {
	Product  Int           `json:"product"`
	Price    *money.Number `json:"price,omitempty"`
	ItemName string        `json:"item_name,omitempty"`
}

// Child is a chosen set-meal entry: qty is per set, price its surcharge.
type Child struct {
	Product    Int           `json:"product"`
	ItemID     *Int          `json:"item_id,omitempty"`
	Price      *money.Number `json:"price,omitempty"`
	Unit       string        `json:"unit,omitempty"`
	PU         Int           `json:"pu"`
	Qty        Int           `json:"qty"`
	TotalPrice *money.Number `json:"total_price,omitempty"`
	Condiments []Condiment   `json:"condiments,omitempty"`
}

// Adjustment is a discount or service-fee line of §6.9, echoed in §6.5.
type Adjustment struct {
	Name     string       `json:"name"`
	Value    money.Number `json:"value"`
	IsMember bool         `json:"is_member,omitempty"`
}

// CalcFeeRequest is the body of §6.9 calc-fee.
type CalcFeeRequest struct {
	Restaurant       Int           `json:"restaurant"`
	TableID          Int           `json:"table_id"`
	EatType          Int           `json:"eat_type"`
	Distance         json.Number   `json:"distance,omitempty"` // km; informational only
	TotalBoxFee      *money.Number `json:"total_box_fee,omitempty"`
	CustomerCount    Int           `json:"customer_count,omitempty"`
	IgnoreExtraPrice *bool         `json:"ignore_extra_price,omitempty"`
	Products         []Line        `json:"products"`
}

// OrderRequest is what pricing reads of a §6.5 create body: the cart, the
// claimed amounts and the sticker's QR version. The HTTP layer embeds it in
// its create body (customer fields, plan_time, remark).
type OrderRequest struct {
	Restaurant       Int           `json:"restaurant"`
	TableID          Int           `json:"table_id"`
	EatType          Int           `json:"eat_type"`
	PaidType         *Int          `json:"paid_type,omitempty"`
	CustomerCount    Int           `json:"customer_count"`
	IgnoreExtraPrice bool          `json:"ignore_extra_price"`
	Ver              *Int          `json:"ver,omitempty"`
	Products         []Line        `json:"products"`
	TotalPrice       *money.Number `json:"total_price,omitempty"`
	TotalBoxFee      *money.Number `json:"total_box_fee,omitempty"`
	TotalTaxFee      *money.Number `json:"total_tax_fee,omitempty"`
	DeliveryFee      *money.Number `json:"delivery_fee,omitempty"`
	DiscountFee      *money.Number `json:"discount_fee,omitempty"`
	ServiceFee       *money.Number `json:"service_fee,omitempty"`
	TotalFee         *money.Number `json:"total_fee,omitempty"`
	TotalFeeCNY      *money.Signed `json:"total_fee_cny,omitempty"`
	Discounts        []Adjustment  `json:"discounts"`
	Services         []Adjustment  `json:"services"`
}

// AmountLine is a line of the §6.4 / §6.8 bodies.
type AmountLine struct {
	Product    Int           `json:"product"`
	Price      *money.Number `json:"price,omitempty"`
	Qty        Int           `json:"qty"`
	ItemID     *Int          `json:"item_id,omitempty"`
	ItemName   string        `json:"item_name,omitempty"`
	TotalPrice *money.Number `json:"total_price,omitempty"`
}

// TaxRequest is the body of §6.4 calc-tax-fee (a §6.5 body decodes into
// it too).
type TaxRequest struct {
	Restaurant  Int           `json:"restaurant"`
	DeliveryFee *money.Number `json:"delivery_fee,omitempty"`
	TotalBoxFee *money.Number `json:"total_box_fee,omitempty"`
	DiscountFee *money.Number `json:"discount_fee,omitempty"`
	Products    []AmountLine  `json:"products"`
}

// DiscountRequest is the body of §6.8 calc-discount-fee; eat_type and
// table_id are posbridge's optional additions (discounts may be limited to
// eat types).
type DiscountRequest struct {
	Restaurant Int          `json:"restaurant"`
	TableID    *Int         `json:"table_id,omitempty"`
	EatType    *Int         `json:"eat_type,omitempty"`
	Products   []AmountLine `json:"products"`
}

// DeliveryFeeRequest is the body of §6.3 calc-delivery-fee.
type DeliveryFeeRequest struct {
	Distance json.Number `json:"distance"`
}

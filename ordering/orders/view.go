package orders

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"

	"github.com/posbridge/posbridge/ordering/money"
	"github.com/posbridge/posbridge/store"
)

// View is the order object of every order reply (§6.0): §6.1's fields with
// §14.1's additions and service_fee.
type View struct {
	ID              int64        `json:"id"`
	Restaurant      int64        `json:"restaurant"`
	Table           *TableRef    `json:"table"`
	Products        []LineView   `json:"products"`
	CustomerName    string       `json:"customer_name"`
	CustomerPhone   string       `json:"customer_phone"`
	CustomerAddress string       `json:"customer_address"`
	CustomerCount   int          `json:"customer_count"`
	UserAddress     *int64       `json:"user_address"`
	EatType         int          `json:"eat_type"`
	PaidType        int          `json:"paid_type"`
	IsPaid          bool         `json:"is_paid"`
	PaidTime        *string      `json:"paid_time"`
	PaidMch         string       `json:"paid_mch"`
	PlanTime        *string      `json:"plan_time"`
	TotalPrice      money.Number `json:"total_price"`
	TotalBoxFee     money.Number `json:"total_box_fee"`
	TotalTaxFee     money.Number `json:"total_tax_fee"`
	IsTaxIncluded   bool         `json:"is_tax_included"`
	DeliveryFee     money.Number `json:"delivery_fee"`
	ServiceFee      money.Number `json:"service_fee"`
	DiscountFee     money.Number `json:"discount_fee"`
	TotalFee        money.Number `json:"total_fee"`
	TotalFeeCNY     money.Signed `json:"total_fee_cny"`
	TotalFeeCNYReal money.Signed `json:"total_fee_cny_real"`
	Remark          string       `json:"remark"`
	TradeNo         string       `json:"trade_no"`
	OutTradeNo      string       `json:"out_trade_no"`
	OutOrderID      string       `json:"out_order_id"`
	OrderHeadID     int          `json:"order_head_id"`
	TakeCode        string       `json:"take_code"`
	TakeCodeDataURI string       `json:"take_code_datauri"`
	Lang            string       `json:"lang"`
	Status          int          `json:"status"`
	CreateTime      string       `json:"create_time"`
	Feedback        *struct{}    `json:"feedback"`
	// StatusText and StatusNote are posbridge's: the status in words and
	// the sentence that came with it (why the store cancelled).
	StatusText string `json:"status_text"`
	StatusNote string `json:"status_note,omitempty"`
}

// TableRef is §6.1's table.
type TableRef struct {
	TableID   int64  `json:"table_id"`
	TableName string `json:"table_name"`
}

// LineView is a line of an order reply; box_fee is the line's total.
type LineView struct {
	ProductItemID   int64        `json:"product_item_id"`
	ProductItemName string       `json:"product_item_name"`
	PU              int          `json:"pu"`
	Unit            string       `json:"unit"`
	Desc            string       `json:"desc"`
	Price           money.Number `json:"price"`
	OriginPrice     money.Number `json:"origin_price"`
	Qty             int          `json:"qty"`
	BoxFee          money.Number `json:"box_fee"`
	TotalPrice      money.Number `json:"total_price"`
}

// Privacy is what a reader may see of the customer.
type Privacy int

const (
	// Owner: the phone that placed the order (its view_token).
	Owner Privacy = iota
	// TableGuest: anyone naming the table (§6.1's dine-in list): items and
	// statuses, no customer fields.
	TableGuest
)

// TimeLayout is the seed's datetime (§1.9): microseconds and the offset.
const TimeLayout = "2006-01-02T15:04:05.000000-07:00"

// NewView renders a stored order in zone (the restaurant's).
func NewView(o *store.OrderingOrder, r *Record, zone *time.Location, p Privacy) View {
	v := View{
		ID: o.ID, Restaurant: o.RestaurantID, Table: &TableRef{TableID: o.TableID, TableName: o.TableName},
		CustomerCount: r.CustomerCount, EatType: r.EatType, PaidType: r.PaidType,
		TotalPrice: money.Number(r.TotalPrice), TotalBoxFee: money.Number(r.TotalBoxFee), TotalTaxFee: money.Number(r.TaxFee),
		IsTaxIncluded: r.TaxIncluded, DeliveryFee: money.Number(r.DeliveryFee), ServiceFee: money.Number(r.ServiceFee),
		DiscountFee: money.Number(r.DiscountFee), TotalFee: money.Number(r.TotalFee), TotalFeeCNY: -100, TotalFeeCNYReal: -100,
		Remark: r.Remark, TradeNo: o.TradeNo, TakeCode: o.TakeCode, Lang: "zh-hans", Status: int(Status(o.Status).Seed()),
		CreateTime: o.CreatedAt.In(zone).Format(TimeLayout), StatusText: Status(o.Status).Label(), StatusNote: o.StatusNote,
		Products: make([]LineView, len(r.Lines)),
	}
	if !o.PaidAt.IsZero() {
		v.IsPaid = true
		t := o.PaidAt.In(zone).Format(TimeLayout)
		v.PaidTime = &t
	}
	if p == Owner {
		v.CustomerName, v.CustomerPhone, v.CustomerAddress = r.CustomerName, r.CustomerPhone, r.CustomerAddress
		if r.UserAddress != 0 {
			id := r.UserAddress
			v.UserAddress = &id
		}
		v.TakeCodeDataURI = TakeCodeDataURI(o.TakeCode)
	}
	if !r.PlanTime.IsZero() {
		s := r.PlanTime.In(zone).Format(TimeLayout)
		v.PlanTime = &s
	}
	for i, l := range r.Lines {
		v.Products[i] = LineView{ProductItemID: l.ItemID, ProductItemName: l.Name, PU: l.PU, Unit: l.Unit, Desc: l.Desc,
			Price: money.Number(l.Price), Qty: l.Qty, BoxFee: money.Number(l.BoxFee), TotalPrice: money.Number(l.Total)}
	}
	return v
}

// TakeCodeDataURI is the take code's Code128 barcode as a PNG data: URI
// ("" without a take code).
func TakeCodeDataURI(code string) string {
	if code == "" {
		return ""
	}
	bc, err := code128.Encode(code)
	if err != nil {
		return ""
	}
	scaled, err := barcode.Scale(bc, bc.Bounds().Dx()*3, 80)
	if err != nil {
		return ""
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, scaled); err != nil {
		return ""
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}

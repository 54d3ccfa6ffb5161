package order

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Order is one order as posbridge understands it, independent of the wire format.
// JSON names are snake_case because the console API serves this type.
type Order struct {
	// Source and Code are the order's identity (order codes are unique
	// within a source; 开个店's orderCode, the scan-to-order channel's own).
	Source    Source `json:"source,omitempty"`
	Code      string `json:"code"`
	ThirdCode string `json:"third_code,omitempty"` // thirdOrderCode
	StoreID   string `json:"store_id"`
	StoreName string `json:"store_name,omitempty"`

	Channel Channel `json:"channel"` // orderClient
	Type    Type    `json:"type"`    // orderType
	// PlatformStatus is the platform orderStatus last seen; 0 when unknown.
	PlatformStatus int `json:"platform_status"`

	PickupNo string `json:"pickup_no,omitempty"` // pickUpGoodsNo, 取餐号
	Table    string `json:"table,omitempty"`     // barCounter
	Note     string `json:"note,omitempty"`
	UserID   string `json:"user_id,omitempty"`
	UserName string `json:"user_name,omitempty"`
	// Mobile is the customer's phone as the platform sent it. It is never logged
	// and is printed and shown only through MaskPhone.
	Mobile  string `json:"-"`
	Address string `json:"address,omitempty"` // delivery address, when known

	ActualPay  Fen `json:"actual_pay"`
	Original   Fen `json:"original"`
	Discount   Fen `json:"discount"`
	DeliverFee Fen `json:"deliver_fee"`
	PackageFee Fen `json:"package_fee"`
	DriverFee  Fen `json:"driver_fee"`

	PayChannel     string `json:"pay_channel,omitempty"`
	PayChannelName string `json:"pay_channel_name,omitempty"`
	PayType        int    `json:"pay_type,omitempty"`
	PayStatus      int    `json:"pay_status,omitempty"`
	NeedInvoice    bool   `json:"need_invoice,omitempty"`
	// PartlyRefunded: part of the payment went back to the customer (开个店
	// payStatus 4, 部分退款); the rest of the order stands.
	PartlyRefunded bool `json:"partly_refunded,omitempty"`

	CreatedAt  time.Time `json:"created_at,omitzero"`
	PaidAt     time.Time `json:"paid_at,omitzero"`
	AcceptedAt time.Time `json:"accepted_at,omitzero"`
	ExpectAt   time.Time `json:"expect_at,omitzero"` // expectTime: the customer's booked time
	// The platform's delivery and pick-up times (pickUpTime, deliveryTime,
	// estimateDeliveryCompleteTime, actualArrivalTime); zero when not sent.
	PickupAt        time.Time `json:"pickup_at,omitzero"`
	DeliveryAt      time.Time `json:"delivery_at,omitzero"`
	EstimatedArrive time.Time `json:"estimated_arrive_at,omitzero"`
	ArrivedAt       time.Time `json:"arrived_at,omitzero"`

	Items      []Item     `json:"items"`
	Discounts  []Discount `json:"discounts,omitempty"`
	Deliveries []Contact  `json:"deliveries,omitempty"`
}

// MaskedMobile is the customer's phone with the middle digits hidden.
func (o *Order) MaskedMobile() string { return MaskPhone(o.Mobile) }

// MobileLast4 is the last four digits of the phone, used for search.
func (o *Order) MobileLast4() string {
	d := digits(o.Mobile)
	if len(d) < 4 {
		return ""
	}
	return d[len(d)-4:]
}

// ItemCount is the number of top-level items, quantities expanded.
func (o *Order) ItemCount() int {
	n := 0
	for _, it := range o.Items {
		n += it.Quantity
	}
	return n
}

// Item is one order line. Set meals carry their parts in Children.
type Item struct {
	Seq             int     `json:"seq"`
	ProductID       string  `json:"product_id,omitempty"`
	ThirdProductID  string  `json:"third_product_id,omitempty"`
	SkuID           string  `json:"sku_id,omitempty"`
	ParentProductID string  `json:"parent_product_id,omitempty"`
	ProductCode     string  `json:"product_code,omitempty"`
	Name            string  `json:"name"`
	Price           Fen     `json:"price"` // unit price
	Quantity        int     `json:"quantity"`
	SharePrice      Fen     `json:"share_price,omitempty"` // discount shared to this line
	Unit            string  `json:"unit,omitempty"`
	WeightGrams     float64 `json:"weight_grams,omitempty"`
	Spec            string  `json:"spec,omitempty"`     // productSpecName, e.g. 大杯
	Property        string  `json:"property,omitempty"` // productProperty, e.g. 三分糖
	ProductType     int     `json:"product_type,omitempty"`
	Fixed           bool    `json:"fixed,omitempty"` // fixed part of a set meal
	Children        []Item  `json:"children,omitempty"`
	Materials       []Item  `json:"materials,omitempty"` // add-ons
}

// Amount is the line total before discounts: unit price × quantity.
func (it *Item) Amount() Fen { return it.Price * Fen(it.Quantity) }

// Options is spec and property joined for display, e.g. "大杯 / 三分糖".
func (it *Item) Options() string {
	var parts []string
	if s := strings.TrimSpace(it.Spec); s != "" {
		parts = append(parts, s)
	}
	if p := strings.TrimSpace(it.Property); p != "" {
		parts = append(parts, p)
	}
	return strings.Join(parts, " / ")
}

// Discount is one entry of apportionDetails.
type Discount struct {
	ActivityCode string `json:"activity_code,omitempty"`
	ActivityName string `json:"activity_name,omitempty"`
	ActivityType int    `json:"activity_type,omitempty"`
	ProductID    string `json:"product_id,omitempty"`
	ProductName  string `json:"product_name,omitempty"`
	Amount       Fen    `json:"amount"`
}

// Contact is a delivery contact (deliveryContactInfoList) or courier.
type Contact struct {
	Kind    int    `json:"kind,omitempty"` // relateObjectType: 1 order, 2 after-sales, 3 rider
	Name    string `json:"name,omitempty"`
	Mobile  string `json:"-"`
	Address string `json:"address,omitempty"`
}

// MaskPhone hides the middle of a phone number: 13612349227 → 136****9227.
// Anything too short to mask is replaced entirely.
func MaskPhone(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if strings.Contains(s, "*") {
		return s // already masked by the platform (desensitizedMobile)
	}
	n := utf8.RuneCountInString(s)
	if n < 7 {
		return "****"
	}
	r := []rune(s)
	return string(r[:3]) + "****" + string(r[n-4:])
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

package wechatpay

import "time"

// SyncPath is the catering order sync endpoint.
const SyncPath = "/v3/catering/orders/sync-status"

// SyncAction is the status a sync reports.
type SyncAction string

// The two statuses of the sync.
const (
	ActionCreateDeal SyncAction = "CREATE_DEAL" // the customer placed the order
	ActionPaySuccess SyncAction = "PAY_SUCCESS" // paid through WeChat Pay, bill settled
)

// DishUnit is how a dish is counted.
type DishUnit string

// Units of SyncDish.
const (
	UnitByShare  DishUnit = "BY_SHARE"  // per portion (the default)
	UnitByWeight DishUnit = "BY_WEIGHT" // by weight
)

// SyncOrder is everything one sync reports about a scan-to-order order, in
// the caller's terms. It is a snapshot: store it (it marshals to JSON) with
// the outbox row and build the body from it at each attempt, so that a
// resend carries the same bytes.
type SyncOrder struct {
	Action       SyncAction `json:"action"`
	RestaurantID int64      `json:"restaurant_id"` // matches Config.Restaurants[].ID
	OutOrderNo   string     `json:"out_order_no"`  // the order's trade_no
	TableName    string     `json:"table_name,omitempty"`
	PeopleCount  int        `json:"people_count,omitempty"` // 0 = unknown, left out

	// Amounts are minor units of Currency (fen for CNY):
	// TotalAmount = DiscountAmount + UserAmount.
	Currency       Currency `json:"currency"`
	TotalAmount    int64    `json:"total_amount"`    // before discounts
	DiscountAmount int64    `json:"discount_amount"` // all discounts together
	UserAmount     int64    `json:"user_amount"`     // what the customer pays (total_fee)
	// UserAmountCNY is what the customer pays in CNY fen as the payment
	// provider charged it (total_fee_cny); when nil it is converted from
	// UserAmount. Ignored for CNY menus.
	UserAmountCNY *int64 `json:"user_amount_cny,omitempty"`

	ActionTime time.Time    `json:"action_time"` // when the status changed
	Dishes     []SyncDish   `json:"dishes"`
	Customer   WeChatLogin  `json:"customer"`
	OrderEntry string       `json:"order_entry"`       // the ordering page's full URL
	Payment    *SyncPayment `json:"payment,omitempty"` // required for PAY_SUCCESS
}

// Currency is the menu's currency. The zero value is CNY.
type Currency struct {
	Code          string `json:"code,omitempty"`           // ISO 4217; "" = CNY
	DecimalPlaces int    `json:"decimal_places,omitempty"` // minor-unit digits (2 for HKD, 0 for JPY); ignored for CNY
	// CNYRate converts the menu currency to CNY: CNY = amount × rate, as an
	// exact decimal (the ordering config's cny_exrate, e.g. "0.1218").
	CNYRate string `json:"cny_rate,omitempty"`
}

// WeChatLogin is the customer's WeChat web-authorisation login.
type WeChatLogin struct {
	OpenID string `json:"openid,omitempty"`
	// AppID is the official account the openid belongs to: the
	// restaurant's sub_appid or the provider's sp_appid can be synced; an
	// openid of any other account (钱方's, for one) cannot.
	AppID string `json:"appid,omitempty"`
	// LoginToken is the page access_token of that login, issued at
	// TokenIssuedAt; see LoginTokenRefresher.
	LoginToken    string    `json:"login_token,omitempty"`
	TokenIssuedAt time.Time `json:"token_issued_at"`
	// SessionRef lets the caller's LoginTokenRefresher find the login (and
	// its refresh_token); never sent.
	SessionRef string `json:"session_ref,omitempty"`
}

// SyncPayment is the WeChat Pay payment of a PAY_SUCCESS.
type SyncPayment struct {
	PayTime time.Time `json:"pay_time"`
	// TransactionID is WeChat Pay's own transaction number: 钱方's chnlsn,
	// 收钱吧's trade_no.
	TransactionID string `json:"transaction_id"`
	OutTradeNo    string `json:"out_trade_no"` // the provider order number of the payment
}

// SyncDish is one line of the order.
type SyncDish struct {
	OutDishNo string   `json:"out_dish_no"`
	Name      string   `json:"name"`
	Price     int64    `json:"price"`          // unit price, minor units of the order's Currency
	Unit      DishUnit `json:"unit,omitempty"` // "" = BY_SHARE
	// CountHundredths is the quantity in hundredths: 150 = 1.5 portions
	// (or 1.5 of the menu's weight unit for BY_WEIGHT).
	CountHundredths int64 `json:"count_hundredths"`
	Discount        *int  `json:"discount,omitempty"` // percent paid: 80 = 20 % off; nil = not stated
	// CategoryID is the menu category; Restaurant.DishTypes maps it to the
	// dish type.
	CategoryID string `json:"category_id,omitempty"`
	// Priority is the dish's position in the menu from 1; 0 = unknown.
	// Positions past 100 are sent as 100, the documented maximum.
	Priority int `json:"priority,omitempty"`
	// Specs are what the customer chose (大杯, 辣, 三分糖) and Tags what
	// the menu says of the dish (炒, 牛, 葱). Only words of the documented
	// property vocabularies are sent.
	Specs []string `json:"specs,omitempty"`
	Tags  []string `json:"tags,omitempty"`
}

// Ref is the order and status the sync is about.
func (o *SyncOrder) Ref() SyncRef { return SyncRef{OutOrderNo: o.OutOrderNo, Action: o.Action} }

// SyncRef names one sync: one outbox row per (OutOrderNo, Action).
type SyncRef struct {
	OutOrderNo string     `json:"out_order_no"`
	Action     SyncAction `json:"action"`
}

// IdempotencyKey is the key of the sync's outbox row. WeChat Pay has no
// idempotency header for this call; resending the same snapshot is the
// documented way to repeat it.
func (r SyncRef) IdempotencyKey() string {
	return "wechatpay-sync:" + r.OutOrderNo + ":" + string(r.Action)
}

// Lane orders the syncs of one order: PAY_SUCCESS never goes before the
// order's CREATE_DEAL when both wait in the same lane.
func (r SyncRef) Lane() string { return "wechatpay-sync:" + r.OutOrderNo }

package order

import "time"

// ChangeKind says what announced a change.
type ChangeKind string

const (
	ChangeStatus   ChangeKind = "status"   // order status change push / poll / reconcile
	ChangeRefund   ChangeKind = "refund"   // refund status push / refund poll
	ChangeDelivery ChangeKind = "delivery" // delivery status push
	ChangeEvent    ChangeKind = "event"    // order event push (备餐提醒)
	ChangeProduct  ChangeKind = "product"  // 围餐 items added online
)

// Via says how a change reached posbridge: pushed, polled, found by
// reconciliation or read from the order history.
type Via string

const (
	ViaPush      Via = "push"
	ViaPoll      Via = "poll"
	ViaReconcile Via = "reconcile"
	ViaHistory   Via = "history"
)

// Change is one normalised announcement from the platform about an order.
// Adapters (push receiver, poller) produce it; bridge applies it. Fields the
// announcement did not carry are zero. Raw values of unknown enums are kept as
// the platform sent them so that nothing is refused.
type Change struct {
	Kind ChangeKind `json:"kind"`
	// Via keeps the JSON name "source" it had before order sources
	// existed: stored claims (push_claims.change_json) read the same.
	Via Via `json:"source"`
	// Source is the channel the order belongs to; empty means 开个店, the
	// only source before channels existed.
	Source Source    `json:"order_source,omitempty"`
	Code   string    `json:"code"` // orderCode (orderId for delivery pushes)
	At     time.Time `json:"at"`   // the platform's timeStamp; zero when absent

	PlatformStatus int          `json:"platform_status,omitempty"` // orderStatus
	CancelType     CancelType   `json:"cancel_type,omitempty"`
	CancelStatus   RefundStatus `json:"cancel_status,omitempty"` // cancelStatus or refundStatus
	Reason         string       `json:"reason,omitempty"`        // cancelReason / refundReason

	DeliveryStatus int    `json:"delivery_status,omitempty"`
	RiderName      string `json:"rider_name,omitempty"`
	RiderPhone     string `json:"-"`
	EventType      int    `json:"event_type,omitempty"`
	// Waybill is what a delivery push says beyond the status (its channel's
	// words for it, the courier's company, why it went wrong).
	Waybill *Waybill `json:"waybill,omitempty"`
	// Added are the lines a 围餐 table added online (ChangeProduct); names
	// and prices only when the channel sent them. Batch names the addition
	// (the same push twice has the same batch).
	Added []Item `json:"added,omitempty"`
	Batch string `json:"batch,omitempty"`

	// Unknown holds raw values of fields whose value the documents do not define,
	// keyed by field name, e.g. {"orderStatus":"99"}.
	Unknown map[string]string `json:"unknown,omitempty"`
}

// Waybill is a courier's delivery as its channel reports it.
type Waybill struct {
	ID         string `json:"id,omitempty"`
	Text       string `json:"text"`              // the status in words, with the reason
	NeedsStaff bool   `json:"needs_staff"`       // abnormal or cancelled: the food has no courier
	Channel    string `json:"channel,omitempty"` // the courier's company, e.g. 美团
	Remark     string `json:"remark,omitempty"`
}

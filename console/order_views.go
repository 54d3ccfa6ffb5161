package console

import (
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
)

// The console API's JSON of orders: snake_case, money in fen, times in
// RFC 3339 with the store's offset, the phone masked. bridge gives the
// orders as domain values (bridge.OrderDetail); the wire's names are kept
// here, and only here.

// orderFactsJSON is bridge.OrderFacts with the API's names: the same fields
// in the same order, so that one converts to the other.
type orderFactsJSON struct {
	Source         order.Source `json:"source"`
	Code           string       `json:"code"`
	StoreID        string       `json:"store_id"`
	StoreName      string       `json:"store_name,omitempty"`
	Status         order.Status `json:"status"`
	StatusLabel    string       `json:"status_label"`
	PlatformStatus int          `json:"platform_status"`
	RawStatus      string       `json:"raw_status,omitempty"`
	RefundStatus   int          `json:"refund_status,omitempty"`
	Reason         string       `json:"reason,omitempty"`
	Type           order.Type   `json:"type"`
	TypeLabel      string       `json:"type_label"`
	Channel        int          `json:"channel"`
	ChannelLabel   string       `json:"channel_label"`
	PickupNo       string       `json:"pickup_no,omitempty"`
	Table          string       `json:"table,omitempty"`
	Note           string       `json:"note,omitempty"`
	Mobile         string       `json:"mobile,omitempty"` // masked
	Address        string       `json:"address,omitempty"`
	Items          []order.Item `json:"items"`
	ActualPay      order.Fen    `json:"actual_pay"`
	Original       order.Fen    `json:"original"`
	Discount       order.Fen    `json:"discount"`
	DeliverFee     order.Fen    `json:"deliver_fee"`
	PackageFee     order.Fen    `json:"package_fee"`
	PayChannel     string       `json:"pay_channel,omitempty"`
	DetailKnown    bool         `json:"detail_known"`
	DetailError    string       `json:"detail_error,omitempty"`

	CreatedAt   time.Time `json:"created_at,omitzero"`
	ExpectAt    time.Time `json:"expect_at,omitzero"`
	FirstSeenAt time.Time `json:"first_seen_at"`
	AcceptedAt  time.Time `json:"accepted_at,omitzero"`
	MadeAt      time.Time `json:"made_at,omitzero"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at"`

	Decision         string    `json:"decision,omitempty"` // accept | refund
	DecisionSince    time.Time `json:"decision_since,omitzero"`
	DecisionDeadline time.Time `json:"decision_deadline,omitzero"`
	DecisionNote     string    `json:"decision_note,omitempty"`
	AlertLevel       int       `json:"alert_level,omitempty"`
	PrintPending     bool      `json:"print_pending,omitempty"`
	PrintAt          time.Time `json:"print_at,omitzero"`
	CancelRequested  bool      `json:"cancel_requested,omitempty"`
	FirstSource      string    `json:"first_source,omitempty"`
}

// orderView is an order as GET /api/orders and /api/orders/{code} serve it.
type orderView struct {
	orderFactsJSON

	// The detail (GET /api/orders/{code}) always has these, [] when empty;
	// list views leave them out.
	Printed []printedView `json:"printed,omitzero"`
	History []historyView `json:"history,omitzero"`
	Calls   []callView    `json:"calls,omitzero"`

	// Extras: the waybill, reminders, 围餐 additions and detail fields of
	// the rest of the 开个店 store; nil when there are none.
	Extras *orderExtrasView `json:"extras,omitempty"`
}

// printedView is one print job of an order (bridge.PrintedJob).
type printedView struct {
	ID        int64     `json:"id"`
	Printer   string    `json:"printer"`
	Original  string    `json:"original_printer,omitempty"`
	Doc       string    `json:"doc"`
	Title     string    `json:"title,omitempty"`
	State     string    `json:"state"`
	Reprint   bool      `json:"reprint,omitempty"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

// historyView is one line of an order's history (bridge.HistoryEntry).
type historyView struct {
	At     time.Time `json:"at"`
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	Actor  string    `json:"actor"`
	Source string    `json:"source,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

// callView is one call to a channel (bridge.CallInfo).
type callView struct {
	ID        int64     `json:"id"`
	TxID      string    `json:"tx_id"`
	Kind      string    `json:"kind"`
	Op        string    `json:"op"`
	OpLabel   string    `json:"op_label"`
	OrderCode string    `json:"order_code,omitempty"`
	State     string    `json:"state"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	Hint      string    `json:"hint,omitempty"` // LastError for staff, in Chinese
	NextAt    time.Time `json:"next_at,omitzero"`
	CreatedAt time.Time `json:"created_at"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

// orderExtrasView is bridge.OrderExtras.
type orderExtrasView struct {
	Delivery        *waybillView   `json:"delivery,omitempty"`
	Reminders       []time.Time    `json:"reminders,omitempty"`
	Additions       []additionView `json:"additions,omitempty"`
	NeedInvoice     bool           `json:"need_invoice,omitempty"`
	DriverFee       order.Fen      `json:"driver_fee,omitempty"`
	PartlyRefunded  bool           `json:"partly_refunded,omitempty"`
	PickupAt        time.Time      `json:"pickup_at,omitzero"`
	DeliveryAt      time.Time      `json:"delivery_at,omitzero"`
	EstimatedArrive time.Time      `json:"estimated_arrive_at,omitzero"`
	ArrivedAt       time.Time      `json:"arrived_at,omitzero"`
}

// waybillView is bridge.Waybill.
type waybillView struct {
	Status      int       `json:"status"` // -1 unknown
	Text        string    `json:"text"`
	Alert       bool      `json:"alert"`
	RiderName   string    `json:"rider_name,omitempty"`
	RiderPhone  string    `json:"rider_phone,omitempty"`
	ChannelName string    `json:"channel_name,omitempty"`
	ExpressNo   string    `json:"express_no,omitempty"`
	Remark      string    `json:"remark,omitempty"`
	ByStaff     bool      `json:"by_staff,omitempty"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// additionView is bridge.Addition.
type additionView struct {
	Items      []order.Item `json:"items"`
	ReceivedAt time.Time    `json:"received_at"`
}

func viewOfOrder(d bridge.OrderDetail) orderView {
	v := orderView{orderFactsJSON: orderFactsJSON(d.OrderFacts), Printed: convertAll(d.Printed, func(p bridge.PrintedJob) printedView { return printedView(p) }),
		History: convertAll(d.History, func(h bridge.HistoryEntry) historyView { return historyView(h) }), Calls: viewOfCalls(d.Calls)}
	if x := d.Extras; x != nil {
		v.Extras = &orderExtrasView{Reminders: x.Reminders, NeedInvoice: x.NeedInvoice, DriverFee: x.DriverFee,
			PartlyRefunded: x.PartlyRefunded, PickupAt: x.PickupAt, DeliveryAt: x.DeliveryAt, EstimatedArrive: x.EstimatedArrive, ArrivedAt: x.ArrivedAt,
			Additions: convertAll(x.Additions, func(a bridge.Addition) additionView { return additionView(a) })}
		if x.Delivery != nil {
			w := waybillView(*x.Delivery)
			v.Extras.Delivery = &w
		}
	}
	return v
}

func viewOfOrders(ds []bridge.OrderDetail) []orderView {
	return convertAll(ds, viewOfOrder)
}

func viewOfCalls(cs []bridge.CallInfo) []callView {
	return convertAll(cs, func(c bridge.CallInfo) callView { return callView(c) })
}

// convertAll maps a list and keeps nil apart from empty: a list view leaves
// out what a detail shows as [].
func convertAll[T, V any](in []T, f func(T) V) []V {
	if in == nil {
		return nil
	}
	out := make([]V, len(in))
	for i, x := range in {
		out[i] = f(x)
	}
	return out
}

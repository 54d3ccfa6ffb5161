package order

import "strconv"

// Status is posbridge's neutral lifecycle of an order, whatever its
// source: placed (new), accepted, made, delivering, delivered, completed,
// or ended as cancelled, rejected, closed unpaid or refunded; a refund
// request holds it in refund_requested / refund_processing until it is
// refused, withdrawn (back where it was) or done (refunded). Each channel
// maps its own codes onto it (kaigedian/status.go). The names are a
// contract of the console API (`GET /api/orders?status=new,accepted`):
// existing ones never change, new ones are added.
type Status string

const (
	StatusPendingPayment  Status = "pending_payment" // platform 2: ignored until paid
	StatusNew             Status = "new"             // platform 1: paid, not accepted
	StatusAccepted        Status = "accepted"        // platform 3
	StatusMade            Status = "made"            // platform 31
	StatusDelivering      Status = "delivering"      // platform 4
	StatusCompleted       Status = "completed"       // platform 5
	StatusCancelled       Status = "cancelled"       // platform 6
	StatusRejected        Status = "rejected"        // platform 7
	StatusRefundRequested Status = "refund_requested"
	// StatusRefundProcessing: staff approved the refund; the platform has
	// not confirmed it yet (no refund slip prints before it does).
	StatusRefundProcessing Status = "refund_processing"
	StatusRefunded         Status = "refunded"
	// StatusDelivered: the courier handed the order over; the source
	// completes it (开个店 has no such status: its orders go from
	// delivering to completed).
	StatusDelivered Status = "delivered"
	// StatusClosedUnpaid: an order never paid was closed (a scan-to-order
	// order paid at the counter that nobody paid for).
	StatusClosedUnpaid Status = "closed_unpaid"
)

// AllStatuses lists every local status in lifecycle order.
var AllStatuses = []Status{
	StatusPendingPayment, StatusNew, StatusAccepted, StatusMade, StatusDelivering, StatusDelivered,
	StatusCompleted, StatusCancelled, StatusRejected, StatusClosedUnpaid, StatusRefundRequested, StatusRefundProcessing,
	StatusRefunded,
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	for _, k := range AllStatuses {
		if k == s {
			return true
		}
	}
	return false
}

// RefundPending reports a refund asked for and not yet settled: the order
// waits where it was (Order.StatusBeforeRefund) until it is.
func (s Status) RefundPending() bool {
	return s == StatusRefundRequested || s == StatusRefundProcessing
}

// Terminal reports whether no ordinary event moves the order any more.
// (A completed order may still be refunded through an after-sales cancel.)
func (s Status) Terminal() bool {
	switch s {
	case StatusCompleted, StatusCancelled, StatusRejected, StatusRefunded, StatusClosedUnpaid:
		return true
	}
	return false
}

// Ended reports an order that stopped without completing: reconciliation
// asks its source about such orders for a day (a local end the source
// contradicts).
func (s Status) Ended() bool { return s.Terminal() && s != StatusCompleted }

// OpenStatuses and TerminalStatuses are the two halves of AllStatuses; the
// store's queries are built from them, so that a status added here is
// open or terminal everywhere at once.
var (
	OpenStatuses     = filterStatuses(func(s Status) bool { return !s.Terminal() })
	TerminalStatuses = filterStatuses(Status.Terminal)
	EndedStatuses    = filterStatuses(Status.Ended)
)

func filterStatuses(keep func(Status) bool) []Status {
	var out []Status
	for _, s := range AllStatuses {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// LabelFor is Label for an order of type t: a made delivery order waits for
// its courier (待配送), not for the customer (待取餐).
func (s Status) LabelFor(t Type) string {
	if s == StatusMade && t.IsDelivery() {
		return "待配送"
	}
	return s.Label()
}

// Label is the Simplified Chinese name shown to staff.
func (s Status) Label() string {
	switch s {
	case StatusPendingPayment:
		return "待支付"
	case StatusNew:
		return "待接单"
	case StatusAccepted:
		return "制作中"
	case StatusMade:
		return "待取餐"
	case StatusDelivering:
		return "配送中"
	case StatusCompleted:
		return "已完成"
	case StatusCancelled:
		return "已取消"
	case StatusRejected:
		return "已拒单"
	case StatusRefundRequested:
		return "申请退款"
	case StatusRefundProcessing:
		return "退款处理中"
	case StatusRefunded:
		return "已退款"
	case StatusDelivered:
		return "已送达"
	case StatusClosedUnpaid:
		return "未支付关单"
	}
	return string(s)
}

// RefundStatus is cancelStatus / refundStatus of the pushes (§5.4b).
type RefundStatus int

const (
	RefundRequested RefundStatus = 1
	RefundRefused   RefundStatus = 3
	RefundRefunding RefundStatus = 4
	RefundDone      RefundStatus = 5
	RefundWithdrawn RefundStatus = 6
)

// Label is the Chinese name of the refund status.
func (r RefundStatus) Label() string {
	switch r {
	case RefundRequested:
		return "申请退款"
	case RefundRefused:
		return "拒绝退款"
	case RefundRefunding:
		return "退款中"
	case RefundDone:
		return "退款完成"
	case RefundWithdrawn:
		return "取消退款"
	case 0:
		return ""
	}
	return "未知(" + strconv.Itoa(int(r)) + ")"
}

// CancelType is cancelType / refundType (§5.5).
type CancelType int

// Label is the Chinese name of the cancel type as the documents give it.
func (c CancelType) Label() string {
	names := map[CancelType]string{
		1: "其他取消", 2: "用户取消", 3: "商户取消", 4: "未支付超时关单", 5: "商户接单超时取消",
		6: "商家拒单", 7: "配送用户拒收", 8: "用户售后退货/退款", 9: "系统取消", 10: "客服取消",
		11: "用户统一取消", 12: "配送取消",
	}
	if n, ok := names[c]; ok {
		return n
	}
	if c == 0 {
		return ""
	}
	return "未知(" + strconv.Itoa(int(c)) + ")"
}

// RefundState is the neutral state of a refund request, whatever the
// source's codes (开个店: order.RefundStatus).
type RefundState string

const (
	RefundStateRequested  RefundState = "requested"
	RefundStateProcessing RefundState = "processing"
	RefundStateRefused    RefundState = "refused"
	RefundStateWithdrawn  RefundState = "withdrawn"
	RefundStateDone       RefundState = "done"
)

// Rank is how far along its lifecycle an order in s is, for telling a late
// announcement from a newer one: placed before accepted before made before
// delivering before delivered before completed; every end ranks last. A
// refund's states, outside the forward path, rank -1.
func (s Status) Rank() int {
	switch s {
	case StatusPendingPayment:
		return 0
	case StatusNew:
		return 1
	case StatusAccepted:
		return 2
	case StatusMade:
		return 3
	case StatusDelivering:
		return 4
	case StatusDelivered:
		return 5
	case StatusCompleted:
		return 6
	case StatusCancelled, StatusRejected, StatusRefunded, StatusClosedUnpaid:
		return 7
	}
	return -1
}

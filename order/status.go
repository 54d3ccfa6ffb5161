package order

import "strconv"

// Status is posbridge's local state of an order. The names are a contract of
// the console API (`GET /api/orders?status=new,accepted`).
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
)

// AllStatuses lists every local status in lifecycle order.
var AllStatuses = []Status{
	StatusPendingPayment, StatusNew, StatusAccepted, StatusMade, StatusDelivering,
	StatusCompleted, StatusCancelled, StatusRejected, StatusRefundRequested, StatusRefundProcessing, StatusRefunded,
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
	case StatusCompleted, StatusCancelled, StatusRejected, StatusRefunded:
		return true
	}
	return false
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
	}
	return string(s)
}

// Platform order status codes (开个店 orderStatus, current numbering since 2019-05-12).
const (
	PlatformNew            = 1
	PlatformPendingPayment = 2
	PlatformAccepted       = 3
	PlatformMade           = 31
	PlatformDelivering     = 4
	PlatformCompleted      = 5
	PlatformCancelled      = 6
	PlatformRejected       = 7
)

// StatusFromPlatform maps a platform orderStatus code to the local status.
// ok is false for codes the documents do not define; callers store those raw.
func StatusFromPlatform(code int) (s Status, ok bool) {
	switch code {
	case PlatformNew:
		return StatusNew, true
	case PlatformPendingPayment:
		return StatusPendingPayment, true
	case PlatformAccepted:
		return StatusAccepted, true
	case PlatformMade:
		return StatusMade, true
	case PlatformDelivering:
		return StatusDelivering, true
	case PlatformCompleted:
		return StatusCompleted, true
	case PlatformCancelled:
		return StatusCancelled, true
	case PlatformRejected:
		return StatusRejected, true
	}
	return "", false
}

// PlatformCode is the platform orderStatus that corresponds to s, or 0 for the
// local-only states (refund requested, refunded).
func (s Status) PlatformCode() int {
	switch s {
	case StatusNew:
		return PlatformNew
	case StatusPendingPayment:
		return PlatformPendingPayment
	case StatusAccepted:
		return PlatformAccepted
	case StatusMade:
		return PlatformMade
	case StatusDelivering:
		return PlatformDelivering
	case StatusCompleted:
		return PlatformCompleted
	case StatusCancelled:
		return PlatformCancelled
	case StatusRejected:
		return PlatformRejected
	}
	return 0
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

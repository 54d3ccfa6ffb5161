package order

// Payment is where an order's money stands, apart from its lifecycle: a
// counter-paid scan-to-order order waits for acceptance unpaid, and a paid
// one may be refunded after it completed.
type Payment string

const (
	PaymentUnpaid    Payment = "unpaid"
	PaymentPaid      Payment = "paid"
	PaymentRefunding Payment = "refunding"
	PaymentRefunded  Payment = "refunded"
)

// Label is the Chinese name of the payment state.
func (p Payment) Label() string {
	switch p {
	case PaymentUnpaid:
		return "未支付"
	case PaymentPaid:
		return "已支付"
	case PaymentRefunding:
		return "退款中"
	case PaymentRefunded:
		return "已退款"
	}
	return string(p)
}

// PaymentOf is the payment state an order in status s has, for a source
// that pays before the order is placed (开个店: an order is new once paid).
func PaymentOf(s Status) Payment {
	switch s {
	case StatusPendingPayment, StatusClosedUnpaid:
		return PaymentUnpaid
	case StatusRefundProcessing:
		return PaymentRefunding
	case StatusRefunded:
		return PaymentRefunded
	}
	return PaymentPaid
}

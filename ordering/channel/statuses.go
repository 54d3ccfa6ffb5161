package channel

import (
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/orders"
)

// The channel's status numbers are seed 002's (§6.1) and one of
// posbridge's: a store's cancel of an accepted order (-3) is apart from
// a reject (-2) for the rules; the phone reads both as -2 商家取消.
var lifecycle = map[orders.Status]order.Status{
	orders.Placed:         order.StatusPendingPayment,
	orders.Awaiting:       order.StatusNew,
	orders.Preparing:      order.StatusAccepted,
	orders.Ready:          order.StatusMade,
	orders.Delivering:     order.StatusDelivering,
	orders.Delivered:      order.StatusDelivered,
	orders.Completed:      order.StatusCompleted,
	orders.UserCancel:     order.StatusCancelled,
	orders.Rejected:       order.StatusRejected,
	orders.StoreCancelled: order.StatusCancelled,
}

// StatusOf is the lifecycle status of a channel status number.
func (c *Channel) StatusOf(code int) (order.Status, bool) {
	s, ok := lifecycle[orders.Status(code)]
	return s, ok
}

// CodeOf is the channel's number for a lifecycle status (0: none; the
// cancelled of a store's cancel is -3, the customer's -1 only comes from
// the phone).
func (c *Channel) CodeOf(s order.Status) int {
	switch s {
	case order.StatusCancelled:
		return int(orders.StoreCancelled)
	case order.StatusPendingPayment:
		return 0 // 0 is also "none": online payment comes with the next issue
	}
	for code, st := range lifecycle {
		if st == s && code != orders.UserCancel && code != orders.StoreCancelled {
			return int(code)
		}
	}
	return 0
}

// rank orders the statuses along the lifecycle: a call never moves an
// order back.
func rank(s orders.Status) int {
	switch s {
	case orders.Placed:
		return 0
	case orders.Awaiting:
		return 1
	case orders.Preparing:
		return 2
	case orders.Ready:
		return 3
	case orders.Delivering:
		return 4
	case orders.Delivered:
		return 5
	case orders.Completed:
		return 9
	}
	return 10 // the ends: cancelled, rejected
}

func ended(s orders.Status) bool {
	return s == orders.UserCancel || s == orders.Rejected || s == orders.StoreCancelled
}

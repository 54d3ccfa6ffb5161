package kaigedian

import "github.com/posbridge/posbridge/order"

// 开个店's order status codes and their place in posbridge's neutral
// lifecycle (order.Status). Only this package knows the numbers.

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
func StatusFromPlatform(code int) (s order.Status, ok bool) {
	switch code {
	case PlatformNew:
		return order.StatusNew, true
	case PlatformPendingPayment:
		return order.StatusPendingPayment, true
	case PlatformAccepted:
		return order.StatusAccepted, true
	case PlatformMade:
		return order.StatusMade, true
	case PlatformDelivering:
		return order.StatusDelivering, true
	case PlatformCompleted:
		return order.StatusCompleted, true
	case PlatformCancelled:
		return order.StatusCancelled, true
	case PlatformRejected:
		return order.StatusRejected, true
	}
	return "", false
}

// PlatformCode is the platform orderStatus that corresponds to s, or 0 for the
// local-only states (refund requested, refunded).
func PlatformCode(s order.Status) int {
	switch s {
	case order.StatusNew:
		return PlatformNew
	case order.StatusPendingPayment:
		return PlatformPendingPayment
	case order.StatusAccepted:
		return PlatformAccepted
	case order.StatusMade:
		return PlatformMade
	case order.StatusDelivering:
		return PlatformDelivering
	case order.StatusCompleted:
		return PlatformCompleted
	case order.StatusCancelled:
		return PlatformCancelled
	case order.StatusRejected:
		return PlatformRejected
	}
	return 0
}

package order

import "time"

// State is where an order stands, as the state machine reads and moves it
// (bridge/machine.go): its lifecycle status, what its channel last said,
// and the refund request it carries. The machine works on this value, not
// on the storage row; the row keeps these columns (store.OrderRecord's
// State and SetState).
type State struct {
	// Code and Type are read only: they name the order in messages and
	// tell which actions it allows; SetState leaves the row's alone.
	Code string
	Type Type

	Status             Status
	StatusBeforeRefund Status // where a refund request that is withdrawn returns to
	PlatformStatus     int    // the channel's own status number, as last applied
	RawStatus          string // a channel status the channel does not define
	PlatformAt         time.Time
	RefundStatus       RefundStatus
	RefundAt           time.Time // the channel's time of the refund request applied
	CancelType         CancelType
	Reason             string
	CancelRequested    bool // an after-sales cancel went out; the channel decides
}

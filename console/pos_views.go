package console

import "time"

// posOrderView is bridge.POSOrder, an offline order's state as GET
// /api/pos/orders/{id} answers it: the same fields, so one converts to the
// other.
type posOrderView struct {
	ID             int64     `json:"id"`
	State          string    `json:"state"` // pending | done | failed
	ThirdOrderCode string    `json:"third_order_code,omitempty"`
	OrderCode      string    `json:"order_code,omitempty"`
	Attempts       int       `json:"attempts"`
	LastError      string    `json:"last_error,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	DoneAt         time.Time `json:"done_at,omitzero"`
}

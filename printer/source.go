package printer

import "github.com/posbridge/posbridge/order"

// orderSource names the channel an order came from, for the id routes of
// the match config ("" is 开个店's).
func orderSource(o *order.Order) string { return "" }

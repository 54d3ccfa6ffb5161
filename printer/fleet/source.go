package fleet

import "github.com/posbridge/posbridge/order"

// orderSource names the channel an order came from, for the id routes of
// the match config: "kaigedian" (开个店, also for an order of no source) or
// "ordering" (scan-to-order).
func orderSource(o *order.Order) string { return string(o.Source.Or(order.SourceKaigedian)) }

package channel

import (
	"context"
	"errors"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// HistoryPlatform is the part of the client that reads a day of orders.
type HistoryPlatform interface {
	HistoryOrders(ctx context.Context, req kaigedian.HistoryRequest) (*kaigedian.HistoryResult, error)
}

var (
	_ bridge.OrderHistory = (*Channel)(nil)
	_ HistoryPlatform     = (*kaigedian.Client)(nil)
)

// errNoHistory is a client that cannot read historyOrders.
var errNoHistory = errors.New("this 开个店 client cannot read historyOrders")

// DayOrders reads one page of historyOrders: the documented queryDetail
// carries a delivery order's coordinates only, its address is here.
func (c *Channel) DayOrders(ctx context.Context, storeID string, day time.Time, page, pageSize int) ([]order.Order, int, error) {
	hp, ok := c.platform.(HistoryPlatform)
	if !ok {
		return nil, 0, errNoHistory
	}
	res, err := hp.HistoryOrders(ctx, kaigedian.HistoryRequest{StoreID: storeID, Day: day, PageNum: page, PageSize: pageSize})
	if err != nil {
		return nil, 0, err
	}
	orders := make([]order.Order, len(res.Items))
	for i, it := range res.Items {
		orders[i] = it.Order
		orders[i].Source = order.SourceKaigedian
	}
	return orders, res.Total, nil
}

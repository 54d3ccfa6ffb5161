package bridge

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// 围餐 (table dining, issue 19): a table's open order grows as the guests
// add dishes online; each addition prints on the kitchens as 加菜.

// additionWindow: the same lines again within this are the platform
// repeating its push, not a second round.
const additionWindow = 2 * time.Minute

// addedText is the added lines for a history line: 扬州炒饭×2、可乐×1.
func addedText(items []order.Item) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		name := it.Name
		if name == "" {
			name = "商品 " + firstNonEmpty(it.ThirdProductID, it.ProductID)
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, it.Quantity))
	}
	return strings.Join(parts, "、")
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// nameAdded gives added lines without a name (the table's push shape
// carries ids only) the name and unit price of the same product on the
// order.
func nameAdded(detail *order.Order, items []order.Item) {
	if detail == nil {
		return
	}
	for i := range items {
		it := &items[i]
		for _, known := range detail.Items {
			same := (it.ProductID != "" && known.ProductID == it.ProductID) || (it.ThirdProductID != "" && known.ThirdProductID == it.ThirdProductID)
			if !same {
				continue
			}
			if it.Name == "" {
				it.Name = known.Name
			}
			if it.Price == 0 {
				it.Price = known.Price
			}
			if it.Unit == "" {
				it.Unit = known.Unit
			}
			break
		}
	}
}

// tableAdded records an online addition, prints it on the kitchens as 加菜
// and fetches the order again (the platform's detail has the new lines).
func (b *Bridge) tableAdded(tx *store.Tx, a *after, rec *store.OrderRecord, out outcome) error {
	items := append([]order.Item(nil), out.change.Added...)
	nameAdded(rec.Detail, items)
	batch, added, err := tx.AddTableAddition(rec.Code, out.change.Batch, items, additionWindow)
	if err != nil || !added {
		return err
	}
	o := order.Order{Code: rec.Code, PickupNo: rec.PickupNo, StoreID: rec.StoreID, Type: rec.Type, Channel: rec.Channel}
	if rec.Detail != nil {
		o = *rec.Detail
	}
	o.Items, o.Note = items, ""
	if b.printers != nil && rec.Status != order.StatusNew {
		for _, j := range b.printers.AddedJobs(&o, batch) {
			if err := b.enqueue(tx, a, rec.Code, j); err != nil {
				return err
			}
		}
	}
	if !rec.NeedsDetail {
		rec.NeedsDetail, rec.DetailNextAt, rec.DetailAttempts = true, zeroTime, 0
		a.detail = true
	}
	where := pickupLabel(rec)
	if o.Table != "" {
		where = "桌号 " + o.Table
	}
	a.event(Event{Type: EvAlert, Kind: "table_added", Code: rec.Code, Level: LevelWarn, Message: where + " 加菜：" + addedText(items)})
	return nil
}

// TableOrder finds the 围餐 order a third-party detail request names: by
// its code, its thirdOrderCode, or the open order at a store's table. It
// returns the lines posbridge has for it.
func (b *Bridge) TableOrder(ctx context.Context, code, thirdCode, storeID, table string) ([]order.Item, int, bool, error) {
	if code != "" {
		rec, err := b.db.GetOrder(ctx, code)
		if errors.Is(err, store.ErrNotFound) {
			return nil, 0, false, nil
		}
		if err != nil || rec.Detail == nil {
			return nil, 0, false, err
		}
		return rec.Detail.Items, 0, true, nil
	}
	recs, _, err := b.db.ListOrders(ctx, store.OrderFilter{Statuses: []order.Status{order.StatusNew, order.StatusAccepted,
		order.StatusMade, order.StatusRefundRequested, order.StatusRefundProcessing}, Limit: 2000})
	if err != nil {
		return nil, 0, false, err
	}
	for _, r := range recs {
		d := r.Detail
		if d == nil {
			continue
		}
		if (thirdCode != "" && d.ThirdCode == thirdCode) ||
			(thirdCode == "" && table != "" && d.Table == table && (storeID == "" || d.StoreID == storeID) && d.Channel == tableDiningChannel) {
			return d.Items, 0, true, nil
		}
	}
	return nil, 0, false, nil
}

// tableDiningChannel is 开个店's orderClient of 围餐 orders.
const tableDiningChannel order.Channel = 19

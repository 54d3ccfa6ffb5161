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

// The 围餐 calls' neutral actions (the outbox kind of 开个店's channel).
const (
	ActTableItems  Action = "update_order_item"
	ActTableSettle Action = "pay_after_sync"
)

const (
	kindUpdateItems = string(ActTableItems)
	kindPayAfter    = string(ActTableSettle)
)

// TableCallBody is a 围餐 call's request and its outbox payload: the
// order's lines as staff set them, and for a settlement what was paid. Its
// JSON is storage (the outbox payload), not a view.
type TableCallBody struct {
	OrderCode string       `json:"order_code"`
	ThirdCode string       `json:"third_code,omitempty"`
	Items     []order.Item `json:"items"`
	// Settlement only.
	Original, Discount, ActualPay order.Fen
	PayChannel, PayChannelName    string    `json:",omitempty"`
	PaidAt                        time.Time `json:",omitzero"`
}

// enqueueTableCall writes a 围餐 call through the order's channel.
func (b *Bridge) enqueueTableCall(tx *store.Tx, rec *store.OrderRecord, act Action, body TableCallBody, actor string) (int64, error) {
	ch, err := b.channels.get(rec.Source)
	if err != nil {
		return 0, err
	}
	kind, payload, err := ch.Prepare(Request{Action: act, Code: rec.Code, Operator: operatorName(actor), TableDining: true,
		ThirdCode: body.ThirdCode, Table: &body})
	if err != nil {
		return 0, err
	}
	return tx.EnqueueOutbox(store.OutboxRow{Kind: kind, Op: string(act), OrderCode: rec.Code, Source: rec.Source, Payload: payload, Actor: actor})
}

// ErrNotTableOrder: the order is not an open 围餐 order.
var ErrNotTableOrder = &Error{Code: EConflict, Message: "只有进行中的围餐订单可以修改商品或结账"}

func (b *Bridge) openTableOrder(tx *store.Tx, code string) (*store.OrderRecord, error) {
	rec, err := tx.GetOrder(code)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownOrder
	}
	if err != nil {
		return nil, err
	}
	if rec.Channel != tableDiningChannel || rec.Detail == nil ||
		(rec.Status != order.StatusAccepted && rec.Status != order.StatusMade) {
		return nil, ErrNotTableOrder
	}
	return rec, nil
}

// checkTableItems bounds the lines staff set on a 围餐 order.
func checkTableItems(items []order.Item) error {
	if len(items) == 0 || len(items) > 200 {
		return &Error{Code: EInvalid, Message: "请填写商品（1 到 200 行）"}
	}
	for _, it := range items {
		if it.ProductID == "" && it.ThirdProductID == "" {
			return &Error{Code: EInvalid, Message: fmt.Sprintf("商品 %s 没有商品编号", it.Name)}
		}
		if it.Quantity < 1 || it.Quantity > 999 || it.Price < 0 || len([]rune(it.Name)) > 60 {
			return &Error{Code: EInvalid, Message: fmt.Sprintf("商品 %s 的数量（1 到 999）或价格不对", it.Name)}
		}
	}
	return nil
}

// addedLines are the lines of next beyond prev: new products, and the
// extra quantity of ones already there (what the kitchen must make now).
func addedLines(prev, next []order.Item) []order.Item {
	had := map[string]int{}
	key := func(it order.Item) string { return it.ProductID + "|" + it.ThirdProductID + "|" + it.Options() }
	for _, it := range prev {
		had[key(it)] += it.Quantity
	}
	var out []order.Item
	for _, it := range next {
		k := key(it)
		if more := it.Quantity - had[k]; more > 0 {
			add := it
			add.Quantity = more
			out = append(out, add)
			had[k] = it.Quantity
		} else {
			had[k] -= it.Quantity
		}
	}
	return out
}

// EditTableItems sets the lines of an open 围餐 order as staff changed them
// (items added or removed at the table): the platform gets
// updateOrderItem, the kitchens get 加菜 for what was added.
func (b *Bridge) EditTableItems(ctx context.Context, code string, items []order.Item, actor string) (int64, error) {
	if err := checkTableItems(items); err != nil {
		return 0, err
	}
	var id int64
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		rec, err := b.openTableOrder(tx, code)
		if err != nil {
			return err
		}
		added := addedLines(rec.Detail.Items, items)
		if id, err = b.enqueueTableCall(tx, rec, ActTableItems, TableCallBody{OrderCode: rec.Code, ThirdCode: rec.Detail.ThirdCode, Items: items}, actor); err != nil {
			return err
		}
		detail := *rec.Detail
		detail.Items = items
		rec.Detail = &detail
		if len(added) > 0 && b.printers != nil {
			o := detail
			o.Items, o.Note = added, ""
			for _, j := range b.printers.AddedJobs(&o, fmt.Sprintf("staff%d", tx.Now().UnixNano())) {
				if err := b.enqueue(tx, a, rec.Code, j); err != nil {
					return err
				}
			}
		}
		a.outbox = true
		out := outcome{from: rec.Status, to: rec.Status, note: "店员修改商品：" + addedText(items)}
		a.event(Event{Type: EvOrder, Code: rec.Code, Status: string(rec.Status), Message: out.note})
		return b.record(tx, a, rec, out, actor, "staff")
	})
	return id, err
}

// TableSettlement is how staff settle a 围餐 order at the counter.
type TableSettlement struct {
	PayChannel, PayChannelName string
	Discount                   order.Fen
	Actor                      string
}

// SettleTableOrder reports a 围餐 order paid at the counter with its final
// lines (payAfterSyncOrderInfo): what the customer paid is the lines' total
// less the discount.
func (b *Bridge) SettleTableOrder(ctx context.Context, code string, s TableSettlement) (int64, error) {
	if s.Discount < 0 || len([]rune(s.PayChannelName)) > 20 || len(s.PayChannel) > 30 {
		return 0, &Error{Code: EInvalid, Message: "请填写支付方式和不为负的优惠金额"}
	}
	var id int64
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		rec, err := b.openTableOrder(tx, code)
		if err != nil {
			return err
		}
		var total order.Fen
		for _, it := range rec.Detail.Items {
			total += it.Amount()
		}
		if s.Discount > total {
			return &Error{Code: EInvalid, Message: fmt.Sprintf("优惠金额 %s 超过了商品合计 %s", s.Discount, total)}
		}
		p := TableCallBody{OrderCode: rec.Code, ThirdCode: rec.Detail.ThirdCode, Items: rec.Detail.Items, Original: total,
			Discount: s.Discount, ActualPay: total - s.Discount, PayChannel: s.PayChannel, PayChannelName: s.PayChannelName, PaidAt: tx.Now()}
		if id, err = b.enqueueTableCall(tx, rec, ActTableSettle, p, s.Actor); err != nil {
			return err
		}
		a.outbox = true
		out := outcome{from: rec.Status, to: rec.Status, note: fmt.Sprintf("围餐结账：%s 实收 %s（%s）", total, total-s.Discount, s.PayChannelName)}
		a.event(Event{Type: EvOrder, Code: rec.Code, Status: string(rec.Status), Message: out.note})
		return b.record(tx, a, rec, out, s.Actor, "staff")
	})
	return id, err
}

package document

import (
	"strings"

	"github.com/posbridge/posbridge/order"
)

// Slips of the rest of the 开个店 store: the 备餐提醒 reminder, the 部分退款
// slip and 加菜 (items a 围餐 table added online) on the kitchen tickets.
const (
	KindReminder      Kind = "reminder"       // 备餐提醒
	KindPartialRefund Kind = "partial_refund" // 部分退款
)

// ReminderSlip (备餐提醒) is a short slip for the kitchens that made an
// order: the platform reminds the store to get it ready.
func ReminderSlip(o *order.Order, opt Options) Document {
	d := Document{Kind: KindReminder, OrderCode: o.Code, Copies: opt.Copies, Sandbox: opt.Sandbox}
	add := func(b ...Block) { d.Blocks = append(d.Blocks, b...) }
	add(Beep(3))
	add(Text("备餐提醒", Style{Width: 2, Height: 2, Bold: true, Invert: true, Align: AlignCenter}))
	addPickupHeader(&d, o, Layout{})
	add(Text("请尽快备餐", Style{Height: 2, Bold: true, Align: AlignCenter}))
	if o.Type.IsReserved() {
		if t := fmtDateTime(o.ExpectAt); t != "" {
			add(Text("预约 "+t, stTall))
		}
	}
	if t := fmtDateTime(opt.PrintedAt); t != "" {
		add(Text("提醒时间: "+t, Style{}))
	}
	add(Separator(""))
	for i := range o.Items {
		it := &o.Items[i]
		add(Row(itemName(it), qty(max(it.Quantity, 0)), Style{Bold: true}))
	}
	if o.Code != "" {
		add(Text("订单号: "+o.Code, Style{}))
	}
	add(Feed(1), Cut())
	return d
}

// PartialRefundBackOffice is what the 部分退款 slip says instead of an
// amount: no 开个店 document gives the refunded amount or items.
const PartialRefundBackOffice = "退款金额与退款商品请在开个店后台查看"

// PartialRefundSlip (部分退款) tells the printers that printed an order that
// part of it was refunded. amount and items are printed only when known;
// otherwise the slip says where to look, and never shows the order's whole
// amount as if it had been refunded.
func PartialRefundSlip(o *order.Order, amount order.Fen, items []order.Item, reason string, opt Options) Document {
	d := Document{Kind: KindPartialRefund, OrderCode: o.Code, Copies: opt.Copies, Sandbox: opt.Sandbox}
	add := func(b ...Block) { d.Blocks = append(d.Blocks, b...) }
	add(Beep(2))
	add(Text("部分退款", Style{Width: 2, Height: 2, Bold: true, Invert: true, Align: AlignCenter}))
	if name := storeName(o, opt); name != "" {
		add(Text(name, stCenter))
	}
	addPickupHeader(&d, o, Layout{})
	add(Separator(""))
	addOrderFacts(&d, o, slipFacts)
	if r := strings.TrimSpace(reason); r != "" {
		add(Text("退款原因: "+r, stTall))
	}
	if t := fmtDateTime(opt.PrintedAt); t != "" {
		add(Text("时间: "+t, Style{}))
	}
	add(Separator(""))
	if len(items) > 0 {
		add(Text("退款商品:", Style{Bold: true}))
		addItems(&d, items, false, Style{}, false, true)
	}
	if amount > 0 {
		add(Row("退款金额", amount.String(), stTall))
	}
	if amount <= 0 || len(items) == 0 {
		add(Text(PartialRefundBackOffice, Style{Bold: true}))
	}
	add(Feed(1), Cut())
	return d
}

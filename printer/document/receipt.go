package document

import (
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
)

var (
	stCenter     = Style{Align: AlignCenter}
	stCenterBold = Style{Align: AlignCenter, Bold: true}
	stBold       = Style{Bold: true}
	stTall       = Style{Height: 2, Bold: true}
	stBig        = Style{Width: 2, Height: 2, Bold: true}
	stBigCenter  = Style{Width: 2, Height: 2, Bold: true, Align: AlignCenter}
	stHugeCenter = Style{Width: 3, Height: 3, Bold: true, Align: AlignCenter}
	stNote       = Style{Height: 2, Bold: true, Invert: true}
)

// amountCols is the width of the amount column, so amounts line up.
const amountCols = 10

// Receipt is a receipt of an order: the customer's (顾客联), or with the
// layout of the store's copy (商家联) or the courier's (配送联).
func Receipt(o *order.Order, opt Options) Document {
	d := Document{Kind: KindReceipt, OrderCode: o.Code, Copies: opt.Copies, Sandbox: opt.Sandbox}
	add := func(b ...Block) { d.Blocks = append(d.Blocks, b...) }
	lay := opt.Layout
	show := lay.Shows

	if opt.Logo != nil && show("logo") {
		add(Image(opt.Logo, AlignCenter))
	}
	if name := storeName(o, opt); name != "" && show("store") {
		add(Text(name, Style{Height: 2, Bold: true, Align: AlignCenter}))
	}
	if lay.Header != "" {
		add(Text(lay.Header, stCenterBold))
	}
	if title := receiptTitle(o); title != "" && show("title") {
		add(Text(title, stCenter))
	}
	addPickupHeader(&d, o, lay)
	add(Separator(""))
	addOrderFacts(&d, o, lay)
	separate(&d)
	prices := opt.ShowPrices && show("prices")
	if show("items") {
		addItems(&d, o.Items, prices, Style{Height: lay.fontSize(opt), Width: 1}, true, show("options"))
	}
	if opt.ShowPrices && show("money") {
		separate(&d)
		addMoney(&d, o)
	}
	if show("note") {
		addNote(&d, o.Note)
	}
	addCustomer(&d, o, lay)
	if o.Code != "" && (show("qr") || show("barcode")) {
		separate(&d)
		if show("qr") {
			add(QR(o.Code))
		}
		if show("barcode") {
			add(Barcode(o.Code))
		}
	}
	if f := lay.footer(opt); f != "" {
		add(Text(f, stCenter))
	}
	add(Feed(1), Cut())
	return d
}

func receiptTitle(o *order.Order) string {
	parts := []string{}
	if t := typeLabel(o); t != "" {
		parts = append(parts, t)
	}
	if o.Channel != 0 {
		parts = append(parts, o.Channel.Label())
	}
	if o.Source != "" && o.Source != order.SourceKaigedian {
		parts = append(parts, o.Source.Label())
	}
	return strings.Join(parts, " · ")
}

// addPickupHeader prints the pickup number large (it is what staff call out)
// and the table number under it.
func addPickupHeader(d *Document, o *order.Order, lay Layout) {
	if p := strings.TrimSpace(o.PickupNo); p != "" && lay.Shows("pickup") {
		d.Blocks = append(d.Blocks, Text("取餐号", stCenter), Text(p, stHugeCenter))
	}
	if t := tableLabel(o); t != "" && lay.Shows("table") {
		d.Blocks = append(d.Blocks, Text(t, stBigCenter))
	}
}

// tableLabel is "桌号 A1 · 4人": the table, and the guests when known.
func tableLabel(o *order.Order) string {
	t := strings.TrimSpace(o.Table)
	if t == "" {
		return ""
	}
	t = "桌号 " + t
	if o.People > 0 {
		t += " · " + strconv.Itoa(o.People) + "人"
	}
	return t
}

// addOrderFacts prints the order code, times and, for reserved orders, the
// booked time in large type.
func addOrderFacts(d *Document, o *order.Order, lay Layout) {
	add := func(b ...Block) { d.Blocks = append(d.Blocks, b...) }
	if lay.Shows("code") {
		if o.Code != "" {
			add(Text("订单号: "+o.Code, Style{}))
		}
		if o.ThirdCode != "" && o.ThirdCode != o.Code {
			add(Text("流水号: "+o.ThirdCode, Style{}))
		}
	}
	if !lay.Shows("times") {
		// the booked time of a reserved order still prints: it says when to make it
		if t := fmtDateTime(o.ExpectAt); t != "" && o.Type.IsReserved() {
			add(Text("预约时间: "+t, stTall))
		}
	} else if t := fmtDateTime(o.CreatedAt); t != "" {
		add(Text("下单时间: "+t, Style{}))
	}
	if t := fmtDateTime(o.ExpectAt); t != "" && lay.Shows("times") {
		if o.Type.IsReserved() {
			add(Text("预约时间: "+t, stTall))
		} else {
			add(Text("期望时间: "+t, Style{}))
		}
	}
	for _, t := range []struct {
		label string
		at    time.Time
	}{{"取餐时间", o.PickupAt}, {"配送时间", o.DeliveryAt}, {"预计送达", o.EstimatedArrive}, {"送达时间", o.ArrivedAt}} {
		if s := fmtDateTime(t.at); s != "" {
			add(Text(t.label+": "+s, Style{}))
		}
	}
	if lay.Shows("payment") {
		if pc := payChannel(o); pc != "" {
			add(Text("支付方式: "+pc, Style{}))
		}
		if o.PartlyRefunded {
			add(Text("支付状态: 部分退款", stTall))
		}
		if o.DriverFee != 0 {
			// driverFee is the merchant's tip to the rider, not part of what the customer paid.
			add(Text("商户小费: "+o.DriverFee.String(), Style{}))
		}
		if o.NeedInvoice {
			add(Text("顾客需要发票", stTall))
		}
	}
}

func payChannel(o *order.Order) string {
	if s := strings.TrimSpace(o.PayChannelName); s != "" {
		return s
	}
	return strings.TrimSpace(o.PayChannel)
}

// addItems prints the items: name with quantity (and amount), then options,
// set-meal parts and add-ons indented under it.
func addItems(d *Document, items []order.Item, prices bool, st Style, header, options bool) {
	add := func(b ...Block) { d.Blocks = append(d.Blocks, b...) }
	if header {
		right := "数量"
		if prices {
			right = "数量" + padLeft("金额", amountCols)
		}
		add(Row("商品", right, Style{}))
	}
	if len(items) == 0 {
		add(Text("(无商品明细)", Style{}))
		return
	}
	for i := range items {
		it := &items[i]
		right := qty(max(it.Quantity, 0))
		if prices {
			right += padLeft(it.Amount().String(), amountCols)
		}
		add(Row(itemName(it), right, st))
		sub := st
		sub.Bold = false
		if opts := itemOptions(it); opts != "" && options {
			add(Text("  "+opts, sub))
		}
		for j := range it.Children {
			c := &it.Children[j]
			line := "  - " + itemName(c)
			if o := itemOptions(c); o != "" && options {
				line += " (" + o + ")"
			}
			cr := qty(max(c.Quantity, 0))
			if prices && c.Price != 0 {
				cr += padLeft(c.Amount().String(), amountCols)
			}
			add(Row(line, cr, sub))
		}
	}
}

// addMoney prints the items' total, fees, discounts and the amount paid.
// The items' total is summed from the lines: originalAmount includes the fees
// (and the documents' own examples do not add up), so it would mislead here.
func addMoney(d *Document, o *order.Order) {
	add := func(b ...Block) { d.Blocks = append(d.Blocks, b...) }
	money := func(label string, f order.Fen) { add(Row(label, f.String(), Style{})) }
	var items order.Fen
	for i := range o.Items {
		items += o.Items[i].Amount()
	}
	switch {
	case items != 0:
		money("商品合计", items)
	case o.Original != 0:
		money("订单原价", o.Original)
	}
	if o.PackageFee != 0 {
		money("包装费", o.PackageFee)
	}
	if o.DeliverFee != 0 {
		money("配送费", o.DeliverFee)
	}
	if len(o.Discounts) > 0 {
		for _, dc := range o.Discounts {
			name := strings.TrimSpace(dc.ActivityName)
			if name == "" {
				name = "优惠"
			}
			money(name, -abs64(dc.Amount))
		}
	} else if o.Discount != 0 {
		money("优惠", -abs64(o.Discount))
	}
	add(Row("实付", o.ActualPay.String(), stTall))
}

func abs64(f order.Fen) order.Fen {
	if f < 0 {
		return -f
	}
	return f
}

// addNote sets the customer's note off in inverted large type: a missed
// "不要辣" costs a remade order.
func addNote(d *Document, note string) {
	note = strings.TrimSpace(note)
	if note == "" {
		return
	}
	separate(d)
	d.Blocks = append(d.Blocks, Text("备注: "+note, stNote), Separator(""))
}

// addCustomer prints the masked phone and, for delivery, the receiver and address.
func addCustomer(d *Document, o *order.Order, lay Layout) {
	add := func(b ...Block) { d.Blocks = append(d.Blocks, b...) }
	var contact *order.Contact
	for i := range o.Deliveries {
		if o.Deliveries[i].Kind == 0 || o.Deliveries[i].Kind == 1 {
			contact = &o.Deliveries[i]
			break
		}
	}
	phone := o.MaskedMobile()
	name := ""
	addr := strings.TrimSpace(o.Address)
	if contact != nil {
		if p := order.MaskPhone(contact.Mobile); p != "" {
			phone = p
		}
		name = strings.TrimSpace(contact.Name)
		if addr == "" {
			addr = strings.TrimSpace(contact.Address)
		}
	}
	if !lay.Shows("customer") {
		phone, name = "", ""
	}
	if !lay.Shows("address") {
		addr = ""
	}
	if phone == "" && name == "" && (addr == "" || !o.Type.IsDelivery()) {
		return
	}
	separate(d)
	if o.Type.IsDelivery() {
		if name != "" || phone != "" {
			add(Text("收货人: "+strings.TrimSpace(name+" "+phone), stBold))
		}
		if addr != "" {
			add(Text("地址: "+addr, stTall))
		}
		return
	}
	if phone != "" {
		add(Text("手机: "+phone, Style{}))
	}
}

// separate adds a rule unless the document already ends with one.
func separate(d *Document) {
	if n := len(d.Blocks); n > 0 && d.Blocks[n-1].Type == BlockSeparator {
		return
	}
	d.Blocks = append(d.Blocks, Separator(""))
}

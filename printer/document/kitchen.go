package document

import (
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/order"
)

// KitchenTickets are the kitchen tickets (厨打) for one station: the items its
// matcher takes, in large type and without prices; one ticket for the station
// or, with Options.SplitByItem, one per item line. nil when the station takes
// none of the order's items.
func KitchenTickets(o *order.Order, m Matcher, opt Options) []Document {
	items := m.Select(o.Items)
	if len(items) == 0 {
		return nil
	}
	if !opt.SplitByItem {
		return []Document{kitchenTicket(o, items, opt, 0, 0)}
	}
	docs := make([]Document, 0, len(items))
	for i := range items {
		docs = append(docs, kitchenTicket(o, items[i:i+1], opt, i+1, len(items)))
	}
	return docs
}

// kitchenTicket lays out one ticket; n/total number the per-item tickets.
func kitchenTicket(o *order.Order, items []order.Item, opt Options, n, total int) Document {
	d := Document{Kind: KindKitchen, OrderCode: o.Code, Copies: opt.Copies, Sandbox: opt.Sandbox}
	add := func(b ...Block) { d.Blocks = append(d.Blocks, b...) }
	lay := opt.Layout
	show := lay.Shows
	big := kitchenStyle(lay.fontSize(opt))

	add(Beep(2))
	title := "厨打"
	if opt.Added {
		title = "加菜"
	}
	if s := strings.TrimSpace(opt.Station); s != "" {
		title += " · " + s
	}
	if total > 0 {
		title += " (" + strconv.Itoa(n) + "/" + strconv.Itoa(total) + ")"
	}
	if show("title") {
		if opt.Added {
			add(Text(title, Style{Width: 2, Height: 2, Bold: true, Invert: true, Align: AlignCenter}))
		} else {
			add(Text(title, stCenterBold))
		}
	}
	if lay.Header != "" {
		add(Text(lay.Header, stCenterBold))
	}
	head := typeLabel(o)
	if show("pickup") {
		head += " " + pickupLabel(o)
	}
	if head = strings.TrimSpace(head); head != "" {
		add(Text(head, stBigCenter))
	}
	if t := tableLabel(o); t != "" && show("table") {
		add(Text(t, stBigCenter))
	}
	if o.Type.IsReserved() {
		if t := fmtDateTime(o.ExpectAt); t != "" {
			add(Text("预约 "+t, stTall))
		}
	}
	if t := fmtClock(o.CreatedAt); t != "" && show("times") {
		add(Text("下单 "+t, Style{}))
	}
	add(Separator("="))
	for i := range items {
		it := &items[i]
		add(Hanging(itemName(it), qty(max(it.Quantity, 0)), 2, big))
		sub := big
		sub.Bold = false
		if opts := itemOptions(it); opts != "" && show("options") {
			add(Hanging("  "+opts, "", 4, sub))
		}
		for j := range it.Children {
			c := &it.Children[j]
			line := "  - " + itemName(c)
			if o := itemOptions(c); o != "" && show("options") {
				line += " (" + o + ")"
			}
			add(Hanging(line, qty(max(c.Quantity, 0)), 4, sub))
		}
		if i < len(items)-1 {
			add(Separator(""))
		}
	}
	if note := strings.TrimSpace(o.Note); note != "" && show("note") {
		add(Separator("="), Text("备注: "+note, Style{Width: big.W(), Height: big.H(), Bold: true, Invert: true}))
	}
	add(Separator("="))
	if o.Code != "" && show("code") {
		add(Text("订单号: "+o.Code, Style{}))
	}
	if f := lay.Footer; f != "" {
		add(Text(f, stCenter))
	}
	add(Feed(1), Cut())
	return d
}

// kitchenStyle is the item style for a font size: 2 (the kitchen default) is
// double width and height.
func kitchenStyle(size int) Style {
	switch {
	case size <= 1:
		return Style{Height: 2, Bold: true}
	case size == 2:
		return Style{Width: 2, Height: 2, Bold: true}
	}
	return Style{Width: 3, Height: 3, Bold: true}
}

func pickupLabel(o *order.Order) string {
	if p := strings.TrimSpace(o.PickupNo); p != "" {
		return "取餐号 " + p
	}
	return ""
}

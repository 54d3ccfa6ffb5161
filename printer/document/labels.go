package document

import (
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/order"
)

// cup is one label to print: an item and the set meal it belongs to.
type cup struct {
	item   *order.Item
	parent string
}

// CupLabels are the cup labels (杯贴) of an order for a label printer: one label
// per cup, quantities expanded and numbered n/N, in one document (one job per
// order, so a reprint repeats the whole set with the 补打 mark on each label).
// nil when the printer's matcher takes none of the items.
func CupLabels(o *order.Order, m Matcher, opt Options) []Document {
	cups := selectCups(o.Items, m)
	if len(cups) == 0 {
		return nil
	}
	d := Document{Kind: KindLabel, Media: MediaLabel, OrderCode: o.Code, Copies: opt.Copies, Sandbox: opt.Sandbox}
	lay := opt.Layout
	show := lay.Shows
	head := strings.TrimSpace(o.PickupNo)
	if head == "" && o.Code != "" {
		head = "#" + o.Code[max(0, len(o.Code)-4):]
	}
	if !show("pickup") {
		head = ""
	}
	foot := typeLabel(o)
	if show("time") {
		foot += " " + fmtClock(o.CreatedAt)
	}
	foot = strings.TrimSpace(foot)
	total := strconv.Itoa(len(cups))
	for i, c := range cups {
		index := ""
		if show("index") {
			index = strconv.Itoa(i+1) + "/" + total
		}
		if lay.Header != "" {
			d.Blocks = append(d.Blocks, Text(lay.Header, Style{}))
		}
		if head != "" || index != "" {
			d.Blocks = append(d.Blocks, Row(head, index, Style{Bold: true}))
		}
		name := itemName(c.item)
		if c.parent != "" {
			name += " (" + c.parent + ")"
		}
		nameStyle := Style{Bold: true}
		if lay.FontSize > 1 {
			nameStyle.Width, nameStyle.Height = lay.FontSize, lay.FontSize
		}
		d.Blocks = append(d.Blocks, Text(name, nameStyle))
		if opts := itemOptions(c.item); opts != "" && show("options") {
			d.Blocks = append(d.Blocks, Text(strings.ReplaceAll(opts, " / ", " "), Style{}))
		}
		if parts := childNames(c.item); parts != "" && show("parts") {
			d.Blocks = append(d.Blocks, Text(parts, Style{}))
		}
		if foot != "" {
			d.Blocks = append(d.Blocks, Text(foot, Style{}))
		}
		if lay.Footer != "" {
			d.Blocks = append(d.Blocks, Text(lay.Footer, Style{}))
		}
		if o.Code != "" && show("qr") {
			d.Blocks = append(d.Blocks, QR(o.Code))
		}
		d.Blocks = append(d.Blocks, Cut())
	}
	return []Document{d}
}

// selectCups expands quantities. With an empty matcher every top-level item
// is a cup (set-meal parts go on its label); otherwise items the matcher
// takes, or the matching parts of a set meal, each part times the set count.
func selectCups(items []order.Item, m Matcher) []cup {
	var cups []cup
	for i := range items {
		it := &items[i]
		if m.Empty() || m.Matches(it) {
			for n := 0; n < it.Quantity; n++ {
				cups = append(cups, cup{item: it})
			}
			continue
		}
		for j := range it.Children {
			c := &it.Children[j]
			if !m.Matches(c) {
				continue
			}
			for n := 0; n < c.Quantity*max(it.Quantity, 1); n++ {
				cups = append(cups, cup{item: c, parent: itemName(it)})
			}
		}
	}
	return cups
}

// childNames lists the parts of a set meal printed on its label.
func childNames(it *order.Item) string {
	var names []string
	for i := range it.Children {
		n := itemName(&it.Children[i])
		if it.Children[i].Quantity > 1 {
			n += qty(it.Children[i].Quantity)
		}
		names = append(names, n)
	}
	return strings.Join(names, "+")
}

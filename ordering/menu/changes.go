package menu

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

type changeFunc func(doc *yaml.Node, m *Menu) (string, error)

func (f changeFunc) apply(doc *yaml.Node, m *Menu) (string, error) { return f(doc, m) }

// productNode finds product id's mapping, refusing one shared by an anchor.
func productNode(doc *yaml.Node, id int64) (*yaml.Node, error) {
	_, seq, _ := lookup(root(doc), "products")
	p, ok := withID(seq, "id", id)
	if !ok {
		return nil, fmt.Errorf("商品 %d 不在菜单里", id)
	}
	if p.Anchor != "" {
		return nil, ErrShared
	}
	return p, nil
}

func specNode(doc *yaml.Node, productID int64, pu int) (*yaml.Node, error) {
	p, err := productNode(doc, productID)
	if err != nil {
		return nil, err
	}
	_, specs, shared := lookup(p, "specs")
	s, ok := withID(specs, "pu", int64(pu))
	switch {
	case !ok:
		return nil, fmt.Errorf("商品 %d 没有规格 pu %d", productID, pu)
	case shared || s.Anchor != "":
		return nil, ErrShared
	}
	return s, nil
}

// SetPrice changes the dine-in price of a product's spec. A spec without
// its own takeout_price keeps following the dine-in price.
func SetPrice(productID int64, pu int, price Fen) Change {
	return setSpecPrice(productID, pu, "price", "堂食价", price)
}

// SetTakeoutPrice changes the takeout price of a product's spec.
func SetTakeoutPrice(productID int64, pu int, price Fen) Change {
	return setSpecPrice(productID, pu, "takeout_price", "外卖价", price)
}

func setSpecPrice(productID int64, pu int, key, label string, price Fen) Change {
	return changeFunc(func(doc *yaml.Node, m *Menu) (string, error) {
		if err := checkPrice(price); err != nil {
			return "", err
		}
		s, err := specNode(doc, productID, pu)
		if err != nil {
			return "", err
		}
		p, _ := m.Product(productID)
		sp, _ := p.Spec(pu)
		old := sp.Price
		if key == "takeout_price" {
			old = sp.TakeoutPrice
		}
		setValue(s, key, amountNode(price))
		return fmt.Sprintf("商品「%s」%s %s：%s → %s", p.Name, sp.Unit, label, old, price), nil
	})
}

func checkPrice(price Fen) error {
	if price < 0 || price > 1_000_000_00 {
		return fmt.Errorf("价格 %s 不对：应在 0 到 1000000 元之间", price)
	}
	return nil
}

// SetSoldOut marks a product sold out (沽清) or back on sale.
func SetSoldOut(productID int64, soldOut bool) Change {
	return changeFunc(func(doc *yaml.Node, m *Menu) (string, error) {
		n, err := productNode(doc, productID)
		if err != nil {
			return "", err
		}
		p, _ := m.Product(productID)
		setSoldOut(n, soldOut)
		return fmt.Sprintf("商品「%s」%s", p.Name, soldOutWord(soldOut)), nil
	})
}

// setSoldOut writes sold_out: true, or sets an existing flag back to false
// (a product that never had the key keeps not having it).
func setSoldOut(n *yaml.Node, soldOut bool) {
	if _, v, _ := lookup(n, "sold_out"); v == nil && !soldOut {
		return
	}
	setValue(n, "sold_out", boolNode(soldOut))
}

func soldOutWord(soldOut bool) string {
	if soldOut {
		return "沽清"
	}
	return "恢复供应"
}

// condimentNodes are every mapping of condiment id, wherever it is listed
// (products and set-meal entries; a list shared by an anchor once).
func condimentNodes(doc *yaml.Node, id int64) []*yaml.Node {
	var out []*yaml.Node
	seen := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		n = deref(n)
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if n.Kind == yaml.MappingNode {
			for _, kv := range pairs(n) {
				if kv[0].Value == "condiments" {
					if c, ok := withID(deref(kv[1]), "id", id); ok && !seen[c] {
						seen[c] = true
						out = append(out, c)
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	_, products, _ := lookup(root(doc), "products")
	walk(products)
	return out
}

// SetCondimentPrice changes a condiment's price everywhere it is listed.
func SetCondimentPrice(condimentID int64, price Fen) Change {
	return changeFunc(func(doc *yaml.Node, m *Menu) (string, error) {
		if err := checkPrice(price); err != nil {
			return "", err
		}
		nodes := condimentNodes(doc, condimentID)
		if len(nodes) == 0 {
			return "", fmt.Errorf("调味品 %d 不在菜单里", condimentID)
		}
		name := ""
		for _, n := range nodes {
			_, v, _ := lookup(n, "item_name")
			if v != nil {
				name = v.Value
			}
			setValue(n, "price", amountNode(price))
		}
		return fmt.Sprintf("调味品「%s」价格改为 %s（%d 处）", name, price, len(nodes)), nil
	})
}

// SetCondimentSoldOut marks a condiment sold out or back, everywhere.
func SetCondimentSoldOut(condimentID int64, soldOut bool) Change {
	return changeFunc(func(doc *yaml.Node, m *Menu) (string, error) {
		nodes := condimentNodes(doc, condimentID)
		if len(nodes) == 0 {
			return "", fmt.Errorf("调味品 %d 不在菜单里", condimentID)
		}
		name := ""
		for _, n := range nodes {
			if _, v, _ := lookup(n, "item_name"); v != nil {
				name = v.Value
			}
			setSoldOut(n, soldOut)
		}
		return fmt.Sprintf("调味品「%s」%s", name, soldOutWord(soldOut)), nil
	})
}

func tablesNode(doc *yaml.Node) (*yaml.Node, error) {
	_, r, _ := lookup(root(doc), "restaurant")
	if r == nil {
		return nil, fmt.Errorf("菜单里没有 restaurant")
	}
	_, t, shared := lookup(r, "tables")
	if t == nil || t.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("菜单里没有 restaurant.tables")
	}
	if shared {
		return nil, ErrShared
	}
	return t, nil
}

// AddTable adds a table (qrcode_version 1 when not set), after the last real
// table so the virtual ones stay at the end.
func AddTable(t Table) Change {
	return changeFunc(func(doc *yaml.Node, m *Menu) (string, error) {
		if _, dup := m.Table(t.ID); dup {
			return "", fmt.Errorf("桌台 %d 已经有了", t.ID)
		}
		seq, err := tablesNode(doc)
		if err != nil {
			return "", err
		}
		if t.QRCodeVersion == 0 {
			t.QRCodeVersion = 1
		}
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		at := len(seq.Content)
		if at > 0 {
			n.Style = deref(seq.Content[at-1]).Style & yaml.FlowStyle
		}
		for i, e := range seq.Content {
			if _, v, _ := lookup(deref(e), "table_id"); v != nil {
				if id, ok := intValue(v); ok && id < 0 && at == len(seq.Content) {
					at = i
				}
			}
		}
		n.Content = append(n.Content, strNode("table_id"), intNode(t.ID), strNode("table_name"), strNode(t.Name))
		if t.SeatNum > 0 {
			n.Content = append(n.Content, strNode("seat_num"), intNode(int64(t.SeatNum)))
		}
		n.Content = append(n.Content, strNode("qrcode_version"), intNode(int64(t.QRCodeVersion)))
		seq.Content = append(seq.Content[:at], append([]*yaml.Node{n}, seq.Content[at:]...)...)
		return fmt.Sprintf("新增桌台 %d「%s」", t.ID, t.Name), nil
	})
}

// RaiseQRCodeVersion adds one to a table's qrcode_version: its printed
// stickers stop working and new ones must be printed.
func RaiseQRCodeVersion(tableID int64) Change {
	return changeFunc(func(doc *yaml.Node, m *Menu) (string, error) {
		t, ok := m.Table(tableID)
		if !ok {
			return "", fmt.Errorf("桌台 %d 不在菜单里", tableID)
		}
		seq, err := tablesNode(doc)
		if err != nil {
			return "", err
		}
		n, ok := withID(seq, "table_id", tableID)
		if !ok || n.Anchor != "" {
			return "", ErrShared
		}
		setValue(n, "qrcode_version", intNode(int64(t.QRCodeVersion+1)))
		return fmt.Sprintf("桌台「%s」二维码版本 %d → %d，旧贴纸作废", t.Name, t.QRCodeVersion, t.QRCodeVersion+1), nil
	})
}

package menu

import (
	"fmt"
	"sort"
)

// validate checks what spans the file: unique ids, references between
// products, categories and tables, and builds the menu's indexes.
func (d *decoder) validate(m *Menu) {
	r := &m.Restaurant
	m.categories = map[int64]int{}
	for i, c := range r.Categories {
		if _, dup := m.categories[c.ID]; dup {
			d.add(nil, fmt.Sprintf("restaurant.categories[%d].id", i), "分类 id %d 重复", c.ID)
		}
		m.categories[c.ID] = i
	}
	m.tables = map[int64]int{}
	names := map[string]int64{}
	for i, t := range r.Tables {
		p := fmt.Sprintf("restaurant.tables[%d]", i)
		if _, dup := m.tables[t.ID]; dup {
			d.add(nil, p+".table_id", "桌台 id %d 重复", t.ID)
		}
		m.tables[t.ID] = i
		if other, dup := names[t.Name]; dup && t.Name != "" {
			d.add(nil, p+".table_name", "桌台名称 %q 和桌台 %d 重复，店员和顾客会分不清", t.Name, other)
		}
		names[t.Name] = t.ID
	}
	paid := map[int]bool{}
	for i, pt := range r.PaidTypes {
		if paid[pt.Value] {
			d.add(nil, fmt.Sprintf("restaurant.paid_types[%d].value", i), "支付方式 %d 重复", pt.Value)
		}
		paid[pt.Value] = true
	}

	m.products = map[int64]int{}
	for i, p := range m.Products {
		if j, dup := m.products[p.ID]; dup {
			d.add(nil, fmt.Sprintf("products[%d].id", i), "商品 id %d 重复（products[%d] 也是这个 id）", p.ID, j)
			continue
		}
		m.products[p.ID] = i
	}
	for i, p := range m.Products {
		path := fmt.Sprintf("products[%d]", i)
		if _, ok := m.categories[p.Category]; !ok && p.Category != 0 {
			d.add(nil, path+".category", "分类 %d 不在 restaurant.categories 里", p.Category)
		}
		d.checkSet(&p, path)
	}
	for _, ref := range d.refs {
		p, ok := m.Product(ref.productID)
		switch {
		case ref.productID <= 0:
		case !ok:
			if ref.pu < 0 {
				d.add(ref.node, ref.path, "商品 %d 不在 products 里", ref.productID)
			}
		case ref.entry && p.IsSetMeal() && ref.pu < 0:
			d.add(ref.node, ref.path, "套餐里不能再放套餐（商品 %d「%s」是套餐）", p.ID, p.Name)
		case ref.pu >= 0:
			if _, ok := p.Spec(ref.pu); !ok {
				d.add(ref.node, ref.path, "商品 %d「%s」没有规格 pu %d（有：%s）", p.ID, p.Name, ref.pu, specList(p))
			}
		}
	}
	for _, c := range d.claims {
		p, ok := m.Product(c.productID)
		if !ok {
			continue
		}
		var want string
		switch c.key {
		case "item_id":
			if want = fmt.Sprint(p.ItemID); c.text == want {
				continue
			}
		case "item_name":
			if want = p.Name; c.text == want {
				continue
			}
		case "unit", "origin_price":
			s, ok := p.Spec(c.pu)
			if !ok {
				continue
			}
			if c.key == "unit" {
				if want = s.Unit; c.text == want {
					continue
				}
			} else if want = s.Price.Yuan(); c.price == s.Price {
				continue
			}
		}
		d.add(c.node, c.path, "和商品 %d 不一致：products 里是 %q（可以删掉这一项，posbridge 会从商品里取）", p.ID, want)
	}
	d.checkCondiments()
	if od := r.OrderDefault; od != nil {
		for i, dp := range od.Products {
			if p, ok := m.Product(dp.ProductID); ok && p.IsSetMeal() {
				d.add(nil, fmt.Sprintf("restaurant.order_default.products[%d].id", i), "开台消费只能是普通菜品，商品 %d 是套餐", p.ID)
			}
		}
	}
	if len(m.Products) == 0 && len(d.problems) == 0 {
		d.add(nil, "products", "没有商品：至少写一个商品")
	}
	sort.SliceStable(d.problems, func(i, j int) bool {
		a, b := d.problems[i], d.problems[j]
		if lineOf(a) != lineOf(b) {
			return lineOf(a) < lineOf(b)
		}
		return a.Column < b.Column
	})
}

// lineOf sorts problems without a line (found across the file) last.
func lineOf(p Problem) int {
	if p.Line == 0 {
		return 1 << 30
	}
	return p.Line
}

// checkSet checks a set meal's groups: an entry at most once in the set.
func (d *decoder) checkSet(p *Product, path string) {
	seen := map[int64]string{}
	for ci, c := range p.Courses {
		for ei, e := range c.Entries {
			ep := fmt.Sprintf("%s.courses[%d].entries[%d].id", path, ci, ei)
			if other, dup := seen[e.ProductID]; dup {
				d.add(nil, ep, "商品 %d 在这个套餐里出现了两次（也在 %s）", e.ProductID, other)
			}
			seen[e.ProductID] = ep
		}
	}
}

// checkCondiments: one condiment id means one condiment everywhere (its
// price may differ per product, its name may not).
func (d *decoder) checkCondiments() {
	first := map[int64]condimentSeen{}
	for _, s := range d.condimentSeen {
		f, ok := first[s.c.ID]
		if !ok {
			first[s.c.ID] = s
			continue
		}
		if f.c.Name != s.c.Name || f.c.ItemID != s.c.ItemID {
			d.add(s.node, s.path, "调味品 id %d 在第 %d 行叫「%s」（item_id %d），这里叫「%s」（item_id %d）：同一个 id 应是同一个调味品",
				s.c.ID, f.node.Line, f.c.Name, f.c.ItemID, s.c.Name, s.c.ItemID)
		}
	}
}

func specList(p *Product) string {
	s := ""
	for i, sp := range p.Specs {
		if i > 0 {
			s += "、"
		}
		s += fmt.Sprintf("%d %s", sp.PU, sp.Unit)
	}
	return s
}

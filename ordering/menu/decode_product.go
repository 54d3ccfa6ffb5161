package menu

import (
	"go.yaml.in/yaml/v3"
)

// entryClaim is what a set-meal entry repeats of its product (the seed's
// §5.2 shape carries item_id, item_name, unit and origin_price); it is
// checked against the product once every product is read.
type entryClaim struct {
	node      *yaml.Node
	path      string
	productID int64
	pu        int
	key       string // item_id, item_name, unit, origin_price
	text      string
	price     Fen
}

func (d *decoder) product(n *yaml.Node, path string) Product {
	p := Product{}
	hasItemID := false
	d.object(n, path, fieldSet{
		required:  []string{"id", "item_name", "specs", "category"},
		elsewhere: map[string]string{"tax_group": "tax_group 不使用，请删除（税率写在 tax）"},
		handlers: map[string]field{
			"id": func(v *yaml.Node, q string) { p.ID = d.integer(v, q, 1, maxID) },
			"item_id": func(v *yaml.Node, q string) {
				hasItemID = true
				p.ItemID = d.integer(v, q, 0, maxID)
			},
			"item_name": func(v *yaml.Node, q string) { p.Name = d.name(v, q, 40) },
			"item_type": func(v *yaml.Node, q string) {
				p.ItemType = int(d.integer(v, q, 0, 3))
				if p.ItemType != ItemNormal && p.ItemType != ItemSetMeal && v.Kind == yaml.ScalarNode {
					d.add(v, q, "应是 0（普通菜品）或 3（套餐）")
				}
			},
			"specs": func(v *yaml.Node, q string) {
				seen := map[int]bool{}
				d.list(v, q, func(_ int, e *yaml.Node, q string) {
					s := d.spec(e, q)
					if seen[s.PU] {
						d.add(e, q+".pu", "规格索引 pu %d 重复", s.PU)
					}
					seen[s.PU] = true
					p.Specs = append(p.Specs, s)
				})
			},
			"condiments": func(v *yaml.Node, q string) { p.Condiments = d.condiments(v, q) },
			"thumbnail":  func(v *yaml.Node, q string) { p.Thumbnail = d.str(v, q, 500) },
			"images": func(v *yaml.Node, q string) {
				d.list(v, q, func(_ int, e *yaml.Node, q string) {
					if e.Kind == yaml.ScalarNode {
						p.Images = append(p.Images, d.name(e, q, 500))
						return
					}
					var url string
					d.object(e, q, fieldSet{required: []string{"url"}, handlers: map[string]field{
						"url": func(v *yaml.Node, q string) { url = d.name(v, q, 500) },
					}})
					p.Images = append(p.Images, url)
				})
			},
			"description": func(v *yaml.Node, q string) { p.Description = d.str(v, q, 500) },
			"tax": func(v *yaml.Node, q string) {
				p.HasTax = true
				p.Tax = d.decimal(v, q, 100)
			},
			"box_fee":  func(v *yaml.Node, q string) { p.BoxFee = d.amount(v, q) },
			"category": func(v *yaml.Node, q string) { p.Category = d.integer(v, q, 1, maxID) },
			"courses": func(v *yaml.Node, q string) {
				d.list(v, q, func(_ int, e *yaml.Node, q string) { p.Courses = append(p.Courses, d.course(e, q)) })
			},
			"sold_out":      func(v *yaml.Node, q string) { p.SoldOut = d.boolean(v, q) },
			"customer_code": func(v *yaml.Node, q string) { p.CustomerCode = d.str(v, q, 64) },
			"eat_types":     func(v *yaml.Node, q string) { p.EatTypes = d.eatTypes(v, q) },
		},
	})
	if !hasItemID {
		p.ItemID = p.ID
	}
	if n.Kind != yaml.MappingNode {
		return p
	}
	switch {
	case len(p.Specs) == 0 && d.nodes[path+".specs"] != nil:
		d.add(nil, path+".specs", "至少要有 1 个规格（只有一种时也写一个，例如 {pu: 0, unit: 杯, price: 12}）")
	case p.IsSetMeal() && len(p.Specs) > 1:
		d.add(nil, path+".specs", "套餐只能有 1 个规格，现在有 %d 个", len(p.Specs))
	case p.IsSetMeal() && len(p.Condiments) > 0:
		d.add(nil, path+".condiments", "套餐本身不能有调味品：请把调味品写在套餐内商品（courses 的 entries）上")
	case p.IsSetMeal() && len(p.Courses) == 0:
		d.add(n, path, "套餐（item_type: 3）缺少 courses（套餐分组）")
	case !p.IsSetMeal() && len(p.Courses) > 0:
		d.add(nil, path+".courses", "只有套餐（item_type: 3）才有 courses")
	}
	return p
}

func (d *decoder) spec(n *yaml.Node, path string) Spec {
	var s Spec
	hasTakeout := false
	d.object(n, path, fieldSet{required: []string{"pu", "price"}, handlers: map[string]field{
		"pu":    func(v *yaml.Node, q string) { s.PU = int(d.integer(v, q, 0, 4)) },
		"unit":  func(v *yaml.Node, q string) { s.Unit = d.str(v, q, 20) },
		"price": func(v *yaml.Node, q string) { s.Price = d.amount(v, q) },
		"takeout_price": func(v *yaml.Node, q string) {
			hasTakeout = true
			s.TakeoutPrice = d.amount(v, q)
		},
	}})
	if !hasTakeout {
		s.TakeoutPrice = s.Price
	}
	return s
}

func (d *decoder) condiments(n *yaml.Node, path string) []Condiment {
	out := []Condiment{}
	seen := map[int64]bool{}
	d.list(n, path, func(_ int, e *yaml.Node, q string) {
		var c Condiment
		hasItemID := false
		d.object(e, q, fieldSet{required: []string{"id", "item_name"}, handlers: map[string]field{
			"id": func(v *yaml.Node, q string) { c.ID = d.integer(v, q, 1, maxID) },
			"item_id": func(v *yaml.Node, q string) {
				hasItemID = true
				c.ItemID = d.integer(v, q, 0, maxID)
			},
			"item_name": func(v *yaml.Node, q string) { c.Name = d.name(v, q, 20) },
			"price":     func(v *yaml.Node, q string) { c.Price = d.amount(v, q) },
			"sold_out":  func(v *yaml.Node, q string) { c.SoldOut = d.boolean(v, q) },
		}})
		if !hasItemID {
			c.ItemID = c.ID
		}
		if e.Kind == yaml.MappingNode {
			d.condimentSeen = append(d.condimentSeen, condimentSeen{node: e, path: q, c: c})
		}
		if seen[c.ID] && c.ID != 0 {
			d.add(e, q+".id", "调味品 id %d 在这里重复", c.ID)
		}
		seen[c.ID] = true
		out = append(out, c)
	})
	return out
}

func (d *decoder) course(n *yaml.Node, path string) Course {
	c := Course{}
	hasChoose := false
	d.object(n, path, fieldSet{required: []string{"id", "group_name", "is_must", "entries"}, handlers: map[string]field{
		"id":         func(v *yaml.Node, q string) { c.ID = d.integer(v, q, 1, maxID) },
		"group_name": func(v *yaml.Node, q string) { c.Name = d.name(v, q, 20) },
		"is_must":    func(v *yaml.Node, q string) { c.IsMust = d.flag(v, q) },
		"choose_num": func(v *yaml.Node, q string) {
			hasChoose = true
			c.ChooseNum = int(d.integer(v, q, 0, 99))
		},
		"entries": func(v *yaml.Node, q string) {
			d.list(v, q, func(_ int, e *yaml.Node, q string) { c.Entries = append(c.Entries, d.entry(e, q)) })
		},
	}})
	if n.Kind == yaml.MappingNode && !c.IsMust {
		switch {
		case !hasChoose || c.ChooseNum < 1:
			d.add(nil, path+".choose_num", "可选组（is_must: 0）要写 choose_num：顾客要选几样（至少 1）")
		case c.ChooseNum > len(c.Entries) && len(c.Entries) > 0:
			d.add(nil, path+".choose_num", "要选 %d 样，但这个组只有 %d 样商品", c.ChooseNum, len(c.Entries))
		}
	}
	if n.Kind == yaml.MappingNode && len(c.Entries) == 0 {
		d.add(nil, path+".entries", "套餐分组里没有商品")
	}
	return c
}

func (d *decoder) entry(n *yaml.Node, path string) Entry {
	e := Entry{Num: 1}
	start, refStart := len(d.claims), len(d.refs)
	claim := func(v *yaml.Node, q, key string, pu int) {
		c := entryClaim{node: v, path: q, pu: pu, key: key}
		if key == "origin_price" {
			c.price = d.amount(v, q)
		} else {
			c.text = d.str(v, q, 40)
		}
		d.claims = append(d.claims, c)
	}
	d.object(n, path, fieldSet{required: []string{"id", "specs"}, handlers: map[string]field{
		"id": func(v *yaml.Node, q string) {
			e.ProductID = d.integer(v, q, 1, maxID)
			d.refs = append(d.refs, productRef{node: v, path: q, productID: e.ProductID, pu: -1, entry: true})
		},
		"item_id":   func(v *yaml.Node, q string) { claim(v, q, "item_id", -1) },
		"item_name": func(v *yaml.Node, q string) { claim(v, q, "item_name", -1) },
		"num":       func(v *yaml.Node, q string) { e.Num = int(d.integer(v, q, 1, 99)) },
		"specs": func(v *yaml.Node, q string) {
			seen := map[int]bool{}
			d.list(v, q, func(_ int, sn *yaml.Node, q string) {
				var s EntrySpec
				var puNode *yaml.Node
				specStart := len(d.claims)
				d.object(sn, q, fieldSet{required: []string{"pu"}, handlers: map[string]field{
					"pu": func(v *yaml.Node, q string) {
						puNode = v
						s.PU = int(d.integer(v, q, 0, 4))
					},
					"price":        func(v *yaml.Node, q string) { s.Surcharge = d.amount(v, q) },
					"unit":         func(v *yaml.Node, q string) { claim(v, q, "unit", 0) },
					"origin_price": func(v *yaml.Node, q string) { claim(v, q, "origin_price", 0) },
				}})
				for i := specStart; i < len(d.claims); i++ {
					d.claims[i].pu = s.PU
				}
				if puNode != nil {
					d.refs = append(d.refs, productRef{node: puNode, path: q + ".pu", pu: s.PU, entry: true})
				}
				if seen[s.PU] {
					d.add(sn, q+".pu", "规格索引 pu %d 重复", s.PU)
				}
				seen[s.PU] = true
				e.Specs = append(e.Specs, s)
			})
		},
		"condiments": func(v *yaml.Node, q string) { e.Condiments = d.condiments(v, q) },
	}})
	for i := start; i < len(d.claims); i++ {
		d.claims[i].productID = e.ProductID
	}
	for i := refStart; i < len(d.refs); i++ {
		if d.refs[i].productID == 0 {
			d.refs[i].productID = e.ProductID
		}
	}
	return e
}

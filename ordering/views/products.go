package views

import (
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/money"
)

// Product is §5.2's reply (and each result of §5.1), plus description and
// sold_out (posbridge's additions: the page shows 已售罄).
type Product struct {
	ID          int64         `json:"id"`
	Specs       []Spec        `json:"specs"`
	Condiments  []Condiment   `json:"condiments"`
	Thumbnail   string        `json:"thumbnail"`
	Images      []Image       `json:"images"`
	Tax         money.Decimal `json:"tax"`
	Courses     []Course      `json:"courses,omitempty"` // set meals only
	ItemID      int64         `json:"item_id"`
	ItemName    string        `json:"item_name"`
	ItemType    int           `json:"item_type"`
	BoxFee      money.Number  `json:"box_fee"`
	Category    int64         `json:"category"`
	TaxGroup    *struct{}     `json:"tax_group"`
	Description string        `json:"description"`
	SoldOut     bool          `json:"sold_out"`
}

// Spec is a product spec.
type Spec struct {
	PU           int          `json:"pu"`
	Price        money.Number `json:"price"`
	TakeoutPrice money.Number `json:"takeout_price"`
	Unit         string       `json:"unit"`
}

// Condiment is an optional condiment.
type Condiment struct {
	ID       int64        `json:"id"`
	ItemID   int64        `json:"item_id"`
	ItemName string       `json:"item_name"`
	Price    money.Number `json:"price"`
	SoldOut  bool         `json:"sold_out"`
}

// Image is one picture.
type Image struct {
	URL string `json:"url"`
}

// Course is a set-meal group.
type Course struct {
	ID        int64   `json:"id"`
	GroupName string  `json:"group_name"`
	IsMust    int     `json:"is_must"`
	ChooseNum int     `json:"choose_num"`
	Entries   []Entry `json:"entries"`
}

// Entry is a product inside a group.
type Entry struct {
	ID         int64       `json:"id"`
	ItemID     int64       `json:"item_id"`
	ItemName   string      `json:"item_name"`
	Num        int         `json:"num"`
	Specs      []EntrySpec `json:"specs"`
	Condiments []Condiment `json:"condiments"`
	SoldOut    bool        `json:"sold_out"`
}

// EntrySpec is an entry's spec: price is the surcharge, origin_price the
// item's own price.
type EntrySpec struct {
	PU          int          `json:"pu"`
	Unit        string       `json:"unit"`
	Price       money.Number `json:"price"`
	OriginPrice money.Number `json:"origin_price"`
}

// ProductDetail renders §5.2. With a table, box_fee is what that table's
// eat types pay (dine-in pays none by default); without one, the menu's.
func ProductDetail(m *menu.Menu, id int64, tableID *int64) (*Product, error) {
	p, ok := m.Product(id)
	if !ok {
		return nil, ErrUnknownProduct
	}
	var eats []menu.EatType
	if tableID != nil {
		t, ok := m.Table(*tableID)
		if !ok {
			return nil, ErrUnknownTable
		}
		eats = t.EatTypes()
	}
	v := product(m, p, eats)
	return &v, nil
}

// Products renders §5.1's results for a table: the products its eat types
// may order (sold-out ones too, marked), of one category when given, in
// menu order. Paginate cuts the page.
func Products(m *menu.Menu, tableID int64, categoryID *int64) ([]Product, error) {
	t, ok := m.Table(tableID)
	if !ok {
		return nil, ErrUnknownTable
	}
	eats := t.EatTypes()
	out := []Product{}
	for i := range m.Products {
		p := &m.Products[i]
		if categoryID != nil && p.Category != *categoryID {
			continue
		}
		if !orderableAtAny(p, eats) {
			continue
		}
		out = append(out, product(m, p, eats))
	}
	return out, nil
}

func orderableAtAny(p *menu.Product, eats []menu.EatType) bool {
	for _, e := range eats {
		if p.OrderableAt(e) {
			return true
		}
	}
	return false
}

func product(m *menu.Menu, p *menu.Product, eats []menu.EatType) Product {
	v := Product{
		ID: p.ID, ItemID: p.ItemID, ItemName: p.Name, ItemType: p.ItemType, Thumbnail: p.Thumbnail,
		Tax: m.TaxRate(p), BoxFee: money.Number(p.BoxFee), Category: p.Category, Description: p.Description,
		SoldOut: m.SoldOut(p), Specs: []Spec{}, Condiments: condiments(p.Condiments), Images: []Image{},
	}
	if eats != nil && !paysBoxFee(m, eats) {
		v.BoxFee = 0
	}
	for _, s := range p.Specs {
		v.Specs = append(v.Specs, Spec{PU: s.PU, Price: money.Number(s.Price), TakeoutPrice: money.Number(s.TakeoutPrice), Unit: s.Unit})
	}
	for _, u := range p.Images {
		v.Images = append(v.Images, Image{u})
	}
	for _, c := range p.Courses {
		vc := Course{ID: c.ID, GroupName: c.Name, IsMust: flag(c.IsMust), ChooseNum: c.ChooseNum, Entries: []Entry{}}
		for _, e := range c.Entries {
			ep, _ := m.Product(e.ProductID)
			ve := Entry{ID: ep.ID, ItemID: ep.ItemID, ItemName: ep.Name, Num: e.Num, Specs: []EntrySpec{},
				Condiments: condiments(e.Condiments), SoldOut: ep.SoldOut}
			for _, s := range e.Specs {
				ps, _ := ep.Spec(s.PU)
				ve.Specs = append(ve.Specs, EntrySpec{PU: s.PU, Unit: ps.Unit, Price: money.Number(s.Surcharge), OriginPrice: money.Number(ps.Price)})
			}
			vc.Entries = append(vc.Entries, ve)
		}
		v.Courses = append(v.Courses, vc)
	}
	return v
}

func paysBoxFee(m *menu.Menu, eats []menu.EatType) bool {
	for _, e := range eats {
		if menu.Applies(m.Restaurant.BoxFeeEatTypes, e) {
			return true
		}
	}
	return false
}

func condiments(list []menu.Condiment) []Condiment {
	out := []Condiment{}
	for _, c := range list {
		out = append(out, Condiment{ID: c.ID, ItemID: c.ItemID, ItemName: c.Name, Price: money.Number(c.Price), SoldOut: c.SoldOut})
	}
	return out
}

package menu

import "github.com/posbridge/posbridge/ordering/money"

// Product is one entry of `products:`, seed §5.2.
type Product struct {
	ID          int64
	ItemID      int64
	Name        string // item_name
	ItemType    int    // ItemNormal or ItemSetMeal
	Specs       []Spec
	Condiments  []Condiment
	Thumbnail   string
	Images      []string
	Description string
	// Tax is the product's tax percentage; HasTax false = the restaurant's
	// tax_rate.
	Tax      money.Decimal
	HasTax   bool
	BoxFee   Fen // per unit
	Category int64
	Courses  []Course
	SoldOut  bool
	// CustomerCode links the product to a 开个店 item (its product code), so
	// kitchen routing and reports can treat both channels alike.
	CustomerCode string
	EatTypes     []EatType // nil: orderable at every eat type
}

// The item_type values of §5.2.
const (
	ItemNormal  = 0
	ItemSetMeal = 3
)

// Spec is one specification (规格): pu 0–4.
type Spec struct {
	PU           int
	Unit         string
	Price        Fen // dine-in
	TakeoutPrice Fen
}

// Condiment is an optional extra (调味品/加料), multi-select.
type Condiment struct {
	ID      int64
	ItemID  int64
	Name    string
	Price   Fen
	SoldOut bool
}

// Course is a group of a set meal: every entry of a must group, exactly
// ChooseNum entries of an optional one.
type Course struct {
	ID        int64
	Name      string // group_name
	IsMust    bool
	ChooseNum int
	Entries   []Entry
}

// Entry is a product inside a set meal group.
type Entry struct {
	ProductID  int64
	Num        int // quantity inside one set
	Specs      []EntrySpec
	Condiments []Condiment
}

// EntrySpec is a spec an entry may be chosen with and its surcharge (加价).
type EntrySpec struct {
	PU        int
	Surcharge Fen
}

// Spec returns the spec with index pu.
func (p *Product) Spec(pu int) (*Spec, bool) {
	for i := range p.Specs {
		if p.Specs[i].PU == pu {
			return &p.Specs[i], true
		}
	}
	return nil, false
}

// Condiment returns the product's condiment with id.
func (p *Product) Condiment(id int64) (*Condiment, bool) { return findCondiment(p.Condiments, id) }

// Condiment returns the entry's condiment with id.
func (e *Entry) Condiment(id int64) (*Condiment, bool) { return findCondiment(e.Condiments, id) }

func findCondiment(list []Condiment, id int64) (*Condiment, bool) {
	for i := range list {
		if list[i].ID == id {
			return &list[i], true
		}
	}
	return nil, false
}

// Spec returns the entry's spec with index pu.
func (e *Entry) Spec(pu int) (*EntrySpec, bool) {
	for i := range e.Specs {
		if e.Specs[i].PU == pu {
			return &e.Specs[i], true
		}
	}
	return nil, false
}

// IsSetMeal reports item_type 3.
func (p *Product) IsSetMeal() bool { return p.ItemType == ItemSetMeal }

// OrderableAt reports whether the product is offered at eat type e (sold
// out or not).
func (p *Product) OrderableAt(e EatType) bool { return Applies(p.EatTypes, e) }

// Product returns the product with id.
func (m *Menu) Product(id int64) (*Product, bool) {
	i, ok := m.products[id]
	if !ok {
		return nil, false
	}
	return &m.Products[i], true
}

// Table returns the table with id (virtual ones included).
func (m *Menu) Table(id int64) (*Table, bool) {
	i, ok := m.tables[id]
	if !ok {
		return nil, false
	}
	return &m.Restaurant.Tables[i], true
}

// Category returns the category with id.
func (m *Menu) Category(id int64) (*Category, bool) {
	i, ok := m.categories[id]
	if !ok {
		return nil, false
	}
	return &m.Restaurant.Categories[i], true
}

// UnitPrice is a spec's price for an eat type: takeout_price for delivery
// and pickup, and for wait-pickup when takeaway_use_takeout_price.
func (m *Menu) UnitPrice(s *Spec, e EatType) Fen {
	switch {
	case e == Delivery || e == Pickup:
		return s.TakeoutPrice
	case e == WaitPickup && m.Restaurant.Takeout.TakeawayUseTakeoutPrice:
		return s.TakeoutPrice
	}
	return s.Price
}

// TaxRate is the product's effective tax percentage.
func (m *Menu) TaxRate(p *Product) money.Decimal {
	if p.HasTax {
		return p.Tax
	}
	return m.Restaurant.TaxRate
}

// SoldOut reports a product that cannot be ordered now: marked sold out,
// or a set meal one of whose must entries is.
func (m *Menu) SoldOut(p *Product) bool {
	if p.SoldOut {
		return true
	}
	for _, c := range p.Courses {
		if !c.IsMust {
			continue
		}
		for _, e := range c.Entries {
			if q, ok := m.Product(e.ProductID); ok && q.SoldOut {
				return true
			}
		}
	}
	return false
}

package pricing

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/internal/seedjson"
	"github.com/posbridge/posbridge/ordering/menu"
)

// Tax: each line at its rate, the discount taken pro rata, fees when the
// menu says so, the included part when prices contain the tax, rounded once.
func TestTax(t *testing.T) {
	base := func() *menu.Menu {
		m := example(t)
		r := &m.Restaurant
		r.IsSupportTax, r.ProductIncludeTax, r.TaxRate = true, false, mustDecimal("6")
		r.Discounts = nil
		tea, _ := m.Product(104)
		tea.Tax, tea.HasTax = mustDecimal("13"), true
		return m
	}
	body := `{"table_id": -1, "eat_type": 2, "products": [{"product": 104, "pu": 0, "qty": 1}, {"product": 105, "pu": 0, "qty": 3}]}`
	for _, c := range []struct {
		name     string
		edit     func(m *menu.Menu)
		tax      Fen
		included bool
		total    Fen
	}{
		// 22.00 × 13 % + 18.00 × 6 % = 2.86 + 1.08; box fees 1.00 + 1.50 untaxed
		{"added", func(*menu.Menu) {}, 394, false, 2200 + 1800 + 250 + 394},
		{"not supported", func(m *menu.Menu) { m.Restaurant.IsSupportTax = false }, 0, false, 4250},
		// 2.50 box fee × 6 % = 0.15
		{"box fee taxed", func(m *menu.Menu) { m.Restaurant.TaxBoxFee = true }, 409, false, 4250 + 409},
		// 22 × 13/113 + 18 × 6/106 = 2.5310 + 1.0189 = 3.5499 → 3.55, not added
		{"included", func(m *menu.Menu) { m.Restaurant.ProductIncludeTax = true }, 355, true, 4250},
		// 10 % off 40.00 = 4.00, each line keeps 90 %: 3.546 → 3.55
		{"after a discount", func(m *menu.Menu) {
			m.Restaurant.Discounts = []menu.Discount{{Name: "九折", Percent: mustDecimal("10")}}
		}, 355, false, 4250 - 400 + 355},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := base()
			c.edit(m)
			q, err := CalcFee(m, decode[CalcFeeRequest](t, body), tuesdayNoon)
			if err != nil {
				t.Fatal(err)
			}
			if q.TaxFee != c.tax || q.TaxIncluded != c.included || q.TotalFee != c.total {
				t.Fatalf("tax %d included %v total %d", q.TaxFee, q.TaxIncluded, q.TotalFee)
			}
		})
	}
}

// Service fees only while enable_service, on the goods after discounts.
func TestServices(t *testing.T) {
	m := example(t)
	body := `{"table_id": 1, "eat_type": 0, "products": [{"product": 104, "pu": 0, "qty": 3}]}`
	q, _ := CalcFee(m, decode[CalcFeeRequest](t, body), tuesdayNoon)
	if q.ServiceFee != 0 {
		t.Fatal("service fee while enable_service is 0")
	}
	m.Restaurant.Takeout.EnableService = true
	q, err := CalcFee(m, decode[CalcFeeRequest](t, body), tuesdayNoon)
	if err != nil {
		t.Fatal(err)
	}
	// 66.00 − 5.00 = 61.00, 5 % = 3.05
	if q.ServiceFee != 305 || len(q.Services) != 1 || q.TotalFee != 6600-500+305 {
		t.Fatalf("service %d total %d", q.ServiceFee, q.TotalFee)
	}
	q, _ = CalcFee(m, decode[CalcFeeRequest](t, `{"table_id": -1, "eat_type": 2, "products": [{"product": 104, "pu": 0, "qty": 1}]}`), tuesdayNoon)
	if q.ServiceFee != 0 {
		t.Fatal("the dine-in service fee charged on pickup")
	}
}

// 开台消费: a dine-in order opening a table during a period carries it, per
// seat when is_by_seat; a table already open does not.
func TestOrderDefault(t *testing.T) {
	m := example(t)
	m.Restaurant.OrderDefault = &menu.OrderDefault{
		Periods:  []menu.Period{{Start: 0, End: 23*60 + 59}},
		Products: []menu.DefaultProduct{{ProductID: 105, Num: 1, IsBySeat: true}},
	}
	without := `{"table_id": 1, "eat_type": 0, "customer_count": 3, "products": [{"product": 104, "pu": 0, "qty": 1}]}`
	_, err := CalcFee(m, decode[CalcFeeRequest](t, without), tuesdayNoon)
	if ve := validation(t, err); !strings.Contains(ve.Error(), "开台消费：请点「葡式蛋挞」×3") {
		t.Fatal(ve)
	}
	with := strings.Replace(without, `{"product": 104, "pu": 0, "qty": 1}`, `{"product": 104, "pu": 0, "qty": 1}, {"product": 105, "pu": 0, "qty": 3}`, 1)
	if _, err := CalcFee(m, decode[CalcFeeRequest](t, with), tuesdayNoon); err != nil {
		t.Fatal(err)
	}
	noCount := strings.Replace(with, `"customer_count": 3`, `"customer_count": 0`, 1)
	if _, err := CalcFee(m, decode[CalcFeeRequest](t, noCount), tuesdayNoon); !validation(t, err).Has("customer_count") {
		t.Fatal(err)
	}
	opened := tuesdayNoon
	opened.TableOpened = true
	if _, err := CalcFee(m, decode[CalcFeeRequest](t, without), opened); err != nil {
		t.Fatalf("asked again at an open table: %v", err)
	}
	if _, err := CalcFee(m, decode[CalcFeeRequest](t, strings.Replace(without, `"table_id": 1, "eat_type": 0`, `"table_id": -2, "eat_type": 3`, 1)), tuesdayNoon); err != nil {
		t.Fatalf("asked of wait-pickup: %v", err)
	}
	m.Restaurant.OrderDefault.Periods = []menu.Period{{Start: 17 * 60, End: 2 * 60}}
	if _, err := CalcFee(m, decode[CalcFeeRequest](t, without), tuesdayNoon); err != nil {
		t.Fatalf("asked outside its period: %v", err)
	}
	late := tuesdayNoon
	late.Now = time.Date(2024, 6, 4, 18, 0, 0, 0, cst)
	if _, err := CalcFee(m, decode[CalcFeeRequest](t, without), late); err == nil {
		t.Fatal("not asked inside its period")
	}
}

// §6.4 and §6.8 answer from the body's amounts; the seed's own bodies name
// product 549 of another menu and are refused by name.
func TestTaxAndDiscountEndpoints(t *testing.T) {
	m := example(t)
	m.Restaurant.IsSupportTax, m.Restaurant.ProductIncludeTax = true, false
	for _, name := range []string{"6.4-request", "6.8-request"} {
		raw, err := seedjson.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = TaxFee(m, decode[TaxRequest](t, string(raw)))
		if ve := validation(t, err); !ve.Has("products[0].product") {
			t.Fatalf("%s: %v", name, ve)
		}
	}
	tax, err := TaxFee(m, decode[TaxRequest](t, `{"restaurant": 1, "products": [{"product": 104, "price": 22, "qty": 2, "total_price": 44}], "discount_fee": 4}`))
	if b, _ := json.Marshal(tax); err != nil || string(b) != `{"tax_fee":"2.40","is_tax_included":false}` { // (44 − 4) × 6 %
		t.Fatalf("%s %v", b, err)
	}
	d, err := DiscountFee(m, decode[DiscountRequest](t, `{"restaurant": 1, "products": [{"product": 104, "price": 22, "qty": 3}]}`))
	if b, _ := json.Marshal(d); err != nil || string(b) != `{"discount_fee":5.00}` {
		t.Fatalf("%s %v", b, err)
	}
	var seed DiscountFeeReply
	raw, _ := seedjson.Load("6.8-reply")
	if err := json.Unmarshal(raw, &seed); err != nil || seed.DiscountFee != 150 {
		t.Fatalf("the seed's reply shape: %v %d", err, seed.DiscountFee)
	}
}

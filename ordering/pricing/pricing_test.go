package pricing

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/hours"
	"github.com/posbridge/posbridge/ordering/internal/seedjson"
	"github.com/posbridge/posbridge/ordering/menu"
)

var cst = time.FixedZone("CST", 8*3600)

// tuesdayNoon is inside the example menu's hours.
var tuesdayNoon = Env{Schedule: hours.Schedule{Location: cst, DayStart: hours.DefaultDayStart}, Now: time.Date(2024, 6, 4, 12, 0, 0, 0, cst)}

func example(t *testing.T) *menu.Menu {
	t.Helper()
	m, err := menu.Parse(menu.Example())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func loadMenu(t *testing.T, name string) *menu.Menu {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "pricing", name))
	if err != nil {
		t.Fatal(err)
	}
	m, err := menu.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func decode[T any](t *testing.T, body string) *T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
	return &v
}

func validation(t *testing.T, err error) *ValidationError {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a ValidationError, got %v", err)
	}
	return ve
}

// Prices per eat type, spec, condiments and set-meal choices, in fen.
func TestCalcFee(t *testing.T) {
	m := example(t)
	for _, c := range []struct {
		name                      string
		body                      string
		totalPrice, boxFee, total Fen
		lineUnit                  Fen
		desc                      string
	}{
		{
			name:       "dine-in large milk tea with pearls: dine-in price, no box fee",
			body:       `{"restaurant": 1, "table_id": 1, "eat_type": 0, "products": [{"product": 101, "pu": 1, "qty": 2, "condiments": [{"product": 201}]}]}`,
			totalPrice: 3400, boxFee: 0, total: 3400, lineUnit: 1700, desc: "大杯 / 加珍珠",
		},
		{
			name:       "pickup: takeout price and the box fee",
			body:       `{"restaurant": 1, "table_id": -1, "eat_type": 2, "products": [{"product": 101, "pu": 1, "qty": 2, "condiments": [{"product": 201}, {"product": 203}]}]}`,
			totalPrice: 3600, boxFee: 200, total: 3800, lineUnit: 1800, desc: "大杯 / 加珍珠 / 少糖",
		},
		{
			name:       "wait-pickup uses the takeout price (takeaway_use_takeout_price)",
			body:       `{"restaurant": 1, "table_id": -2, "eat_type": 3, "products": [{"product": 101, "pu": 1, "qty": 1}]}`,
			totalPrice: 1600, boxFee: 100, total: 1700, lineUnit: 1600, desc: "大杯",
		},
		{
			name: "set meal: the must tarts, two drinks with surcharges and a condiment",
			body: `{"restaurant": 1, "table_id": 2, "eat_type": 0, "products": [{"product": 301, "pu": 0, "qty": 1, "children": [
				{"product": 105, "pu": 0, "qty": 2},
				{"product": 101, "pu": 1, "qty": 1, "condiments": [{"product": 201}]},
				{"product": 103, "pu": 0, "qty": 1}]}]}`,
			totalPrice: 3600 + 300 + 200 + 200, total: 4300, lineUnit: 4300, desc: "葡式蛋挞(个)×2 / 珍珠奶茶(大杯)+加珍珠 / 满杯百香果(中杯)",
		},
		{
			name:       "over 50 yuan: 满50减5",
			body:       `{"restaurant": 1, "table_id": 1, "eat_type": 0, "products": [{"product": 104, "pu": 0, "qty": 3}]}`,
			totalPrice: 6600, total: 6100, lineUnit: 2200, desc: "",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			q, err := CalcFee(m, decode[CalcFeeRequest](t, c.body), tuesdayNoon)
			if err != nil {
				t.Fatal(err)
			}
			if q.TotalPrice != c.totalPrice || q.TotalBoxFee != c.boxFee || q.TotalFee != c.total || q.Lines[0].UnitPrice != c.lineUnit || q.Lines[0].Desc != c.desc {
				t.Fatalf("total_price %d box %d total %d unit %d desc %q", q.TotalPrice, q.TotalBoxFee, q.TotalFee, q.Lines[0].UnitPrice, q.Lines[0].Desc)
			}
		})
	}
}

// Every wrong cart is a 400 naming its field, nested as DRF nests it.
func TestCartErrors(t *testing.T) {
	m := example(t)
	soldOut := example(t)
	soldOut.Products[4].SoldOut = true // 葡式蛋挞, a must entry of the set
	for _, c := range []struct {
		name string
		menu *menu.Menu
		env  Env
		body string
		path string
		msg  string
	}{
		{"unknown product", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 101, "pu": 0, "qty": 1}, {"product": 999, "pu": 0, "qty": 1}]}`, "products[1].product", "商品 999 不存在"},
		{"unknown spec", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 104, "pu": 1, "qty": 1}]}`, "products[0].pu", "「杨枝甘露」没有规格 1"},
		{"unknown condiment", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 103, "pu": 0, "qty": 1, "condiments": [{"product": 201}]}]}`, "products[0].condiments[0].product", "「满杯百香果」没有调味品 201"},
		{"condiment twice", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 101, "pu": 0, "qty": 1, "condiments": [{"product": 201}, {"product": 201}]}]}`, "products[0].condiments[1].product", "选了两次"},
		{"qty 0", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 101, "pu": 0, "qty": 0}]}`, "products[0].qty", "数量"},
		{"no lines", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": []}`, "products", "至少点一样"},
		{"unknown table", m, tuesdayNoon, `{"table_id": 77, "eat_type": 0, "products": [{"product": 101, "pu": 0, "qty": 1}]}`, "table_id", "桌台 77 不存在"},
		{"takeout at a dine-in table", m, tuesdayNoon, `{"table_id": 1, "eat_type": 2, "products": [{"product": 101, "pu": 0, "qty": 1}]}`, "eat_type", "桌台「A1」不能下外卖自取订单"},
		{"delivery disabled", m, tuesdayNoon, `{"table_id": -1, "eat_type": 1, "products": [{"product": 101, "pu": 0, "qty": 1}]}`, "non_field_errors", "暂不接受外卖配送订单"},
		{"closed at night", m, Env{Schedule: tuesdayNoon.Schedule, Now: time.Date(2024, 6, 4, 23, 0, 0, 0, cst)}, `{"table_id": 1, "eat_type": 0, "products": [{"product": 101, "pu": 0, "qty": 1}]}`, "non_field_errors", "不在营业时间"},
		{"sold out set", soldOut, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 301, "pu": 0, "qty": 1, "children": []}]}`, "non_field_errors", "「下午茶双人套餐」已售罄"},
		{"set missing the must group", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 301, "pu": 0, "qty": 1, "children": [{"product": 101, "pu": 0, "qty": 1}, {"product": 102, "pu": 0, "qty": 1}]}]}`, "products[0].children", "必选组「蛋挞两个」缺少「葡式蛋挞」"},
		{"set with one drink of two", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 301, "pu": 0, "qty": 1, "children": [{"product": 105, "pu": 0, "qty": 2}, {"product": 102, "pu": 0, "qty": 1}]}]}`, "products[0].children", "「饮品任选两杯」要选 2 样，现在选了 1 样"},
		{"set with three drinks", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 301, "pu": 0, "qty": 1, "children": [{"product": 105, "pu": 0, "qty": 2}, {"product": 101, "pu": 0, "qty": 1}, {"product": 102, "pu": 0, "qty": 1}, {"product": 103, "pu": 0, "qty": 1}]}]}`, "products[0].children", "现在选了 3 样"},
		{"set entry with a wrong qty", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 301, "pu": 0, "qty": 1, "children": [{"product": 105, "pu": 0, "qty": 1}, {"product": 101, "pu": 0, "qty": 1}, {"product": 102, "pu": 0, "qty": 1}]}]}`, "products[0].children[0].qty", "数量应为 2"},
		{"set entry not in the set", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 301, "pu": 0, "qty": 1, "children": [{"product": 104, "pu": 0, "qty": 1}]}]}`, "products[0].children[0].product", "不在套餐「下午茶双人套餐」里"},
		{"set entry spec not offered", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 301, "pu": 0, "qty": 1, "children": [{"product": 105, "pu": 0, "qty": 2}, {"product": 101, "pu": 0, "qty": 1}, {"product": 103, "pu": 1, "qty": 1}]}]}`, "products[0].children[2].pu", "没有规格 1"},
		{"set entry condiment not offered", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 301, "pu": 0, "qty": 1, "children": [{"product": 105, "pu": 0, "qty": 2}, {"product": 101, "pu": 0, "qty": 1, "condiments": [{"product": 202}]}, {"product": 103, "pu": 0, "qty": 1}]}]}`, "products[0].children[1].condiments[0].product", "没有调味品 202"},
		{"condiments on the set itself", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 301, "pu": 0, "qty": 1, "condiments": [{"product": 201}], "children": [{"product": 105, "pu": 0, "qty": 2}, {"product": 101, "pu": 0, "qty": 1}, {"product": 102, "pu": 0, "qty": 1}]}]}`, "products[0].condiments", "套餐本身不能加调味品"},
		{"children on a dish", m, tuesdayNoon, `{"table_id": 1, "eat_type": 0, "products": [{"product": 101, "pu": 0, "qty": 1, "children": [{"product": 105, "pu": 0, "qty": 2}]}]}`, "products[0].children", "只有套餐"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := CalcFee(c.menu, decode[CalcFeeRequest](t, c.body), c.env)
			ve := validation(t, err)
			for _, f := range ve.Fields() {
				if pathString(f.Path) == c.path && strings.Contains(f.Message, c.msg) {
					return
				}
			}
			t.Fatalf("want %s %q; got %v", c.path, c.msg, ve)
		})
	}
}

// The 400 body nests like DRF: one entry per list element, {} for the valid.
func TestValidationBody(t *testing.T) {
	_, err := CalcFee(example(t), decode[CalcFeeRequest](t, `{"table_id": 1, "eat_type": 0, "products": [
		{"product": 101, "pu": 0, "qty": 1},
		{"product": 301, "pu": 0, "qty": 1, "children": [{"product": 105, "pu": 0, "qty": 2}, {"product": 101, "pu": 0, "qty": 1, "condiments": [{"product": 201}, {"product": 9}]}, {"product": 102, "pu": 0, "qty": 1}]},
		{"product": 555, "pu": 0, "qty": 1}]}`), tuesdayNoon)
	body, _ := json.Marshal(validation(t, err).Body())
	want := `{"products":[{},{"children":[{},{"condiments":[{},{"product":["「珍珠奶茶」没有调味品 9"]}]},{}]},{"product":["商品 555 不存在"]}]}`
	if string(body) != want {
		t.Fatalf("%s\nwant %s", body, want)
	}
}

// Create recomputes everything and names what differs; the pricing method
// decides what a line's price is.
func TestPriceOrder(t *testing.T) {
	m := example(t)
	good := `{"restaurant": 1, "table_id": 1, "eat_type": 0, "paid_type": 1, "customer_count": 2, "ver": 1, "ignore_extra_price": true,
		"products": [{"product": 101, "item_id": 101, "price": 17, "unit": "大杯", "pu": 1, "qty": 2, "box_fee": 0, "total_price": 34, "condiments": [{"product": 201, "price": 2}]}],
		"total_price": 34, "total_box_fee": 0, "total_tax_fee": 0, "delivery_fee": 0, "discount_fee": 0, "service_fee": 0, "total_fee": 34, "total_fee_cny": -1,
		"discounts": [], "services": []}`
	q, err := PriceOrder(m, decode[OrderRequest](t, good), tuesdayNoon)
	if err != nil {
		t.Fatal(err)
	}
	if q.TotalFee != 3400 || q.Lines[0].Price != 1700 || q.Lines[0].CustomerCode != "NC001" {
		t.Fatalf("%+v", q)
	}
	method1 := strings.Replace(strings.Replace(good, `"ignore_extra_price": true`, `"ignore_extra_price": false`, 1), `"price": 17`, `"price": 15`, 1)
	if _, err := PriceOrder(m, decode[OrderRequest](t, method1), tuesdayNoon); err != nil {
		t.Fatalf("method 1 (spec price, extras apart): %v", err)
	}
	for _, c := range []struct {
		name, from, to, path string
	}{
		{"line price", `"price": 17`, `"price": 16`, "products[0].price"},
		{"method 1 price under method 2", `"price": 17`, `"price": 15`, "products[0].price"},
		{"line total", `"total_price": 34, "condiments"`, `"total_price": 33, "condiments"`, "products[0].total_price"},
		{"condiment price", `{"product": 201, "price": 2}`, `{"product": 201, "price": 0}`, "products[0].condiments[0].price"},
		{"box fee", `"box_fee": 0`, `"box_fee": 1`, "products[0].box_fee"},
		{"total price", `"total_price": 34, "total_box_fee"`, `"total_price": 35, "total_box_fee"`, "total_price"},
		{"total fee", `"total_fee": 34`, `"total_fee": 33.99`, "total_fee"},
		{"missing total fee", `"total_fee": 34,`, ``, "total_fee"},
		{"a discount that does not apply", `"discounts": []`, `"discounts": [{"name": "满50减5", "value": 5}]`, "discounts"},
		{"old sticker", `"ver": 1`, `"ver": 2`, "non_field_errors"},
		{"no sticker version at a real table", `"ver": 1,`, ``, "non_field_errors"},
		{"payment type not offered", `"paid_type": 1`, `"paid_type": 2`, "paid_type"},
		{"online payment without the CNY amount", `"paid_type": 1`, `"paid_type": 3`, "paid_type"},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := strings.Replace(good, c.from, c.to, 1)
			if body == good {
				t.Fatal("replacement did not apply")
			}
			_, err := PriceOrder(m, decode[OrderRequest](t, body), tuesdayNoon)
			if ve := validation(t, err); !ve.Has(c.path) {
				t.Fatalf("want %s; got %v", c.path, ve)
			}
		})
	}
}

// Delivery: the server's distance, its range and the minimum order.
func TestDelivery(t *testing.T) {
	m := loadMenu(t, "seed-14.1.yaml")
	body := func(total string) *OrderRequest {
		return decode[OrderRequest](t, `{"table_id": -1, "eat_type": 1, "paid_type": 1, "ignore_extra_price": true,
			"products": [{"product": 2, "pu": 0, "qty": 1, "price": 4.2, "total_price": 4.2}],
			"total_price": 4.2, "delivery_fee": 1, "total_tax_fee": 0.03, "discount_fee": 0.84, "discounts": [{"name": "8折", "value": 0.84}], "total_fee": `+total+`}`)
	}
	near, far := int64(2000), int64(5001)
	thursday := Env{Schedule: hours.Schedule{Location: cst}, Now: time.Date(2024, 6, 6, 12, 0, 0, 0, cst)}
	for _, c := range []struct {
		name     string
		distance *int64
		msg      string
	}{
		{"no address", nil, "需要收货地址"},
		{"out of range", &far, "超出配送范围"},
		{"below the minimum", &near, "还差 ￥0.80 起送（起送金额 ￥5.00）"},
	} {
		env := thursday
		env.Distance = c.distance
		_, err := PriceOrder(m, body("4.39"), env)
		if ve := validation(t, err); !strings.Contains(ve.Error(), c.msg) {
			t.Errorf("%s: %v", c.name, ve)
		}
	}
	// calc-fee informs instead: -1 for out of range, from the body's
	// distance when the server knows none.
	q, err := CalcFee(m, decode[CalcFeeRequest](t, `{"table_id": -1, "eat_type": 1, "distance": 8, "products": [{"product": 2, "pu": 0, "qty": 1}]}`), thursday)
	if err != nil {
		t.Fatal(err)
	}
	if r := q.CalcFeeReply(); r.DeliveryFee != -100 {
		t.Fatalf("delivery_fee %d", r.DeliveryFee)
	}
	r, err := DeliveryFeeReplyFor(m, decode[DeliveryFeeRequest](t, `{"distance": 2}`))
	if b, _ := json.Marshal(r); err != nil || string(b) != `{"delivery_fee":1.00}` {
		t.Fatalf("%s %v", b, err)
	}
	r, _ = DeliveryFeeReplyFor(m, decode[DeliveryFeeRequest](t, `{"distance": 5.5}`))
	if b, _ := json.Marshal(r); string(b) != `{"delivery_fee":-1.00}` {
		t.Fatalf("%s", b)
	}
}

// Seed §14.1 is the one example whose arithmetic holds: under a menu with a
// 20 % discount, a 0.75 % tax, 1.00 delivery and cny_exrate 0.1218, the
// server's quote is the example's order exactly.
func TestSeedExceptionOrderTotals(t *testing.T) {
	m := loadMenu(t, "seed-14.1.yaml")
	raw, err := seedjson.Load("14.1-exceptions")
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Results []struct {
			OrderRequest
			Products []struct {
				ItemID Int `json:"product_item_id"`
				Qty    Int `json:"qty"`
			} `json:"products"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatal(err)
	}
	o := page.Results[0]
	lines := []Line{}
	for _, p := range o.Products {
		for _, mp := range m.Products {
			if mp.ItemID == int64(p.ItemID) {
				lines = append(lines, Line{Product: Int(mp.ID), Qty: p.Qty})
			}
		}
	}
	meters := int64(1000)
	env := Env{Schedule: hours.Schedule{Location: cst}, Now: time.Date(2019, 9, 19, 16, 43, 16, 0, cst), Distance: &meters}
	q, err := CalcFee(m, &CalcFeeRequest{TableID: -1, EatType: 1, Products: lines}, env)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want Fen
	}{
		{"total_price", q.TotalPrice, Fen(*o.TotalPrice)},
		{"total_box_fee", q.TotalBoxFee, Fen(*o.TotalBoxFee)},
		{"total_tax_fee", q.TaxFee, Fen(*o.TotalTaxFee)},
		{"delivery_fee", q.DeliveryFee, Fen(*o.DeliveryFee)},
		{"discount_fee", q.DiscountFee, Fen(*o.DiscountFee)},
		{"total_fee", q.TotalFee, Fen(*o.TotalFee)},
		{"total_fee_cny", q.TotalFeeCNY, Fen(*o.TotalFeeCNY)},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, the seed shows %d", c.name, c.got, c.want)
		}
	}
}

// Seed §6.5's create example is not a valid order as written: it carries
// no sticker version (digest §17 #23), its table 5 is a dine-in table
// (eat_type 1 needs the takeout sticker, -1), and its total_fee 34 is not
// its lines' 28 with every fee 0 (digest §17 #17). Repaired, it prices to
// the cent.
func TestSeedCreateExample(t *testing.T) {
	m := loadMenu(t, "seed-6.5.yaml")
	raw, err := seedjson.Load("6.5-request")
	if err != nil {
		t.Fatal(err)
	}
	zero := int64(0)
	env := Env{Schedule: hours.Schedule{Location: cst}, Now: time.Date(2019, 4, 28, 12, 0, 0, 0, cst), Distance: &zero}
	_, err = PriceOrder(m, decode[OrderRequest](t, string(raw)), env)
	if ve := validation(t, err); !ve.Has("non_field_errors") || !strings.Contains(ve.Error(), "二维码版本") {
		t.Fatalf("no ver: %v", ve)
	}
	withVer := strings.Replace(string(raw), `"table_id": 5,`, `"table_id": 5, "ver": 1,`, 1)
	_, err = PriceOrder(m, decode[OrderRequest](t, withVer), env)
	if ve := validation(t, err); !ve.Has("eat_type") {
		t.Fatalf("table 5 with eat_type 1: %v", ve)
	}
	atTakeout := strings.Replace(string(raw), `"table_id": 5,`, `"table_id": -1,`, 1)
	_, err = PriceOrder(m, decode[OrderRequest](t, atTakeout), env)
	ve := validation(t, err)
	if len(ve.Fields()) != 1 || !ve.Has("total_fee") || !strings.Contains(ve.Error(), "28.00") {
		t.Fatalf("want only total_fee (28.00): %v", ve)
	}
	repaired := strings.Replace(atTakeout, `"total_fee": 34,`, `"total_fee": 28,`, 1)
	q, err := PriceOrder(m, decode[OrderRequest](t, repaired), env)
	if err != nil {
		t.Fatal(err)
	}
	if q.TotalFee != 2800 || q.Lines[1].Desc != "Iced Caffe Mocha(X) / Bottle of Water(C)+cream" {
		t.Fatalf("%d %q", q.TotalFee, q.Lines[1].Desc)
	}
}

// Seed §6.9's reply says discount_fee 1.5 while its discounts add up to
// 4.06 (digest §17 #18): posbridge's discount_fee is always their sum.
func TestSeedCalcFeeReplyIsInconsistent(t *testing.T) {
	raw, err := seedjson.Load("6.9-reply")
	if err != nil {
		t.Fatal(err)
	}
	var seed CalcFeeReply
	if err := json.Unmarshal(raw, &seed); err != nil {
		t.Fatal(err)
	}
	var sum Fen
	for _, d := range seed.Discounts {
		sum += Fen(d.Value)
	}
	if sum != 406 || Fen(seed.DiscountFee) != 150 {
		t.Fatalf("the seed example changed: Σ %d, discount_fee %d", sum, seed.DiscountFee)
	}
	m := example(t)
	m.Restaurant.Discounts = []menu.Discount{{Name: "XXX 1 元", Amount: 100}, {Name: "5% off", Percent: mustDecimal("5")}}
	q, err := CalcFee(m, decode[CalcFeeRequest](t, `{"table_id": 1, "eat_type": 0, "products": [{"product": 104, "pu": 0, "qty": 1}]}`), tuesdayNoon)
	if err != nil {
		t.Fatal(err)
	}
	reply := q.CalcFeeReply()
	sum = 0
	for _, d := range reply.Discounts {
		sum += Fen(d.Value)
	}
	if Fen(reply.DiscountFee) != sum || sum != 100+105 { // 5 % of 21.00 left = 1.05
		t.Fatalf("discount_fee %d, Σ %d", reply.DiscountFee, sum)
	}
	b, _ := json.Marshal(reply)
	want := `{"delivery_fee":0.00,"discount_fee":2.05,"service_fee":0.00,"tax_fee":"0.00","is_tax_included":true,"discounts":[{"name":"XXX 1 元","value":1.00},{"name":"5% off","value":1.05}],"services":[],"total_price":22.00,"total_box_fee":0.00,"total_fee":19.95,"total_fee_cny":19.95}`
	if string(b) != want {
		t.Fatalf("%s\nwant %s", b, want)
	}
}

package menu

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/ordering/internal/golden"
)

// small is a minimal valid menu that the problem tests break one way each.
const small = `restaurant:
  name: 小店
  categories:
    - {id: 1, name: 奶茶}
  takeout:
    eat_types_enable: [true, false, true, true]
  takeout_periods:
    open: [true, true, true, true, true, true, true]
    "1":
      - {start_time: "10:00", end_time: "22:00"}
  tables:
    - {table_id: 1, table_name: A1}
    - {table_id: -2}
products:
  - id: 1
    item_name: 奶茶
    category: 1
    specs:
      - {pu: 0, unit: 中杯, price: 12.50}
    condiments:
      - {id: 9, item_name: 加珍珠, price: 2}
  - id: 2
    item_name: 套餐
    item_type: 3
    category: 1
    specs:
      - {pu: 0, unit: 套, price: 20}
    courses:
      - id: 1
        group_name: 饮品
        is_must: 0
        choose_num: 1
        entries:
          - {id: 1, specs: [{pu: 0, price: 1}]}
`

func TestExampleLoads(t *testing.T) {
	m, err := Parse(Example())
	if err != nil {
		t.Fatal(err)
	}
	r := m.Restaurant
	if r.Name != "茶语时光" || len(r.Categories) != 4 || len(m.Products) != 6 || len(r.Tables) != 6 {
		t.Fatalf("example: %q, %d categories, %d products, %d tables", r.Name, len(r.Categories), len(m.Products), len(r.Tables))
	}
	tea, _ := m.Product(101)
	big, _ := tea.Spec(1)
	if big.Unit != "大杯" || big.Price != 1500 || big.TakeoutPrice != 1600 || tea.BoxFee != 100 || tea.CustomerCode != "NC001" {
		t.Fatalf("珍珠奶茶 大杯: %+v, box %d", big, tea.BoxFee)
	}
	if c, ok := tea.Condiment(202); !ok || c.Price != 150 {
		t.Fatalf("加椰果: %+v", c)
	}
	spring, _ := m.Product(102)
	if len(spring.Condiments) != 4 { // through the *toppings alias
		t.Fatalf("四季春茶 condiments: %+v", spring.Condiments)
	}
	set, _ := m.Product(301)
	if !set.IsSetMeal() || len(set.Courses) != 2 || !set.Courses[0].IsMust || set.Courses[1].ChooseNum != 2 {
		t.Fatalf("套餐: %+v", set.Courses)
	}
	if e := set.Courses[0].Entries[0]; e.ProductID != 105 || e.Num != 2 {
		t.Fatalf("must entry: %+v", e)
	}
	if s, _ := set.Courses[1].Entries[0].Spec(1); s.Surcharge != 300 {
		t.Fatalf("大杯 surcharge: %+v", s)
	}
	if r.DeliveryFee.MinAmount != 2000 || r.DeliveryFee.Tiers[0].WithinMeters != 1500 || r.DeliveryFee.Tiers[1].Fee != 400 {
		t.Fatalf("delivery fee: %+v", r.DeliveryFee)
	}
	if fri := r.Periods.Days[5]; len(fri) != 1 || fri[0].Start.String() != "10:00" || fri[0].End.String() != "01:00" {
		t.Fatalf("Friday: %+v", fri)
	}
	if tk, ok := m.Table(TableWaitPickup); !ok || tk.Name != "吧台等取" || !tk.Allows(WaitPickup) || tk.Allows(DineIn) {
		t.Fatalf("wait-pickup table: %+v", tk)
	}
	if r.TaxRate.String() != "6" || !r.ProductIncludeTax || r.IsSupportTax {
		t.Fatalf("tax: %+v", r)
	}
}

// Every broken line is named with its line, its key path and a sentence an
// installer can act on.
func TestProblems(t *testing.T) {
	for _, c := range []struct {
		name, from, to string
		line           int
		path, message  string
	}{
		{"bad price", "price: 12.50", "price: 12.505", 19, "products[0].specs[0].price", "最多两位小数"},
		{"price with comma", "price: 12.50", "price: 12,50", 19, "products[0].specs[0].50", "逗号"},
		{"negative price", "price: 12.50", "price: -1", 19, "products[0].specs[0].price", "不能是负数"},
		{"unknown key", "item_name: 奶茶", "item_nmae: 奶茶", 16, "products[0].item_nmae", `是不是 "item_name"`},
		{"missing name", "  - id: 1\n    item_name: 奶茶\n", "  - id: 1\n", 15, "products[0].item_name", "缺少 item_name"},
		{"unknown category", "    category: 1\n    specs:\n      - {pu: 0, unit: 中杯", "    category: 7\n    specs:\n      - {pu: 0, unit: 中杯", 17, "products[0].category", "分类 7 不在"},
		{"duplicate product", "  - id: 2\n", "  - id: 1\n", 22, "products[1].id", "商品 id 1 重复"},
		{"pu out of range", "{pu: 0, unit: 中杯", "{pu: 5, unit: 中杯", 19, "products[0].specs[0].pu", "超出范围"},
		{"entry spec missing", "{id: 1, specs: [{pu: 0, price: 1}]}", "{id: 1, specs: [{pu: 3, price: 1}]}", 34, "products[1].courses[0].entries[0].specs[0].pu", "没有规格 pu 3"},
		{"entry unknown product", "{id: 1, specs: [{pu: 0, price: 1}]}", "{id: 8, specs: [{pu: 0, price: 1}]}", 34, "products[1].courses[0].entries[0].id", "商品 8 不在 products 里"},
		{"choose too many", "choose_num: 1", "choose_num: 2", 32, "products[1].courses[0].choose_num", "只有 1 样"},
		{"set with condiments", "      - {pu: 0, unit: 套, price: 20}\n", "      - {pu: 0, unit: 套, price: 20}\n    condiments: [{id: 9, item_name: 加珍珠}]\n", 28, "products[1].condiments", "套餐本身不能有调味品"},
		{"bad clock", `end_time: "22:00"`, `end_time: "24:00"`, 10, "restaurant.takeout_periods.1[0].end_time", "24 小时制"},
		{"empty period", `end_time: "22:00"`, `end_time: "10:00"`, 10, `restaurant.takeout_periods.1[0]`, "这个时段是空的"},
		{"open has 6 days", "open: [true, true, true, true, true, true, true]", "open: [true, true, true, true, true, true]", 8, "restaurant.takeout_periods.open", "应有 7 项"},
		{"eat types 3", "[true, false, true, true]", "[true, false, true]", 6, "restaurant.takeout.eat_types_enable", "应有 4 项"},
		{"bad table id", "{table_id: -2}", "{table_id: -3}", 13, "restaurant.tables[1].table_id", "虚拟桌台只能是"},
		{"table without name", "{table_id: 1, table_name: A1}", "{table_id: 1}", 12, "restaurant.tables[0].table_name", "缺少 table_name"},
		{"duplicate table", "{table_id: -2}", "{table_id: 1, table_name: B}", 13, "restaurant.tables[1].table_id", "桌台 id 1 重复"},
		{"restaurant id", "  name: 小店\n", "  name: 小店\n  id: 3\n", 3, "restaurant.id", "ordering.restaurants[].id"},
		{"day start", "  name: 小店\n", "  name: 小店\n  start_time: \"04:00:00\"\n", 3, "restaurant.start_time", "stores[].day_start"},
		{"decimal places", "  name: 小店\n", "  name: 小店\n  decimal_places: 0\n", 3, "restaurant.decimal_places", "只支持 2"},
		{"duplicate key", "    item_name: 奶茶\n", "    item_name: 奶茶\n    item_name: 红茶\n", 17, "products[0].item_name", "重复写了两次"},
		{"syntax", "  name: 小店\n", "  name: 小店\n name: x\n", 2, "", "格式错误"},
		{"bool", "{table_id: 1, table_name: A1}", "{table_id: 1, table_name: A1, seat_num: many}", 12, "restaurant.tables[0].seat_num", "应是整数"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(small, c.from, c.to, 1)
			if src == small {
				t.Fatalf("the replacement %q did not apply", c.from)
			}
			ps := Check([]byte(src))
			for _, p := range ps {
				if p.Line == c.line && strings.HasPrefix(p.Path, strings.Trim(c.path, `"`)) && strings.Contains(p.Message, c.message) {
					if p.Path != "" && p.Column == 0 {
						t.Errorf("no column: %v", p)
					}
					return
				}
			}
			t.Fatalf("want line %d %s %q; got %v", c.line, c.path, c.message, ps)
		})
	}
	if ps := Check([]byte(small)); len(ps) != 0 {
		t.Fatalf("small menu: %v", ps)
	}
}

// A JSON menu is checked with its lines as well.
func TestJSONMenu(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "menu", "small.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := m.Product(1); p.Specs[0].Price != 1250 {
		t.Fatalf("price %d", p.Specs[0].Price)
	}
	bad := strings.Replace(string(data), `"price": 12.50`, `"price": "12.5.0"`, 1)
	ps := Check([]byte(bad))
	if len(ps) != 1 || ps[0].Line != 26 || ps[0].Path != "products[0].specs[0].price" {
		t.Fatalf("%v", ps)
	}
}

// The problems of a broken file, as `menu check` prints them.
func TestProblemsGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "menu", "broken.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range Check(data) {
		b.WriteString(p.String() + "\n")
	}
	golden.Check(t, filepath.Join("..", "testdata", "menu", "broken.problems.txt"), []byte(b.String()))
}

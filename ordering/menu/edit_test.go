package menu

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/ordering/internal/golden"
)

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o640); err != nil {
		t.Fatal(err)
	}
	return path
}

// diffLines lists the lines of a that b lacks and those of b that a lacks.
func diffLines(a, b string) (removed, added []string) {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	count := map[string]int{}
	for _, l := range bl {
		count[l]++
	}
	for _, l := range al {
		if count[l] > 0 {
			count[l]--
		} else {
			removed = append(removed, l)
		}
	}
	count = map[string]int{}
	for _, l := range al {
		count[l]++
	}
	for _, l := range bl {
		if count[l] > 0 {
			count[l]--
		} else {
			added = append(added, l)
		}
	}
	return removed, added
}

// Each console edit changes exactly the lines it must: comments, blank
// lines and the rest of the layout stay as the store wrote them.
func TestEditKeepsTheFile(t *testing.T) {
	for _, c := range []struct {
		name           string
		change         Change
		removed, added []string
		summary        string
		check          func(t *testing.T, m *Menu)
	}{
		{
			name:    "price",
			change:  SetPrice(101, 1, 1650),
			removed: []string{"      - {pu: 1, unit: 大杯, price: 15.00, takeout_price: 16.00}"},
			added:   []string{"      - {pu: 1, unit: 大杯, price: 16.50, takeout_price: 16.00}"},
			summary: "商品「珍珠奶茶」大杯 堂食价：￥15.00 → ￥16.50",
			check: func(t *testing.T, m *Menu) {
				p, _ := m.Product(101)
				if s, _ := p.Spec(1); s.Price != 1650 || s.TakeoutPrice != 1600 {
					t.Fatalf("%+v", s)
				}
			},
		},
		{
			name:    "takeout price added",
			change:  SetTakeoutPrice(102, 0, 1100),
			removed: []string{"      - {pu: 0, unit: 中杯, price: 10.00}"},
			added:   []string{"      - {pu: 0, unit: 中杯, price: 10.00, takeout_price: 11.00}"},
		},
		{
			name:    "sold out",
			change:  SetSoldOut(103, true),
			added:   []string{"    sold_out: true"},
			summary: "商品「满杯百香果」沽清",
			check: func(t *testing.T, m *Menu) {
				if p, _ := m.Product(103); !p.SoldOut {
					t.Fatal("not sold out")
				}
			},
		},
		{
			name:    "back on sale keeps the key",
			change:  SetSoldOut(104, false),
			summary: "商品「杨枝甘露」恢复供应",
		},
		{
			name:    "condiment price through the anchor and the set",
			change:  SetCondimentPrice(201, 250),
			removed: []string{"      - {id: 201, item_name: 加珍珠, price: 2.00}", "              - {id: 201, item_name: 加珍珠, price: 2.00}"},
			added:   []string{"      - {id: 201, item_name: 加珍珠, price: 2.50}", "              - {id: 201, item_name: 加珍珠, price: 2.50}"},
			summary: "调味品「加珍珠」价格改为 ￥2.50（2 处）",
			check: func(t *testing.T, m *Menu) {
				p, _ := m.Product(102) // through *toppings
				if c, _ := p.Condiment(201); c.Price != 250 {
					t.Fatalf("%+v", c)
				}
			},
		},
		{
			name:    "add a table before the virtual ones",
			change:  AddTable(Table{ID: 5, Name: "B2", SeatNum: 4}),
			added:   []string{"    - {table_id: 5, table_name: B2, seat_num: 4, qrcode_version: 1}"},
			summary: "新增桌台 5「B2」",
			check: func(t *testing.T, m *Menu) {
				if m.Restaurant.Tables[4].ID != 5 || m.Restaurant.Tables[5].ID != TableTakeout {
					t.Fatalf("%+v", m.Restaurant.Tables)
				}
			},
		},
		{
			name:   "a table named with digits stays a string",
			change: AddTable(Table{ID: 8, Name: "108"}),
			added:  []string{`    - {table_id: 8, table_name: "108", qrcode_version: 1}`},
		},
		{
			name:    "raise a QR version",
			change:  RaiseQRCodeVersion(2),
			removed: []string{"    - {table_id: 2, table_name: A2, seat_num: 4, qrcode_version: 1}"},
			added:   []string{"    - {table_id: 2, table_name: A2, seat_num: 4, qrcode_version: 2}"},
			summary: "桌台「A2」二维码版本 1 → 2，旧贴纸作废",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeTemp(t, "menu.yaml", Example())
			m, summaries, err := Edit(path, c.change)
			if err != nil {
				t.Fatal(err)
			}
			after, _ := os.ReadFile(path)
			removed, added := diffLines(string(Example()), string(after))
			if strings.Join(removed, "\n") != strings.Join(c.removed, "\n") || strings.Join(added, "\n") != strings.Join(c.added, "\n") {
				t.Fatalf("removed %q\nadded %q\nwant removed %q\nadded %q", removed, added, c.removed, c.added)
			}
			if c.summary != "" && (len(summaries) != 1 || summaries[0] != c.summary) {
				t.Fatalf("summary %q, want %q", summaries, c.summary)
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
				t.Fatalf("mode %v", fi.Mode())
			}
			if c.check != nil {
				c.check(t, m)
			}
		})
	}
}

// Two raises in one edit make two versions; the file is written once.
func TestEditSeveralChanges(t *testing.T) {
	path := writeTemp(t, "menu.yaml", Example())
	m, summaries, err := Edit(path, RaiseQRCodeVersion(1), RaiseQRCodeVersion(1), SetSoldOut(101, true))
	if err != nil {
		t.Fatal(err)
	}
	if tb, _ := m.Table(1); tb.QRCodeVersion != 3 || len(summaries) != 3 {
		t.Fatalf("version %d, %q", tb.QRCodeVersion, summaries)
	}
}

// An edit that would break the menu, or that names nothing, writes nothing.
func TestEditRefusals(t *testing.T) {
	shared := strings.Replace(string(Example()), "    specs:\n      - {pu: 0, unit: 中杯, price: 10.00}\n      - {pu: 1, unit: 大杯, price: 13.00}\n", "    specs: &cups\n      - {pu: 0, unit: 中杯, price: 10.00}\n      - {pu: 1, unit: 大杯, price: 13.00}\n", 1)
	shared = strings.Replace(shared, "      - {pu: 0, unit: 中杯, price: 14.00}\n      - {pu: 1, unit: 大杯, price: 17.00}\n", "", 1)
	shared = strings.Replace(shared, "    item_name: 满杯百香果\n    category: 2\n    specs:\n", "    item_name: 满杯百香果\n    category: 2\n    specs: *cups\n", 1)
	if _, err := Parse([]byte(shared)); err != nil {
		t.Fatalf("the shared-spec menu: %v", err)
	}
	for _, c := range []struct {
		name   string
		data   string
		change Change
		want   string
	}{
		{"unknown product", string(Example()), SetPrice(999, 0, 100), "商品 999 不在菜单里"},
		{"unknown spec", string(Example()), SetPrice(104, 1, 100), "没有规格 pu 1"},
		{"negative price", string(Example()), SetPrice(104, 0, -1), "价格"},
		{"duplicate table id", string(Example()), AddTable(Table{ID: 1, Name: "X"}), "桌台 1 已经有了"},
		{"duplicate table name", string(Example()), AddTable(Table{ID: 9, Name: "A1"}), "修改后的菜单有问题"},
		{"bad table id", string(Example()), AddTable(Table{ID: -7, Name: "X"}), "虚拟桌台只能是"},
		{"unknown table", string(Example()), RaiseQRCodeVersion(77), "桌台 77 不在菜单里"},
		{"unknown condiment", string(Example()), SetCondimentSoldOut(777, true), "调味品 777 不在菜单里"},
		{"shared spec list", shared, SetPrice(102, 0, 900), ErrShared.Error()},
		{"broken file", strings.Replace(string(Example()), "price: 22.00", "price: 22.001", 1), SetSoldOut(101, true), "先修正"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeTemp(t, "menu.yaml", []byte(c.data))
			_, _, err := Edit(path, c.change)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want %q", err, c.want)
			}
			if after, _ := os.ReadFile(path); string(after) != c.data {
				t.Fatal("the file changed")
			}
			if c.name == "shared spec list" && !errors.Is(err, ErrShared) {
				t.Fatalf("not ErrShared: %v", err)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Fatalf("left behind: %v", entries)
			}
		})
	}
}

// A JSON menu is written back as JSON, numbers as they were written.
func TestEditJSON(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "menu", "small.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "menu.json", data)
	if _, _, err := Edit(path, SetCondimentPrice(9, 300), AddTable(Table{ID: 2, Name: "A2"}), SetSoldOut(1, true)); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	golden.Check(t, filepath.Join("..", "testdata", "menu", "small.edited.json"), after)
	m, err := Parse(after)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := m.Product(1); !p.SoldOut || p.Condiments[0].Price != 300 || p.Specs[0].Price != 1250 {
		t.Fatalf("%+v", p)
	}
}

// Blank lines inside a block scalar are its content, not layout.
func TestEditKeepsBlockScalars(t *testing.T) {
	src := strings.Replace(string(Example()), "    description: 经典港式奶茶配手工黑糖珍珠\n", "    description: |\n      经典港式奶茶\n\n      配手工黑糖珍珠\n", 1)
	path := writeTemp(t, "menu.yaml", []byte(src))
	m, _, err := Edit(path, SetSoldOut(102, true))
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := m.Product(101); p.Description != "经典港式奶茶\n\n配手工黑糖珍珠" {
		t.Fatalf("%q", p.Description)
	}
	after, _ := os.ReadFile(path)
	if _, added := diffLines(src, string(after)); len(added) != 1 {
		t.Fatalf("added %q", added)
	}
}

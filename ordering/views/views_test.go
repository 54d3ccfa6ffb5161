package views

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/internal/golden"

	"github.com/posbridge/posbridge/ordering/hours"
	"github.com/posbridge/posbridge/ordering/internal/seedjson"
	"github.com/posbridge/posbridge/ordering/menu"
)

var cst = time.FixedZone("CST", 8*3600)

func loadMenu(t *testing.T, name string) *menu.Menu {
	t.Helper()
	var data []byte
	var err error
	if name == "" {
		data = menu.Example()
	} else if data, err = os.ReadFile(filepath.Join("..", "testdata", "views", name)); err != nil {
		t.Fatal(err)
	}
	m, err := menu.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func ptr[T any](v T) *T { return &v }

// normalize decodes JSON for comparing meaning: numbers as exact decimals
// (4.2 = 4.20), strings trimmed.
func normalize(t *testing.T, data []byte) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(string(data)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case json.Number:
			r, _ := new(big.Rat).SetString(x.String())
			return r.RatString()
		case string:
			return strings.TrimSpace(x)
		}
		return v
	}
	return walk(v)
}

// differences lists the paths where got and want differ.
func differences(path string, got, want any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{path}
		}
		var out []string
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			out = append(out, differences(path+"."+k, g[k], w[k])...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{path}
		}
		var out []string
		for i := range w {
			out = append(out, differences(fmt.Sprintf("%s[%d]", path, i), g[i], w[i])...)
		}
		return out
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return []string{path}
	}
	return nil
}

// Seed §2.1's own example, rendered from the same restaurant as a menu:
// equal but for tz_offset and tz_string, which the seed shows as 0 and "Z"
// for a Shenzhen restaurant (digest §17 #9: posbridge says 480 minutes and
// "+08:00").
func TestSeedRestaurantInfo(t *testing.T) {
	m := loadMenu(t, "seed-2.1.yaml")
	info, err := RestaurantInfo(m, InfoParams{
		RestaurantID: 1, TableID: ptr(int64(1)),
		Schedule: hours.Schedule{Location: cst, DayStart: hours.DefaultDayStart},
		Now:      time.Date(2019, 4, 18, 10, 0, 0, 0, cst),
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(info)
	want, err := seedjson.Load("2.1-restaurant")
	if err != nil {
		t.Fatal(err)
	}
	diff := differences("", normalize(t, got), normalize(t, want))
	if strings.Join(diff, " ") != ".tz_offset .tz_string" {
		t.Fatalf("differences from the seed: %v\n%s", diff, got)
	}
	if info.TZOffset != 480 || info.TZString != "+08:00" || info.Today != "2019-04-18" || info.Weekday != 4 {
		t.Fatalf("%d %s %s %d", info.TZOffset, info.TZString, info.Today, info.Weekday)
	}
}

// Seed §5.2's example, rendered from the menu of its set meal: equal but
// for the set's own condiments (void by §5 rule 2, refused by the menu) and
// posbridge's additions description and sold_out.
func TestSeedProductDetail(t *testing.T) {
	m := loadMenu(t, "seed-5.2.yaml")
	p, err := ProductDetail(m, 30, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(p)
	want, err := seedjson.Load("5.2-product")
	if err != nil {
		t.Fatal(err)
	}
	diff := differences("", normalize(t, got), normalize(t, want))
	var rest []string
	for _, d := range diff {
		if d == ".condiments" || d == ".description" || d == ".sold_out" || strings.HasSuffix(d, ".sold_out") {
			continue
		}
		rest = append(rest, d)
	}
	if len(rest) > 0 {
		t.Fatalf("differences from the seed: %v\n%s", rest, got)
	}
	if !contains(diff, ".condiments") {
		t.Fatal("the set's condiments came back")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The example menu's views, as the phone page gets them.
func TestGolden(t *testing.T) {
	m := loadMenu(t, "")
	sched := hours.Schedule{Location: cst, DayStart: hours.DefaultDayStart}
	// 02:30 on a Saturday: still Friday's business day.
	now := time.Date(2024, 6, 8, 2, 30, 0, 0, cst)
	for _, c := range []struct {
		name string
		view func() (any, error)
	}{
		{"info-table-1", func() (any, error) {
			return RestaurantInfo(m, InfoParams{RestaurantID: 1862, TableID: ptr(int64(1)), Schedule: sched, Now: now})
		}},
		{"products-table-1", func() (any, error) { return Products(m, 1, nil) }},
		{"products-takeout-category-1", func() (any, error) { return Products(m, menu.TableTakeout, ptr(int64(1))) }},
		{"product-301", func() (any, error) { return ProductDetail(m, 301, nil) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := c.view()
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(v, "", "  ")
			golden.Check(t, filepath.Join("..", "testdata", "views", c.name+".json"), append(got, '\n'))
		})
	}
}

// Only what the table's eat types may order; box fees as the table pays
// them; sold-out items listed and marked; payment types by table.
func TestViewsFollowTheTable(t *testing.T) {
	m := loadMenu(t, "")
	m.Products[2].EatTypes = []menu.EatType{menu.DineIn} // 满杯百香果 dine-in only
	m.Products[0].SoldOut = true
	m.Restaurant.PaidTypes = []menu.PaidType{{Value: 1, Label: "线下支付"}, {Value: 2, Label: "微信支付", EatTypes: []menu.EatType{menu.Delivery, menu.Pickup}}}
	ids := func(list []Product) (out []int64) {
		for _, p := range list {
			out = append(out, p.ID)
		}
		return out
	}
	dine, _ := Products(m, 1, nil)
	takeout, _ := Products(m, menu.TableTakeout, nil)
	if fmt.Sprint(ids(dine)) != "[101 102 103 104 105 301]" || fmt.Sprint(ids(takeout)) != "[101 102 104 105 301]" {
		t.Fatalf("dine-in %v, takeout %v", ids(dine), ids(takeout))
	}
	if dine[0].BoxFee != 0 || takeout[0].BoxFee != 100 || !dine[0].SoldOut {
		t.Fatalf("box fee %d / %d, sold out %v", dine[0].BoxFee, takeout[0].BoxFee, dine[0].SoldOut)
	}
	if set := dine[len(dine)-1]; set.SoldOut || !set.Courses[1].Entries[0].SoldOut {
		t.Fatal("a sold-out optional entry is marked, the set stays orderable")
	}
	sched := hours.Schedule{Location: cst}
	now := time.Date(2024, 6, 4, 12, 0, 0, 0, cst)
	for table, want := range map[int64]string{1: "[1]", menu.TableTakeout: "[1 2]"} {
		info, _ := RestaurantInfo(m, InfoParams{TableID: ptr(table), Schedule: sched, Now: now})
		var got []int
		for _, p := range info.PaidTypes {
			got = append(got, p.Value)
		}
		if fmt.Sprint(got) != want {
			t.Errorf("table %d: paid types %v, want %s", table, got, want)
		}
	}
	if _, err := RestaurantInfo(m, InfoParams{TableID: ptr(int64(99)), Schedule: sched, Now: now}); !errors.Is(err, ErrUnknownTable) {
		t.Fatal(err)
	}
	if _, err := Products(m, 99, nil); !errors.Is(err, ErrUnknownTable) {
		t.Fatal(err)
	}
	if _, err := ProductDetail(m, 999, nil); !errors.Is(err, ErrUnknownProduct) {
		t.Fatal(err)
	}
}

func TestPaginate(t *testing.T) {
	items := make([]int, 45)
	for i := range items {
		items[i] = i
	}
	q := url.Values{"res_id": {"1"}, "table_id": {"1"}}
	p, err := Paginate(items, "/api/v1/frontend/products/simple", q)
	if err != nil || p.Count != 45 || len(p.Results) != 20 || p.Previous != nil || *p.Next != "/api/v1/frontend/products/simple?page=2&res_id=1&table_id=1" {
		t.Fatalf("%+v %v", p, err)
	}
	q.Set("page", "3")
	p, _ = Paginate(items, "/x", q)
	if len(p.Results) != 5 || p.Next != nil || *p.Previous != "/x?page=2&res_id=1&table_id=1" {
		t.Fatalf("%+v", p)
	}
	q.Set("page", "4")
	if _, err := Paginate(items, "/x", q); !errors.Is(err, ErrInvalidPage) {
		t.Fatal(err)
	}
	q.Set("page", "last")
	q.Set("page_size", "5000")
	p, _ = Paginate(items, "/x", q)
	if len(p.Results) != 45 {
		t.Fatalf("page_size capped at 1000: %d", len(p.Results))
	}
	b, _ := json.Marshal(p)
	if !strings.HasPrefix(string(b), `{"count":45,"code":0,"next":null,"previous":null,"results":[0,`) {
		t.Fatalf("%s", b)
	}
	empty, err := Paginate([]int{}, "/x", url.Values{})
	if b, _ := json.Marshal(empty); err != nil || string(b) != `{"count":0,"code":0,"next":null,"previous":null,"results":[]}` {
		t.Fatalf("%s %v", b, err)
	}
}

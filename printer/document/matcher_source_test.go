package document

import (
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
)

// Two sources number their products independently: an id route names its
// source, and a scan-to-order item routes by its menu category.
func TestMatcherQualifiesIDsBySourceAndRoutesCategories(t *testing.T) {
	m := NewMatcher(config.MatchConfig{ProductIDs: []string{"12", "ordering:7"}, Categories: []string{"奶茶", "果*"}})
	kgd12 := order.Item{ProductID: "12", Name: "红烧牛肉面"}
	ord12 := order.Item{ProductID: "12", Name: "红烧牛肉面", Category: "主食"}
	ord7 := order.Item{ProductID: "7", Name: "小笼包"}
	milk := order.Item{ProductID: "30", Name: "杨枝甘露", Category: "奶茶"}
	fruit := order.Item{ProductID: "31", Name: "多肉葡萄", Category: "果茶"}
	cases := []struct {
		source string
		it     order.Item
		want   bool
	}{
		{"", kgd12, true},
		{"kaigedian", kgd12, true},
		{"ordering", ord12, false}, // 12 is 开个店's product, not the menu's
		{"ordering", ord7, true},
		{"kaigedian", ord7, false},
		{"ordering", milk, true},
		{"ordering", fruit, true},
		{"kaigedian", order.Item{ProductID: "99", Name: "杨枝甘露"}, false}, // 开个店 items carry no category
	}
	for _, c := range cases {
		if got := m.WithSource(c.source).Matches(&c.it); got != c.want {
			t.Errorf("source %q item %s/%s: %v, want %v", c.source, c.it.ProductID, c.it.Category, got, c.want)
		}
	}
}

func TestMatchConfigRefusesAnUnknownIDSource(t *testing.T) {
	c := config.Sandbox()
	c.Printers[2].Match.ProductIDs = []string{"meituan:5"}
	c.Printers[2].Match.Categories = []string{"[奶茶"}
	var sawID, sawCat bool
	for _, p := range c.Validate() {
		switch p.Key {
		case "printers[2].match.product_ids[0]":
			sawID = true
		case "printers[2].match.categories[0]":
			sawCat = true
		}
	}
	if !sawID || !sawCat {
		t.Fatalf("problems: %v", c.Validate())
	}
}

package document

import (
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
)

func TestMatcher(t *testing.T) {
	tea := order.Item{Name: "珍珠奶茶", ProductID: "p1", ThirdProductID: "T-1"}
	cake := order.Item{Name: "Cheese Cake", ProductID: "p2"}
	cases := []struct {
		m          config.MatchConfig
		tea, cake  bool
		descriptor string
	}{
		{config.MatchConfig{}, true, true, "empty takes everything"},
		{config.MatchConfig{ProductIDs: []string{"p1"}}, true, false, "productId"},
		{config.MatchConfig{ProductIDs: []string{"T-1"}}, true, false, "thirdProductId"},
		{config.MatchConfig{Names: []string{"奶茶"}}, true, false, "substring"},
		{config.MatchConfig{Names: []string{"*奶茶"}}, true, false, "glob suffix"},
		{config.MatchConfig{Names: []string{"奶茶*"}}, false, false, "glob must match the whole name"},
		{config.MatchConfig{Names: []string{"cheese*"}}, false, true, "ASCII case ignored"},
		{config.MatchConfig{Names: []string{"[bad"}}, false, false, "malformed glob never matches"},
		{config.MatchConfig{ProductIDs: []string{""}, Names: []string{" "}}, true, true, "blank entries are empty"},
	}
	for _, c := range cases {
		m := NewMatcher(c.m)
		if m.Matches(&tea) != c.tea || m.Matches(&cake) != c.cake {
			t.Errorf("%s: tea %v cake %v, want %v %v", c.descriptor, m.Matches(&tea), m.Matches(&cake), c.tea, c.cake)
		}
	}
	if ValidateMatch(config.MatchConfig{Names: []string{"[bad"}}) == nil {
		t.Error("a malformed pattern must fail validation")
	}
	if ValidateMatch(config.MatchConfig{Names: []string{"*茶", "奶"}}) != nil {
		t.Error("good patterns refused")
	}
}

func TestMatcherSelectsSetMealParts(t *testing.T) {
	o := sampleOrder()
	bar := NewMatcher(config.MatchConfig{ProductIDs: []string{"p3"}}) // 柠檬茶 inside the set
	got := bar.Select(o.Items)
	if len(got) != 1 || got[0].Name != "下午茶套餐" || len(got[0].Children) != 1 || got[0].Children[0].Name != "柠檬茶" {
		t.Fatalf("selected %+v", got)
	}
	if o.Items[2].Children[0].Name != "蛋挞" || len(o.Items[2].Children) != 2 {
		t.Fatal("Select changed the order")
	}
	if KitchenTickets(o, NewMatcher(config.MatchConfig{Names: []string{"汉堡"}}), Options{}) != nil {
		t.Fatal("a station with no items must get no ticket")
	}
}

func TestCupLabelsExpandQuantities(t *testing.T) {
	o := sampleOrder()
	docs := CupLabels(o, NewMatcher(config.MatchConfig{Names: []string{"*茶"}}), Options{})
	if len(docs) != 1 {
		t.Fatalf("%d documents", len(docs))
	}
	labels := docs[0].Labels()
	// 珍珠奶茶 ×2 and the 柠檬茶 of the set: three cups
	if len(labels) != 3 {
		t.Fatalf("%d labels, want 3", len(labels))
	}
	if labels[2][0].Right != "3/3" || labels[2][1].Text != "柠檬茶 (下午茶套餐)" {
		t.Fatalf("third label = %+v", labels[2])
	}
	if CupLabels(&order.Order{Code: "1"}, Matcher{}, Options{}) != nil {
		t.Fatal("an order without items has no labels")
	}
}

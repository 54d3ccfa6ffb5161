package config

import (
	"strings"
	"testing"
)

func TestMembersSectionDefaultsAndProblemsAtTheirLines(t *testing.T) {
	c := orderingConfig(t, nil)
	m := c.Ordering.MembersConfig()
	if len(m.Levels) != 1 || m.Levels[0].DiscountPercent != 100 || m.Points.PerYuan != 1 || m.Points.RedeemFenPerPoint != 1 {
		t.Fatalf("defaults %+v", m)
	}
	c = orderingConfig(t, map[string]string{"members": `
    levels:
      - { name: 普通会员, min_spent: 0, discount_percent: 100 }
      - { name: 金卡, min_spent: 100000, discount_percent: 190 }
    points: { per_yuan: 2, redeem_fen_per_point: 1 }
    top_ups:
      - { money_price: "100.00", price: "90.00", bonus_points: 10 }
      - { money_price: "1e2", price: "90", bonus_points: 0 }`})
	ps := c.Validate()
	level, ok := findProblem(ps, "ordering.members.levels[1].discount_percent", "1–100")
	if !ok || !strings.HasPrefix(level.Source, "line ") {
		t.Fatalf("discount problem %+v:%s", level, problemLines(ps))
	}
	top, ok := findProblem(ps, "ordering.members.top_ups[1]", "money_price")
	if !ok || !strings.HasPrefix(top.Source, "line ") {
		t.Fatalf("top-up problem %+v:%s", top, problemLines(ps))
	}
	m = c.Ordering.MembersConfig()
	if m.Points.PerYuan != 2 {
		t.Fatalf("points %+v", m.Points)
	}
	if e := m.PriceList(); len(e) != 1 || e[0].CreditFen != 10000 || e[0].PayFen != 9000 || e[0].BonusPoints != 10 {
		t.Fatalf("price list in fen %+v", e)
	}
}

func TestManagerPinRules(t *testing.T) {
	for _, tc := range []struct{ pin, staff, want string }{
		{"12", "", "too short"},
		{"246810", "246810", "staff PIN"},
		{"$2a$10$broken", "", "damaged"},
	} {
		c := orderingConfig(t, nil)
		c.Console.ManagerPin, c.Console.Pin = tc.pin, tc.staff
		if _, ok := findProblem(c.Validate(), "console.manager_pin", tc.want); !ok {
			t.Errorf("pin %q: want %q:%s", tc.pin, tc.want, problemLines(c.Validate()))
		}
	}
	c := orderingConfig(t, nil)
	c.Console.ManagerPin = "135791"
	if _, ok := findProblem(c.Validate(), "console.manager_pin", ""); ok {
		t.Errorf("a good manager PIN has problems:%s", problemLines(c.Validate()))
	}
}

package bridge

import (
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
)

func at(hhmm string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-22 "+hhmm, Shanghai)
	return t
}

func TestAcceptPolicy(t *testing.T) {
	healthy := func(string) (bool, string) { return true, "" }
	kitchenDown := func(name string) (bool, string) {
		if name == "kitchen" {
			return false, "缺纸"
		}
		return true, ""
	}
	no := false
	cases := []struct {
		name    string
		cfg     config.AcceptConfig
		order   order.Order
		now     time.Time
		health  printerHealth
		accept  bool
		timeout bool
		reason  string
	}{
		{"auto", config.AcceptConfig{Mode: "auto"}, order.Order{StoreID: "1"}, at("12:00"), healthy, true, false, ""},
		{"manual waits", config.AcceptConfig{Mode: "manual"}, order.Order{StoreID: "1"}, at("12:00"), healthy, false, false, "手动接单"},
		{"manual with timeout", config.AcceptConfig{Mode: "manual", ManualTimeout: time.Minute}, order.Order{StoreID: "1"}, at("12:00"), healthy, false, true, "手动接单"},
		{"printer down prompts", config.AcceptConfig{Mode: "auto"}, order.Order{StoreID: "1"}, at("12:00"), kitchenDown, false, false, "缺纸"},
		{"printer down ignored when configured", config.AcceptConfig{Mode: "auto", PromptWhenPrinterDown: &no}, order.Order{StoreID: "1"}, at("12:00"), kitchenDown, true, false, ""},
		{"rule: delivery manual", config.AcceptConfig{Mode: "auto", Rules: []config.AcceptRule{{Types: []string{"delivery"}, Mode: "manual"}}},
			order.Order{StoreID: "1", Type: order.TypeDelivery}, at("12:00"), healthy, false, false, "规则 1"},
		{"rule: channel", config.AcceptConfig{Mode: "manual", Rules: []config.AcceptRule{{Channels: []int{1}, Mode: "auto"}}},
			order.Order{StoreID: "1", Channel: 1}, at("12:00"), healthy, true, false, ""},
		{"rule: reserved", config.AcceptConfig{Mode: "auto", Rules: []config.AcceptRule{{Types: []string{"reserved"}, Mode: "manual"}}},
			order.Order{StoreID: "1", Type: order.TypePickupReserved}, at("12:00"), healthy, false, false, "规则 1"},
		{"rule: other store not matched", config.AcceptConfig{Mode: "auto", Rules: []config.AcceptRule{{Stores: []string{"2"}, Mode: "manual"}}},
			order.Order{StoreID: "1"}, at("12:00"), healthy, true, false, ""},
		{"rule: source ordering manual", config.AcceptConfig{Mode: "auto", Rules: []config.AcceptRule{{Sources: []string{"ordering"}, Mode: "manual"}}},
			order.Order{StoreID: "1", Source: order.SourceOrdering}, at("12:00"), healthy, false, false, "规则 1"},
		{"rule: source ordering leaves 开个店 alone", config.AcceptConfig{Mode: "auto", Rules: []config.AcceptRule{{Sources: []string{"ordering"}, Mode: "manual"}}},
			order.Order{StoreID: "1"}, at("12:00"), healthy, true, false, ""},
		{"outside hours", config.AcceptConfig{Mode: "auto", OutsideHours: "manual"}, order.Order{StoreID: "1"}, at("23:30"), healthy, false, false, "营业时间外"},
		{"inside hours", config.AcceptConfig{Mode: "auto", OutsideHours: "manual"}, order.Order{StoreID: "1"}, at("10:00"), healthy, true, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := &config.Config{Accept: c.cfg, Stores: []config.StoreConfig{{ID: "1", Hours: []string{"09:00-22:00"}}}}
			v := newAcceptPolicy(cfg).decide(&c.order, c.now, []string{"front", "kitchen"}, c.health)
			if v.accept != c.accept || !v.deadline.IsZero() != c.timeout || !strings.Contains(v.reason, c.reason) {
				t.Fatalf("got %+v", v)
			}
		})
	}
}

func TestBusinessHoursAcrossMidnight(t *testing.T) {
	r := []string{"22:00-02:00"}
	if !withinHours(r, at("23:00")) || !withinHours(r, at("01:30")) || withinHours(r, at("12:00")) {
		t.Fatal("overnight range misread")
	}
	if !withinHours(nil, at("03:00")) {
		t.Fatal("no hours means always open")
	}
}

func TestHoldReservedPrintsLater(t *testing.T) {
	cfg := &config.Config{Accept: config.AcceptConfig{HoldReserved: true, HoldLead: 30 * time.Minute}}
	p := newAcceptPolicy(cfg)
	o := &order.Order{Type: order.TypePickupReserved, ExpectAt: at("18:00")}
	if got := p.holdUntil(o, at("12:00")); !got.Equal(at("17:30")) {
		t.Fatalf("hold until %v", got)
	}
	if got := p.holdUntil(o, at("17:45")); !got.IsZero() {
		t.Fatalf("due orders print now, got %v", got)
	}
	o.Type = order.TypePickup
	if got := p.holdUntil(o, at("12:00")); !got.IsZero() {
		t.Fatal("only reserved orders are held")
	}
}

// A store's hours are read on its own clock (stores[].timezone): 21:00 in
// Berlin is 04:00 the next morning in Shanghai.
func TestBusinessHoursInTheStoresZone(t *testing.T) {
	cfg := &config.Config{Accept: config.AcceptConfig{Mode: "auto", OutsideHours: "manual"},
		Stores: []config.StoreConfig{{ID: "b", Hours: []string{"09:00-22:00"}, Timezone: "Europe/Berlin"}}}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	p := newAcceptPolicy(cfg)
	o := &order.Order{StoreID: "b"}
	if mode, _ := p.mode(o, time.Date(2026, 12, 2, 21, 0, 0, 0, berlin)); mode != "auto" {
		t.Errorf("21:00 in Berlin: %s, want auto (open)", mode)
	}
	if mode, why := p.mode(o, time.Date(2026, 12, 2, 23, 0, 0, 0, berlin)); mode != "manual" || why != "营业时间外" {
		t.Errorf("23:00 in Berlin: %s %s, want manual outside hours", mode, why)
	}
}

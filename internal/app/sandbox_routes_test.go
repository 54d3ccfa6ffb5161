package app

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
)

// The sandbox is a first impression: every drink of the tea shop gets its
// cup labels, the restaurant's dishes reach its kitchen, and no store sells
// from the other's menu.
func TestSandboxRoutesCoverTheirOwnMenus(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Sandbox()
	var stores []fake.Store
	for _, s := range cfg.Stores {
		stores = append(stores, fake.Store{ID: s.ID, Name: s.Name, Menu: config.SandboxMenus[s.ID]})
	}
	p, err := fake.New(fake.Options{MerchantKey: key, PlatformKey: key, Stores: stores, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]config.PrinterConfig{}
	for _, pc := range cfg.Printers {
		byName[pc.Name] = pc
	}
	serves := func(pc config.PrinterConfig, o *order.Order) bool {
		if len(pc.Stores) == 0 {
			return true
		}
		for _, s := range pc.Stores {
			if s == o.StoreID {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{}
	for i := range 400 {
		o, _, err := p.Sample(fake.OrderSpec{Code: fmt.Sprintf("R%04d", i)})
		if err != nil {
			t.Fatal(err)
		}
		tea := o.StoreID == "1862"
		for _, it := range o.Items {
			isTea := it.ThirdProductID != "" && it.ThirdProductID[0] == 'T'
			if isTea != tea {
				t.Fatalf("store %s sold %s (%s) from the other store's menu", o.StoreID, it.Name, it.ThirdProductID)
			}
		}
		wantCups := 0
		for _, it := range o.Items {
			if tea && it.Unit == "杯" {
				wantCups += it.Quantity
				seen[it.Name] = true
			}
		}
		gotCups := 0
		if lp := byName["label"]; serves(lp, &o) {
			for _, d := range printer.CupLabels(&o, printer.NewMatcher(lp.Match), printer.Options{}) {
				gotCups += len(d.Labels())
			}
		}
		if gotCups != wantCups {
			t.Fatalf("order %s at %s: %d cup labels, want one per cup (%d): %+v", o.Code, o.StoreID, gotCups, wantCups, o.Items)
		}
		kp := byName["kitchen"]
		tickets := 0
		if serves(kp, &o) {
			tickets = len(printer.KitchenTickets(&o, printer.NewMatcher(kp.Match), printer.Options{}))
		}
		if tea == (tickets > 0) {
			t.Fatalf("order %s at %s: %d kitchen tickets", o.Code, o.StoreID, tickets)
		}
	}
	for _, drink := range []string{"杨枝甘露", "多肉葡萄", "芝士莓莓", "豆乳玉麒麟", "烤黑糖波波牛乳"} {
		if !seen[drink] {
			t.Errorf("400 orders never had %s: the check did not cover it", drink)
		}
	}
}

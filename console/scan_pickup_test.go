package console_test

import (
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// A pickup number in the scan box that two stores both gave out today is
// not guessed: the answer lists both for the cashier to pick.
func TestScanOfASharedPickupNumberAsksWhichOrder(t *testing.T) {
	env := startDaemon(t, harness.Options{Stores: []config.StoreConfig{{ID: "1862", Name: "南翔一店"}, {ID: "1030", Name: "徐汇店"}}})
	t.Cleanup(func() { _ = env.Stop() })
	a := env.Fake.NewOrder(fake.OrderSpec{StoreID: "1862", Type: order.TypePickup})
	c := env.Fake.NewOrder(fake.OrderSpec{StoreID: "1030", Type: order.TypePickup})
	if a.PickupNo != c.PickupNo {
		t.Fatalf("pickup numbers %s and %s differ: the test wants one number in two stores", a.PickupNo, c.PickupNo)
	}
	for _, o := range []order.Order{a, c} {
		if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	var answer struct {
		Error      string `json:"error"`
		Candidates []struct {
			Code      string `json:"code"`
			StoreName string `json:"store_name"`
		} `json:"candidates"`
	}
	status, err := env.API("POST", "/api/scan", map[string]string{"code": a.PickupNo}, &answer)
	if err != nil {
		t.Fatal(err)
	}
	if status != 300 || len(answer.Candidates) != 2 {
		t.Fatalf("scan of the shared %s: HTTP %d %+v, want 300 with both orders", a.PickupNo, status, answer)
	}
	for _, o := range []order.Order{a, c} {
		if rec, _ := env.Order(o.Code); rec.Status != order.StatusAccepted {
			t.Errorf("order %s moved to %s on an ambiguous scan", o.Code, rec.Status)
		}
	}
	if status, _ := env.API("POST", "/api/scan", map[string]string{"code": "9999"}, nil); status != 404 {
		t.Errorf("a pickup number nobody has: HTTP %d, want 404", status)
	}
}

package bridge_test

import (
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// A pickup number typed in the scan box finds its order; when two open
// orders of the day share it (two stores' 1001, or a take code meeting a
// 开个店 number) the console gets both to pick from, and a source prefix
// names a code explicitly.
func TestScanByPickupNumberAndSharedNumbers(t *testing.T) {
	env := start(t, harness.Options{ExtraYAML: "scanner:\n  double_scan_window: 1ms\n",
		Stores: []config.StoreConfig{{ID: "1862", Name: "南翔一店"}, {ID: "2051", Name: "静安餐厅"}}})
	a := teaOrder(env, fake.OrderSpec{StoreID: "1862"})
	b := teaOrder(env, fake.OrderSpec{StoreID: "2051"})
	for _, o := range []order.Order{a, b} {
		_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
		must(t, err)
	}
	if a.PickupNo != b.PickupNo {
		t.Skipf("the fake gave the two stores pickup numbers %s and %s", a.PickupNo, b.PickupNo)
	}
	var res map[string]any
	status, err := env.API("POST", "/api/scan", map[string]string{"code": a.PickupNo}, &res)
	must(t, err)
	cands, _ := res["candidates"].([]any)
	if status != 300 || len(cands) != 2 {
		t.Fatalf("a shared pickup number: %d %v", status, res)
	}
	res = nil
	status, err = env.API("POST", "/api/scan", map[string]string{"code": "kaigedian:" + a.Code}, &res)
	must(t, err)
	if status != 202 || res["action"] != "made" {
		t.Fatalf("the picked one, by its code with the source prefix: %d %v", status, res)
	}
	res = nil
	status, err = env.API("POST", "/api/scan", map[string]string{"code": "ordering:" + b.Code}, &res)
	must(t, err)
	if status != 404 {
		t.Fatalf("a 开个店 code under the ordering prefix: %d %v", status, res)
	}
	// Both are still open (one made, one accepted): still both to pick from.
	res = nil
	status, err = env.API("POST", "/api/scan", map[string]string{"code": b.PickupNo}, &res)
	must(t, err)
	if cands, _ := res["candidates"].([]any); status != 300 || len(cands) != 2 {
		t.Fatalf("two open orders share the number: %d %v", status, res)
	}
}

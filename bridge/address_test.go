package bridge_test

import (
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// Issue 13 item 11: the documented queryDetail has no address (longitude
// and latitude only); the address is in historyOrders. Delivery orders get
// theirs from there, a burst of them from one day read, their receipts wait
// for it and print it, and it survives the next queryDetail.
func TestDeliveryAddressComesFromHistoryOrders(t *testing.T) {
	env := start(t, harness.Options{})
	var orders []order.Order
	for range 5 {
		orders = append(orders, teaOrder(env, fake.OrderSpec{Type: order.TypeDelivery}))
	}
	for _, o := range orders {
		if o.Address == "" {
			t.Fatal("the fake's delivery order has no address")
		}
		_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
		must(t, err)
		must(t, env.WaitPlatform(o.Code, kaigedian.PlatformAccepted, 5*time.Second))
	}
	for _, c := range env.Fake.CallsTo("queryDetail") {
		if strings.Contains(c.RawBody, "deliveryContactInfoList") {
			t.Fatal("queryDetail requests carry no address")
		}
	}
	for _, o := range orders {
		// The receipt waits for the address: no receipt exists before it came.
		receipts := func() int {
			n := 0
			for _, text := range env.Printed("front") {
				// A long address wraps onto the next line of the receipt.
				if flat := strings.Join(strings.Fields(text), ""); strings.Contains(flat, o.Code) && strings.Contains(flat, o.Address) {
					n++
				}
			}
			return n
		}
		harness.WaitFor(15*time.Second, func() bool { return receipts() > 0 })
		must(t, env.WaitJobsDone(o.Code, 15*time.Second))
		if n := receipts(); n != 1 {
			t.Fatalf("receipt of %s with its address %q printed %d times:\n%s", o.Code, o.Address, n, strings.Join(env.Printed("front"), "\n---\n"))
		}
	}
	if n := len(env.Fake.CallsTo("historyOrders")); n == 0 || n > 3 {
		t.Fatalf("%d historyOrders calls for 5 delivery orders of one day", n)
	}
	// A later change fetches queryDetail again: the address stays.
	res := env.Daemon.Bridge.Scan(t.Context(), orders[0].Code, "test")
	if res.Action != "made" {
		t.Fatalf("scan: %+v", res)
	}
	if !harness.WaitFor(5*time.Second, func() bool {
		r, _ := env.Order(orders[0].Code)
		return r.Status == order.StatusMade && !r.NeedsDetail
	}) {
		t.Fatal("the made order's detail was not fetched again")
	}
	if r, _ := env.Order(orders[0].Code); r.Detail == nil || r.Detail.Address != orders[0].Address {
		t.Fatalf("the address was lost with the new detail: %+v", r.Detail)
	}
	var view map[string]any
	env.API("GET", "/api/orders/"+orders[1].Code, nil, &view)
	if view["address"] != orders[1].Address {
		t.Fatalf("the console shows address %v", view["address"])
	}
}

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

// 围餐 加菜 end to end: a table's open order gets dishes added online; the
// product change push (sent twice, as platforms do) prints one 加菜 ticket
// on the kitchen naming the dish, in the table's shape (ids only: the name
// comes from the platform's detail of the product) and in the example's
// shape (names in the push); the order shows the additions.
func TestTableAdditionsPrintOnTheKitchen(t *testing.T) {
	env := start(t, harness.Options{Fake: func(o *fake.Options) { o.PushDuplicates = 1 }})
	o := env.Fake.NewOrder(fake.OrderSpec{Channel: kaigedian.OrderClientTableDining, Type: order.TypeDineIn,
		Items: []order.Item{{Seq: 1, ProductID: "138418632407492001", ThirdProductID: "R2001", Name: "红烧牛肉面", Price: 2800, Quantity: 1, Unit: "碗"}}})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	// The table's shape: ids and a quantity; R2001 is on the order already.
	must(t, env.Fake.AddOnline(o.Code, []fake.AddedLine{{Code: "R2001", Quantity: 2}}, false))
	if !harness.WaitFor(10*time.Second, func() bool { return env.CountPrinted("kitchen", "加菜", "红烧牛肉面", "×2") == 1 }) {
		t.Fatalf("kitchen: %q", env.Printed("kitchen"))
	}
	// The example's shape carries the name of a dish not on the order yet.
	must(t, env.Fake.AddOnline(o.Code, []fake.AddedLine{{Code: "R2004", Quantity: 1}}, true))
	if !harness.WaitFor(10*time.Second, func() bool { return env.CountPrinted("kitchen", "加菜", "扬州炒饭") == 1 }) {
		t.Fatalf("kitchen: %q", env.Printed("kitchen"))
	}
	must(t, env.Fake.WaitPushes(t.Context()))
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if n := env.CountPrinted("kitchen", "加菜"); n != 2 {
		t.Fatalf("%d 加菜 tickets for two additions each pushed twice:\n%s", n, strings.Join(env.Printed("kitchen"), "\n----\n"))
	}
	if n := env.CountPrinted("front", "加菜"); n != 0 {
		t.Fatalf("the receipt printer printed %d 加菜 tickets", n)
	}
	var v struct {
		Extras struct {
			Additions []struct {
				Items []order.Item `json:"items"`
			} `json:"additions"`
		} `json:"extras"`
	}
	if _, err := env.API("GET", "/api/orders/"+o.Code, nil, &v); err != nil || len(v.Extras.Additions) != 2 {
		t.Fatalf("additions on the order: %+v %v", v, err)
	}
	// The platform's detail has the new lines once fetched again.
	if !harness.WaitFor(10*time.Second, func() bool {
		rec, _ := env.Order(o.Code)
		return rec.Detail != nil && len(rec.Detail.Items) == 3
	}) {
		rec, _ := env.Order(o.Code)
		t.Fatalf("the order's lines after the additions: %+v", rec.Detail.Items)
	}
}

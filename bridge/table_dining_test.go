package bridge_test

import (
	"net/http"
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
	// The accept named the 围餐 order as the 围餐 calls do.
	wantOps(t, env, o.Code, "3")
	if snap, _ := env.Fake.Order(o.Code); snap.Operations[0].OrderClient != "19" {
		t.Fatalf("accept of a 围餐 order: %+v", snap.Operations[0])
	}
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

// The third-party order detail (获取第三方订单详情) against the real push
// listener, asked the way the platform asks: a signed envelope in, a reply
// signed with the merchant key out, the lines posbridge has for the order
// (a set meal's price the sum of its parts), found by orderCode, by
// thirdOrderCode or by the table; the documents' own example (no code, no
// table) is refused with 21, and an unsigned request with 401.
func TestThirdPartyOrderDetail(t *testing.T) {
	env := start(t, harness.Options{})
	o := env.Fake.NewOrder(fake.OrderSpec{Channel: kaigedian.OrderClientTableDining, Type: order.TypeDineIn, Items: []order.Item{
		{Seq: 1, ProductID: "P1", ThirdProductID: "R2004", Name: "扬州炒饭", Price: 2200, Quantity: 2, Unit: "份", ProductType: 1},
		{Seq: 2, ProductID: "P2", ThirdProductID: "R3001", Name: "牛肉面套餐", Price: 3800, Quantity: 1, Unit: "份", ProductType: 6,
			Children: []order.Item{{ProductID: "C1", ThirdProductID: "R2001", Name: "红烧牛肉面", Price: 2600, Quantity: 1}, {ProductID: "C2", ThirdProductID: "R4001", Name: "卤蛋", Price: 200, Quantity: 1}}},
	}})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if !harness.WaitFor(10*time.Second, func() bool { rec, _ := env.Order(o.Code); return rec.Detail != nil }) {
		t.Fatal("no detail")
	}
	ctx := t.Context()
	for name, req := range map[string]kaigedian.ThirdDetailRequest{
		"by orderCode":      {OrderCode: o.Code, StoreID: o.StoreID, BarCounter: o.Table},
		"by thirdOrderCode": {ThirdOrderCode: o.ThirdCode, StoreID: o.StoreID, BarCounter: o.Table},
		"by table":          {StoreID: o.StoreID, BarCounter: o.Table},
	} {
		reply, _, err := env.Fake.FetchThirdDetail(ctx, env.PushURL, req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(reply.OrderItemList) != 2 || reply.OrderItemList[0].ProductQuantity != 2 || reply.OrderItemList[0].ThirdProductID != "R2004" ||
			reply.OrderItemList[1].ProductPrice != 2800 || len(reply.OrderItemList[1].ProductComboList) != 2 {
			t.Fatalf("%s: lines %+v", name, reply.OrderItemList)
		}
	}
	if _, _, err := env.Fake.FetchThirdDetail(ctx, env.PushURL, kaigedian.ThirdDetailRequest{}); err == nil || !strings.Contains(err.Error(), "21") {
		t.Fatalf("the documents' example request: %v", err)
	}
	if _, _, err := env.Fake.FetchThirdDetail(ctx, env.PushURL, kaigedian.ThirdDetailRequest{OrderCode: "99999"}); err == nil || !strings.Contains(err.Error(), "订单不存在") {
		t.Fatalf("an unknown order: %v", err)
	}
	status, err := postRaw(env.PushURL+fake.ThirdDetailPath, `{"orderCode":"`+o.Code+`","orderClient":"19"}`)
	if err != nil || status != 401 {
		t.Fatalf("an unsigned request: HTTP %d %v", status, err)
	}
}

func postRaw(url, body string) (int, error) {
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

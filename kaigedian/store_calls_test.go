package kaigedian_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// lastCall is the one call the fake received on path, checked for a
// verified signature and the request body's members.
func lastCall(t *testing.T, p *fake.Platform, path string) fake.Call {
	t.Helper()
	calls := p.CallsTo(path)
	if len(calls) == 0 {
		t.Fatalf("no call to %s", path)
	}
	c := calls[len(calls)-1]
	if !c.SignVerified {
		t.Fatalf("%s: signature not verified by the fake: %+v", path, c)
	}
	return c
}

func TestSellOutByCustomerCodePartialSuccess(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	res, err := r.client.SellOut(ctx, "tx-sell-1", kaigedian.SellOutRequest{
		StoreID: "1862", CustomerCodes: []string{"T1001", "R2003", "NOPE9"}, ChannelID: kaigedian.SellChannelPickup})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Failed, []string{"NOPE9"}) || !reflect.DeepEqual(res.Succeeded(), []string{"T1001", "R2003"}) {
		t.Fatalf("result = failed %v, succeeded %v", res.Failed, res.Succeeded())
	}
	if got := r.p.SoldOut("1862", "saas"); !reflect.DeepEqual(got, []string{"R2003", "T1001"}) {
		t.Fatalf("platform sold out = %v", got)
	}
	c := lastCall(t, r.p, kaigedian.PathSellOut)
	var body map[string]any
	if err := json.Unmarshal([]byte(c.RawBody), &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"storeId": "1862", "customerCodes": []any{"T1001", "R2003", "NOPE9"}, "partnerId": partner, "channelId": "saas"}
	if !reflect.DeepEqual(body, want) {
		t.Fatalf("request body = %s", c.RawBody)
	}
	if c.TransactionID != "tx-sell-1" {
		t.Fatalf("x-transaction-id = %q", c.TransactionID)
	}

	// Every code known: responseBody null, nothing failed.
	res, err = r.client.CancelSellOut(ctx, "tx-back-1", kaigedian.SellOutRequest{StoreID: "1862", CustomerCodes: []string{"T1001"}, ChannelID: "saas"})
	if err != nil || len(res.Failed) != 0 || !reflect.DeepEqual(res.Succeeded(), []string{"T1001"}) {
		t.Fatalf("cancel = %+v, %v", res, err)
	}
	if got := r.p.SoldOut("1862", "saas"); !reflect.DeepEqual(got, []string{"R2003"}) {
		t.Fatalf("after cancel, sold out = %v", got)
	}
	// No channel: channelId is left out (optional), not sent empty.
	if _, err := r.client.SellOut(ctx, "tx-sell-2", kaigedian.SellOutRequest{StoreID: "1862", CustomerCodes: []string{"T1002"}}); err != nil {
		t.Fatal(err)
	}
	if raw := lastCall(t, r.p, kaigedian.PathSellOut).RawBody; strings.Contains(raw, "channelId") {
		t.Fatalf("empty channelId was sent: %s", raw)
	}
}

func TestSellOutRefusesBadRequestsLocally(t *testing.T) {
	r := newRig(t, nil)
	for name, req := range map[string]kaigedian.SellOutRequest{
		"no codes":      {StoreID: "1862"},
		"no store":      {CustomerCodes: []string{"T1001"}},
		"bad channel":   {StoreID: "1862", CustomerCodes: []string{"T1001"}, ChannelID: "meituan"},
		"code with tab": {StoreID: "1862", CustomerCodes: []string{"T10\t01"}},
		"too many":      {StoreID: "1862", CustomerCodes: strings.Split(strings.Repeat("A,", kaigedian.MaxSellOutCodes+1), ",")[:kaigedian.MaxSellOutCodes+1]},
	} {
		if _, err := r.client.SellOut(context.Background(), "tx-"+name, req); !errors.Is(err, kaigedian.ErrInvalidRequest) {
			t.Errorf("%s: err = %v, want a validation error", name, err)
		}
	}
	if n := len(r.p.CallsTo(kaigedian.PathSellOut)); n != 0 {
		t.Fatalf("%d invalid requests reached the platform", n)
	}
}

// The documents' example reply lists every requested code under "成功"
// while the text says a list means the codes that failed: a list is read
// as failures, whatever the message.
func TestSellOutDocumentExampleReply(t *testing.T) {
	raw := []byte(`{"ver":"1","statusCode":"100","message":"成功","responseBody":"[\"141514633969296671\",\"141514633969296672\",\"323\",\"we232\"]","sign":"x9d4"}`)
	resp, err := kaigedian.DecodeResponse(raw)
	if err != nil {
		t.Fatal(err)
	}
	failed, err := kaigedian.DecodeSellOutBody(resp)
	if err != nil || !reflect.DeepEqual(failed, []string{"141514633969296671", "141514633969296672", "323", "we232"}) {
		t.Fatalf("failed = %v, %v", failed, err)
	}
	for _, body := range []string{`null`, `""`} {
		resp, _ := kaigedian.DecodeResponse([]byte(`{"ver":"1","statusCode":"100","message":"成功","responseBody":` + body + `}`))
		if failed, err := kaigedian.DecodeSellOutBody(resp); err != nil || len(failed) != 0 {
			t.Fatalf("responseBody %s: failed %v, %v", body, failed, err)
		}
	}
}

func TestSetStoreStatus(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	if err := r.client.SetStoreStatus(ctx, "tx-rest", kaigedian.SetStoreStatusRequest{StoreID: "1862", Operator: "店长", Event: kaigedian.StoreRest}); err != nil {
		t.Fatal(err)
	}
	if st := r.p.StoreStatusOf("1862"); !st.Resting || st.Operator != "店长" {
		t.Fatalf("after rest: %+v", st)
	}
	if raw := lastCall(t, r.p, kaigedian.PathSetStoreStatus).RawBody; raw != `{"storeId":"1862","operator":"店长","storeEvent":3}` {
		t.Fatalf("request body = %s", raw)
	}
	if err := r.client.SetStoreStatus(ctx, "tx-reopen", kaigedian.SetStoreStatusRequest{StoreID: "1862", Operator: "店长", Event: kaigedian.StoreReopen}); err != nil {
		t.Fatal(err)
	}
	if err := r.client.SetStoreStatus(ctx, "tx-close", kaigedian.SetStoreStatusRequest{StoreID: "1862", Operator: "店长", Event: kaigedian.StoreClose}); err != nil {
		t.Fatal(err)
	}
	// A closed store cannot rest: the platform's refusal reaches the caller with its message.
	err := r.client.SetStoreStatus(ctx, "tx-rest-2", kaigedian.SetStoreStatusRequest{StoreID: "1862", Operator: "店长", Event: kaigedian.StoreRest})
	var pe *kaigedian.PlatformError
	if !errors.As(err, &pe) || !strings.Contains(pe.Message, "停业") {
		t.Fatalf("rest after close: %v", err)
	}
	if st := r.p.StoreStatusOf("1862"); st.Open || !reflect.DeepEqual(st.Events, []int{3, 4, 2}) {
		t.Fatalf("platform status = %+v", st)
	}
	for _, req := range []kaigedian.SetStoreStatusRequest{{StoreID: "1862", Event: kaigedian.StoreOpen}, {StoreID: "1862", Operator: "x", Event: 5}} {
		if err := r.client.SetStoreStatus(ctx, "tx-bad", req); !errors.Is(err, kaigedian.ErrInvalidRequest) {
			t.Fatalf("%+v: %v", req, err)
		}
	}
	for e := kaigedian.StoreOpen; e <= kaigedian.StoreReopen; e++ {
		if !e.Valid() {
			t.Fatalf("%d is documented", e)
		}
	}
	if kaigedian.StoreEvent(0).Valid() || kaigedian.StoreEvent(5).Valid() {
		t.Fatal("0 and 5 are not documented events")
	}
}

func TestTableDiningCalls(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	o := r.p.NewOrder(fake.OrderSpec{Channel: kaigedian.OrderClientTableDining, Type: order.TypeDineIn, Menu: "restaurant", NoPush: true})
	if o.ThirdCode == "" || o.Table == "" {
		t.Fatalf("a 围餐 order has a thirdOrderCode and a table: %+v", o)
	}
	items := append(o.Items, order.Item{Seq: len(o.Items) + 1, ProductID: "138418632407492004", ThirdProductID: "R2004",
		Name: "扬州炒饭", Price: 2200, Quantity: 2, Unit: "份"})
	err := r.client.UpdateOrderItem(ctx, "tx-upd", kaigedian.UpdateOrderItemRequest{ThirdOrderCode: o.ThirdCode, Items: kaigedian.TableItemsFrom(items)})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := r.p.Order(o.Code)
	if got := snap.Order.Items[len(snap.Order.Items)-1]; got.ThirdProductID != "R2004" || got.Quantity != 2 || got.Name != "扬州炒饭" {
		t.Fatalf("platform's last line = %+v", got)
	}
	op := snap.Operations[len(snap.Operations)-1]
	if op.Path != kaigedian.PathUpdateOrderItem || op.OrderClient != "19" {
		t.Fatalf("operation = %+v", op)
	}
	raw := lastCall(t, r.p, kaigedian.PathUpdateOrderItem).RawBody
	for _, want := range []string{`"thirdOrderCode":"` + o.ThirdCode + `"`, `"orderClient":"19"`, `"orderItemList":[`, `"unit":"份"`, `"productType":1`} {
		if !strings.Contains(raw, want) {
			t.Fatalf("updateOrderItem body lacks %s: %s", want, raw)
		}
	}
	if strings.Contains(raw, "productName") || strings.Contains(raw, `"orderCode"`) {
		t.Fatalf("updateOrderItem sent a field its table lacks, or both codes: %s", raw)
	}

	paid := time.Date(2026, 12, 2, 12, 30, 5, 0, kaigedian.Shanghai)
	err = r.client.PayAfterSyncOrderInfo(ctx, "tx-pay", kaigedian.PayAfterSyncRequest{OrderCode: o.Code, PosCode: "POS1",
		Original: 10000, Discount: 500, ActualPay: 9500, Settlement: 9500,
		Pay: &kaigedian.PayInfo{PayChannel: "cash", PayChannelName: "现金", PayTime: paid}, Items: kaigedian.TableItemsFrom(items)})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ = r.p.Order(o.Code)
	st := snap.Operations[len(snap.Operations)-1].Settlement
	if st == nil || st.ActualPay != 9500 || st.Settlement != 9500 || st.PayTime != "2026-12-02 12:30:05" || st.PayChannelName != "现金" {
		t.Fatalf("settlement = %+v", st)
	}
	if snap.Order.PayType != 2 || snap.Order.ActualPay != 9500 {
		t.Fatalf("platform order after settling: pay type %d, actual %d", snap.Order.PayType, snap.Order.ActualPay)
	}
	if raw := lastCall(t, r.p, kaigedian.PathPayAfterSyncOrderInfo).RawBody; !strings.Contains(raw, `"productName":"扬州炒饭"`) {
		t.Fatalf("payAfterSyncOrderInfo lines carry names: %s", raw)
	}

	// statusOperation by thirdOrderCode with orderClient 19.
	if err := r.client.StatusOperation(ctx, "tx-acc", kaigedian.StatusOperationRequest{ThirdOrderCode: o.ThirdCode,
		OrderClient: kaigedian.OrderClientTableDining, OrderStatus: kaigedian.OpAccept}); err != nil {
		t.Fatal(err)
	}
	snap, _ = r.p.Order(o.Code)
	if op := snap.Operations[len(snap.Operations)-1]; op.OrderStatus != 3 || op.OrderClient != "19" || snap.PlatformStatus != 3 {
		t.Fatalf("statusOperation by thirdOrderCode: %+v, status %d", op, snap.PlatformStatus)
	}
	if err := r.client.UpdateOrderItem(ctx, "tx-upd-bad", kaigedian.UpdateOrderItemRequest{OrderCode: o.Code,
		Items: []kaigedian.TableItem{{ProductType: 1}}}); !errors.Is(err, kaigedian.ErrInvalidRequest) {
		t.Fatalf("a line without product id: %v", err)
	}
}

// A set meal's price in the 围餐 lines is the sum of its parts.
func TestTableItemsSetMealPrice(t *testing.T) {
	items := kaigedian.TableItemsFrom([]order.Item{{ProductID: "P", Name: "套餐", Price: 3800, Quantity: 1, ProductType: 6,
		Children: []order.Item{{ProductID: "A", Price: 2600, Quantity: 1}, {ProductID: "B", Price: 200, Quantity: 2}}}})
	if items[0].ProductPrice != 3000 || len(items[0].ProductComboList) != 2 {
		t.Fatalf("set meal = %+v", items[0])
	}
}

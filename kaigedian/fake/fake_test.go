package fake_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

func platformCode(err error) string {
	var pe *kaigedian.PlatformError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestRejectsBadSignatureAndCredentials(t *testing.T) {
	r := newRig(t, nil)
	_, stranger, _ := testKeys(t)
	ctx := t.Context()

	wrongKey, _ := kaigedian.NewClient(kaigedian.Config{BaseURL: r.base, PartnerID: testPartner, AppID: testApp,
		AccessToken: testToken, PrivateKey: stranger, QueryRetries: -1})
	_, err := wrongKey.BatchQuery(ctx, kaigedian.BatchQueryRequest{StoreID: "1862"})
	if platformCode(err) != "401" || !strings.Contains(err.Error(), "签名验证失败") {
		t.Fatalf("a request signed by another key must be refused, got %v", err)
	}

	// A sign over a different body than the one sent.
	env, _ := kaigedian.NewEnvelope(r.key, testPartner, testApp, []byte(`{"orderCode":["1"]}`))
	env.RequestBody = `{"orderCode":["2"]}`
	raw, _ := env.Marshal()
	if resp := r.postRaw(t, kaigedian.PathQueryDetail, raw, "tx-tampered", testToken); resp.Code != "401" {
		t.Fatalf("tampered body: code %s", resp.Code)
	}
	env.Sign = ""
	raw, _ = env.Marshal()
	if resp := r.postRaw(t, kaigedian.PathQueryDetail, raw, "tx-nosign", testToken); resp.Code != "21" {
		t.Fatalf("missing sign: code %s", resp.Code)
	}
	good, _ := kaigedian.NewEnvelope(r.key, testPartner, testApp, []byte(`{"orderCode":["1"]}`))
	raw, _ = good.Marshal()
	if resp := r.postRaw(t, kaigedian.PathQueryDetail, raw, "tx-token", "wrong"); resp.Code != "401" {
		t.Fatalf("wrong access_token: code %s", resp.Code)
	}
	other, _ := kaigedian.NewEnvelope(r.key, "9999", testApp, []byte(`{"orderCode":["1"]}`))
	raw, _ = other.Marshal()
	if resp := r.postRaw(t, kaigedian.PathQueryDetail, raw, "tx-partner", testToken); resp.Code != "401" {
		t.Fatalf("wrong partnerId: code %s", resp.Code)
	}
	if resp := r.postRaw(t, kaigedian.PathQueryDetail, []byte(`{"ver":"1",`), "tx-broken", testToken); resp.Code != "21" {
		t.Fatalf("broken JSON: code %s", resp.Code)
	}

	for _, c := range r.p.Calls() {
		if c.SignVerified {
			t.Errorf("call %s %s must not count as verified", c.Path, c.TransactionID)
		}
	}
	if len(r.p.Orders()) != 0 {
		t.Fatal("refused requests change nothing")
	}
}

// batchQuery pages by (update time, code); nextStartTimestamp is the update
// time of the last returned order, so boundary orders come back on the next
// page, and ten or more orders in one millisecond pin the cursor.
func TestBatchQueryPagingSemantics(t *testing.T) {
	r := newRig(t, nil)
	ctx := t.Context()
	base := time.Date(2024, 5, 1, 12, 0, 0, 0, kaigedian.Shanghai)
	at := func(ms int) time.Time { return base.Add(time.Duration(ms) * time.Millisecond) }
	mk := func(prefix string, n, ms int) {
		for i := 1; i <= n; i++ {
			r.p.NewOrder(fake.OrderSpec{Code: fmt.Sprintf("%s%02d", prefix, i), StoreID: "1862", UpdatedAt: at(ms), NoPush: true})
		}
	}
	mk("A", 3, 1)
	mk("B", 9, 2)
	mk("C", 1, 3)
	r.p.NewOrder(fake.OrderSpec{Code: "X01", StoreID: "1030", UpdatedAt: at(2), NoPush: true}) // other store

	page := func(startMs int) *kaigedian.BatchQueryResult {
		t.Helper()
		res, err := r.client.BatchQuery(ctx, kaigedian.BatchQueryRequest{StoreID: "1862", Start: at(startMs), End: at(1000)})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	codes := func(res *kaigedian.BatchQueryResult) string {
		var s []string
		for _, h := range res.Items {
			s = append(s, h.Code)
		}
		return strings.Join(s, ",")
	}
	p1 := page(0)
	if got := codes(p1); got != "A01,A02,A03,B01,B02,B03,B04,B05,B06,B07" || p1.Total != 13 || p1.NextStartTimestamp != at(2).UnixMilli() {
		t.Fatalf("page 1: %s total %d next %d", got, p1.Total, p1.NextStartTimestamp)
	}
	p2 := page(2)
	if got := codes(p2); got != "B01,B02,B03,B04,B05,B06,B07,B08,B09,C01" || p2.NextStartTimestamp != at(3).UnixMilli() {
		t.Fatalf("page 2 must repeat the boundary millisecond: %s next %d", got, p2.NextStartTimestamp)
	}
	p3 := page(3)
	if got := codes(p3); got != "C01" || p3.NextStartTimestamp != at(3).UnixMilli() {
		t.Fatalf("page 3: %s next %d", got, p3.NextStartTimestamp)
	}

	mk("D", 12, 5)
	stuck := page(5)
	if len(stuck.Items) != 10 || stuck.NextStartTimestamp != at(5).UnixMilli() || stuck.Total != 12 {
		t.Fatalf("12 orders in one ms: %d items next %d total %d", len(stuck.Items), stuck.NextStartTimestamp, stuck.Total)
	}
	// historyOrders reads the whole day, so the stuck window is reachable.
	h, err := r.client.HistoryOrders(ctx, kaigedian.HistoryRequest{StoreID: "1862", Day: at(5), PageNum: 3, PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if h.Total != 25 || len(h.Items) != 5 || h.Items[4].Order.Code != "D12" {
		t.Fatalf("history page 3: total %d, %d items", h.Total, len(h.Items))
	}
	// Status and channel filters.
	res, err := r.client.BatchQuery(ctx, kaigedian.BatchQueryRequest{StoreID: "1862", Start: at(0), End: at(1000), OrderStatus: []int{3}})
	if err != nil || len(res.Items) != 0 {
		t.Fatalf("no accepted orders yet: %v %v", res, err)
	}
}

func TestDefaultWindowIsTodayUntil235959000(t *testing.T) {
	now := time.Date(2024, 5, 1, 20, 0, 0, 0, kaigedian.Shanghai)
	r := newRig(t, func(o *fake.Options) { o.Now = func() time.Time { return now } })
	day := kaigedian.StartOfDay(now)
	r.p.NewOrder(fake.OrderSpec{Code: "Y", UpdatedAt: day.Add(-time.Millisecond), NoPush: true, StoreID: "1862"})
	r.p.NewOrder(fake.OrderSpec{Code: "T1", UpdatedAt: day, NoPush: true, StoreID: "1862"})
	r.p.NewOrder(fake.OrderSpec{Code: "T2", UpdatedAt: day.Add(24*time.Hour - 500*time.Millisecond), NoPush: true, StoreID: "1862"})
	resp := r.post(t, kaigedian.PathBatchQuery, `{"storeId":"1862","orderClients":[1,2,3],"orderStatus":[1]}`, "tx-default")
	res, err := kaigedian.DecodeBatchQueryBody(resp.Body)
	if err != nil || res.Total != 1 || res.Items[0].Code != "T1" {
		t.Fatalf("default window must be [00:00:00.000, 23:59:59.000]: %+v %v", res, err)
	}
}

func TestStateMachineRefusals(t *testing.T) {
	r := newRig(t, nil)
	ctx := t.Context()
	mk := func(code string, typ order.Type) { r.p.NewOrder(fake.OrderSpec{Code: code, Type: typ, NoPush: true}) }
	op := func(code string, status int, delivery *kaigedian.DeliveryInfo) error {
		return r.client.StatusOperation(ctx, kaigedian.NewTransactionID(),
			kaigedian.StatusOperationRequest{OrderCode: code, OrderStatus: status, Delivery: delivery, Reason: "测试"})
	}
	rider := &kaigedian.DeliveryInfo{ContactsName: "王师傅", Mobile: "13800000000"}

	mk("C1", order.TypePickup)
	if err := r.p.CancelByUser("C1", ""); err != nil {
		t.Fatal(err)
	}
	if err := op("C1", 3, nil); platformCode(err) != "500" || !strings.Contains(err.Error(), "订单已取消，不能接单") {
		t.Fatalf("accepting a cancelled order: %v", err)
	}
	mk("N1", order.TypePickup)
	for _, s := range []int{31, 5} {
		if err := op("N1", s, nil); platformCode(err) != "500" {
			t.Fatalf("%d before accept must be refused: %v", s, err)
		}
	}
	if err := r.p.RequestRefund("N1", ""); err == nil {
		t.Fatal("a refund needs an accepted order")
	}
	if err := op("N1", 3, nil); err != nil {
		t.Fatal(err)
	}
	if err := op("N1", 7, nil); platformCode(err) != "500" {
		t.Fatalf("reject after accept: %v", err)
	}
	if err := r.p.CancelByUser("N1", ""); err == nil {
		t.Fatal("after accept the customer must ask for a refund")
	}
	err := r.client.RefundOperation(ctx, kaigedian.NewTransactionID(), kaigedian.RefundOperationRequest{OrderCode: "N1", Action: 1})
	if platformCode(err) != "500" || !strings.Contains(err.Error(), "没有待处理的退款申请") {
		t.Fatalf("refundOperation without a request: %v", err)
	}
	if err := op("N1", 31, nil); err != nil {
		t.Fatal(err)
	}
	if err := op("N1", 5, nil); err != nil {
		t.Fatal(err)
	}

	mk("D1", order.TypeDelivery)
	_ = op("D1", 3, nil)
	// deliveryInfo is checked by the client; the platform refuses it too.
	r.post(t, kaigedian.PathStatusOperation, `{"orderCode":"D1","orderStatus":"4"}`, "tx-d1-4")
	if snap, _ := r.p.Order("D1"); snap.PlatformStatus != 3 {
		t.Fatalf("4 without deliveryInfo must be refused, status %d", snap.PlatformStatus)
	}
	if err := op("D1", 4, rider); err != nil {
		t.Fatal(err)
	}
	err = r.client.Cancel(ctx, kaigedian.NewTransactionID(), kaigedian.CancelRequest{OrderCode: "D1", Reason: "客诉"})
	if platformCode(err) != "500" || !strings.Contains(err.Error(), "配送中") {
		t.Fatalf("cancel while delivering: %v", err)
	}
	if resp := r.post(t, kaigedian.PathCancel, `{"orderCode":"D1","reason":""}`, "tx-noreason"); resp.Code != "21" {
		t.Fatalf("cancel without reason: %s", resp.Code)
	}
	if err := op("D1", 5, nil); err != nil {
		t.Fatal(err)
	}
	if err := r.client.Cancel(ctx, kaigedian.NewTransactionID(), kaigedian.CancelRequest{OrderCode: "D1", Reason: "客诉退款"}); err != nil {
		t.Fatalf("after-sales cancel of a completed order: %v", err)
	}
	if err := r.client.Cancel(ctx, kaigedian.NewTransactionID(), kaigedian.CancelRequest{OrderCode: "D1", Reason: "again"}); platformCode(err) != "500" {
		t.Fatalf("cancelling twice: %v", err)
	}
	if err := op("nope", 3, nil); platformCode(err) != "500" {
		t.Fatalf("unknown order: %v", err)
	}

	// Refund flow: request, refuse, request again, agree.
	mk("R1", order.TypeDineIn)
	_ = op("R1", 3, nil)
	if err := r.p.RequestRefund("R1", "点错了"); err != nil {
		t.Fatal(err)
	}
	if err := op("R1", 31, nil); platformCode(err) != "500" {
		t.Fatalf("making an order with a pending refund request: %v", err)
	}
	if err := r.client.RefundOperation(ctx, kaigedian.NewTransactionID(), kaigedian.RefundOperationRequest{OrderCode: "R1", Action: 2, Reason: "已制作"}); err != nil {
		t.Fatal(err)
	}
	if snap, _ := r.p.Order("R1"); snap.RefundStatus != 3 || snap.PlatformStatus != 3 {
		t.Fatalf("refused refund: %+v", snap)
	}
	_ = r.p.RequestRefund("R1", "还是不要了")
	if err := r.p.WithdrawRefund("R1"); err != nil {
		t.Fatal(err)
	}
	_ = r.p.RequestRefund("R1", "真的不要了")
	if err := r.client.RefundOperation(ctx, kaigedian.NewTransactionID(), kaigedian.RefundOperationRequest{OrderCode: "R1", Action: 1}); err != nil {
		t.Fatal(err)
	}
	snap, _ := r.p.Order("R1")
	if snap.RefundStatus != 5 || snap.PlatformStatus != 6 {
		t.Fatalf("agreed refund: %+v", snap)
	}
	// queryRefundOrders sees the finished refund, by refund update time.
	res, err := r.client.QueryRefundOrders(ctx, kaigedian.RefundQueryRequest{StoreID: snap.Order.StoreID, Statuses: []int{5}})
	if err != nil || len(res.Items) != 1 || res.Items[0] != (kaigedian.RefundItem{Code: "R1", RefundStatus: 5}) {
		t.Fatalf("queryRefundOrders: %+v %v", res, err)
	}
}

func TestRepeatedTransactionIDIsIdempotent(t *testing.T) {
	r := newRig(t, nil)
	ctx := t.Context()
	r.p.NewOrder(fake.OrderSpec{Code: "I1", NoPush: true})
	req := kaigedian.StatusOperationRequest{OrderCode: "I1", OrderStatus: 3}
	if err := r.client.StatusOperation(ctx, "tx-accept-I1", req); err != nil {
		t.Fatal(err)
	}
	if err := r.client.StatusOperation(ctx, "tx-accept-I1", req); err != nil {
		t.Fatalf("the same transaction again must answer the first result: %v", err)
	}
	snap, _ := r.p.Order("I1")
	if len(snap.Operations) != 1 || snap.Operations[0].TransactionID != "tx-accept-I1" {
		t.Fatalf("applied once with its tx id: %+v", snap.Operations)
	}
	calls := r.p.CallsTo("statusOperation")
	if len(calls) != 2 || calls[0].Replayed || !calls[1].Replayed {
		t.Fatalf("calls: %+v", calls)
	}

	// Applied, then the reply is lost: a retry with the same id succeeds
	// without applying twice.
	r.p.NewOrder(fake.OrderSpec{Code: "I2", NoPush: true})
	r.p.SetFault("statusOperation", fake.Fault{Kind: fake.FaultHTTP500, AfterApply: true, Times: 1})
	req.OrderCode = "I2"
	if err := r.client.StatusOperation(ctx, "tx-accept-I2", req); err == nil {
		t.Fatal("the lost reply must surface as an error")
	}
	if err := r.client.StatusOperation(ctx, "tx-accept-I2", req); err != nil {
		t.Fatalf("retry with the same id: %v", err)
	}
	if snap, _ := r.p.Order("I2"); len(snap.Operations) != 1 || snap.PlatformStatus != 3 {
		t.Fatalf("applied exactly once: %+v", snap)
	}
	// A new id for the same change is a new request: the state machine refuses it.
	if err := r.client.StatusOperation(ctx, "tx-accept-I2-again", req); platformCode(err) != "500" {
		t.Fatalf("a second accept under a new id: %v", err)
	}
}

func TestSeedCommandExamplesWithDuplicateKeys(t *testing.T) {
	r := newRig(t, nil)
	r.p.NewOrder(fake.OrderSpec{Code: "12354545", NoPush: true})
	accept := readFixture(t, "seed001-order-2019-07-10-059e0d7/11-statusOperation.request-body-accept.json")
	if resp := r.post(t, kaigedian.PathStatusOperation, accept, "tx-seed-accept"); !resp.OK() {
		t.Fatalf("seed accept example: %s %s", resp.Code, resp.Message)
	}
	r.p.NewOrder(fake.OrderSpec{Code: "12354545", NoPush: true}) // fresh, status 1
	reject := readFixture(t, "seed001-order-2019-07-10-059e0d7/12-statusOperation.request-body-reject.json")
	if resp := r.post(t, kaigedian.PathStatusOperation, reject, "tx-seed-reject"); !resp.OK() {
		t.Fatalf("seed reject example: %s %s", resp.Code, resp.Message)
	}
	snap, _ := r.p.Order("12354545")
	if snap.PlatformStatus != 7 || snap.Operations[0].Reason != "超出配送返回" || snap.Operations[0].Operator != "MRX" {
		t.Fatalf("the second orderStatus is the reject reason: %+v", snap)
	}
}

func TestGeneratedOrdersAreRealistic(t *testing.T) {
	r := newRig(t, func(o *fake.Options) { o.Seed = 42 })
	orders := r.p.Generate(300, fake.OrderSpec{NoPush: true})
	seen := map[string]bool{}
	var types = map[order.Type]int{}
	var setMeals, materials, multiCup, emoji, rare, discounts, tea, food int
	for _, o := range orders {
		if seen[o.Code] || len(o.Code) != 23 {
			t.Fatalf("codes must be unique 23-digit numbers: %q", o.Code)
		}
		seen[o.Code] = true
		types[o.Type]++
		if o.ActualPay != o.Original-o.Discount || o.ActualPay <= 0 {
			t.Fatalf("%s: pay %v original %v discount %v", o.Code, o.ActualPay, o.Original, o.Discount)
		}
		var shared order.Fen
		for _, it := range o.Items {
			shared += it.SharePrice
			if it.Quantity < 1 || it.Price <= 0 || it.Name == "" {
				t.Fatalf("%s: bad item %+v", o.Code, it)
			}
			if it.ProductType == 6 {
				setMeals++
				var sum order.Fen
				for _, c := range it.Children {
					sum += c.Price
					if c.ParentProductID != it.ProductID {
						t.Fatalf("child without parent id: %+v", c)
					}
				}
				if len(it.Children) != 3 || sum != it.Price {
					t.Fatalf("set meal parts must add up: %+v", it)
				}
				food++
			}
			if len(it.Materials) > 0 {
				materials++
			}
			if strings.Contains(it.Unit, "杯") {
				tea++
				if it.Quantity > 1 {
					multiCup++
				}
			}
		}
		if shared != o.Discount {
			t.Fatalf("%s: shared %v != discount %v", o.Code, shared, o.Discount)
		}
		if o.Discount > 0 {
			discounts++
		}
		if o.Type.IsDelivery() && (o.Address == "" || o.DeliverFee == 0 || len(o.Deliveries) != 1) {
			t.Fatalf("delivery order without address or fee: %+v", o)
		}
		if (o.Type == order.TypeDineIn) != (o.Table != "") && o.Type != order.TypeDineInReserved {
			t.Fatalf("only dine-in orders have a table: %+v", o)
		}
		if o.Type.IsReserved() && o.ExpectAt.IsZero() {
			t.Fatalf("reserved order without a time: %+v", o)
		}
		emoji += strings.Count(o.Note, "🌶") + strings.Count(o.Note, "🎂")
		rare += strings.Count(o.Note, "𠮷")
		if o.PickupNo == "" || o.Mobile == "" {
			t.Fatalf("pickup number and phone: %+v", o)
		}
	}
	for _, typ := range []order.Type{1, 2, 3, 4, 5, 6} {
		if types[typ] == 0 {
			t.Errorf("no order of type %d in 300", typ)
		}
	}
	if setMeals == 0 || materials == 0 || multiCup == 0 || emoji == 0 || rare == 0 || discounts == 0 || tea == 0 || food == 0 {
		t.Errorf("variety: set meals %d, add-ons %d, multi-cup %d, emoji %d, 𠮷 %d, discounts %d",
			setMeals, materials, multiCup, emoji, rare, discounts)
	}
	// Same seed, same stream.
	again := newRig(t, func(o *fake.Options) { o.Seed = 42; o.Now = nil })
	first := again.p.Generate(1, fake.OrderSpec{NoPush: true})[0]
	if first.Items[0].Name != orders[0].Items[0].Name || first.Note != orders[0].Note {
		t.Errorf("a seed must reproduce the content")
	}
}

func TestRunProducesCancelsAndRefunds(t *testing.T) {
	r := newRig(t, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- r.p.Run(ctx, fake.GeneratorOptions{Rate: 500, Steady: true, Max: 40, CancelRatio: 0.5,
			RefundRatio: 0.5, CancelAfter: 20 * time.Millisecond, RefundAfter: 40 * time.Millisecond,
			Spec: fake.OrderSpec{NoPush: true}})
	}()
	// Accept every order as it comes, as a store would.
	deadline := time.Now().Add(4 * time.Second)
	var cancelled, refunds int
	for time.Now().Before(deadline) {
		cancelled, refunds = 0, 0
		for _, o := range r.p.Orders() {
			switch {
			case o.PlatformStatus == kaigedian.PlatformCancelled && o.CancelType == 2:
				cancelled++
			case o.RefundStatus == 1:
				refunds++
			case o.PlatformStatus == kaigedian.PlatformNew:
				_ = r.client.StatusOperation(ctx, kaigedian.NewTransactionID(),
					kaigedian.StatusOperationRequest{OrderCode: o.Order.Code, OrderStatus: 3})
			}
		}
		if cancelled > 0 && refunds > 0 && len(r.p.Orders()) == 40 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(r.p.Orders()) != 40 || cancelled == 0 || refunds == 0 {
		t.Fatalf("orders %d, user cancels %d, refund requests %d", len(r.p.Orders()), cancelled, refunds)
	}
}

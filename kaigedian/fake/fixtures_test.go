package fake_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
)

const fixtureDir = "../../testdata/kaigedian"

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// requestBody returns the business JSON of a request example: the file
// itself, or the requestBody string of an envelope example.
func requestBody(t *testing.T, raw string) string {
	t.Helper()
	in, err := kaigedian.ParseIncoming([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if in.HasBody {
		if in.Params["partnerId"] == "" || in.Params["ver"] != "1" || in.Sign == "" {
			t.Fatalf("envelope fields: %v", in.Params)
		}
		return string(in.Body)
	}
	return raw
}

// Every request example of the documents, sent verbatim (re-signed, since
// the examples carry a "<sign>" placeholder) to the fake platform, which
// reads requests like the platform: what it answers and applies is checked.
func TestRequestFixturesThroughThePlatform(t *testing.T) {
	type check func(t *testing.T, r *rig, resp *kaigedian.Response)
	seedCodes := func(r *rig) {
		for _, code := range []string{"12354545", "142858598583644715", "34353"} {
			r.p.NewOrder(fake.OrderSpec{Code: code, NoPush: true})
		}
		// The 围餐 examples' order.
		r.p.NewOrder(fake.OrderSpec{Code: "342354324424", Channel: kaigedian.OrderClientTableDining, Type: 1, NoPush: true})
	}
	status := func(code string, want int) check {
		return func(t *testing.T, r *rig, resp *kaigedian.Response) {
			if snap, _ := r.p.Order(code); snap.PlatformStatus != want {
				t.Fatalf("order %s status %d, want %d (%s %s)", code, snap.PlatformStatus, want, resp.Code, resp.Message)
			}
		}
	}
	code := func(want string) check {
		return func(t *testing.T, r *rig, resp *kaigedian.Response) {
			if resp.Code != want {
				t.Fatalf("code %s (%s), want %s", resp.Code, resp.Message, want)
			}
		}
	}
	noRefund := func(t *testing.T, _ *rig, resp *kaigedian.Response) {
		if resp.Code != "500" || !strings.Contains(resp.Message, "没有待处理的退款申请") {
			t.Fatalf("%s %s", resp.Code, resp.Message)
		}
	}
	checks := map[string][]check{
		// Written before deliverAmount/discountAmount were required.
		"seed001-order-2019-07-10-059e0d7/01-submit.request-body.json": {func(t *testing.T, _ *rig, resp *kaigedian.Response) {
			if resp.Code != "21" || !strings.Contains(resp.Message, "deliverAmount") || !strings.Contains(resp.Message, "discountAmount") {
				t.Fatalf("%s %s", resp.Code, resp.Message)
			}
		}},
		"order-2020-12-08-28bd2c4/01-submit.request.json": {code("21")},
		"seed001-order-2019-07-10-059e0d7/03-batchQuery.request-body.json": {code("100"), func(t *testing.T, r *rig, resp *kaigedian.Response) {
			res, err := kaigedian.DecodeBatchQueryBody(resp.Body)
			if err != nil || res.Count != 5 || res.Total != 0 {
				t.Fatalf("count 5 echoed, 2019 window empty: %+v %v", res, err)
			}
		}},
		"order-2020-12-08-28bd2c4/03-batchQuery.request.json": {code("100")},
		"order-2020-12-08-28bd2c4/05-historyOrders.request.json": {code("100"), func(t *testing.T, r *rig, resp *kaigedian.Response) {
			if res, err := kaigedian.DecodeHistoryBody(resp.Body); err != nil || res.Total != 0 {
				t.Fatalf("%+v %v", res, err)
			}
		}},
		"seed001-order-2019-07-10-059e0d7/05-queryDetail.request-body.json": {code("100"), func(t *testing.T, r *rig, resp *kaigedian.Response) {
			ds, err := kaigedian.DecodeDetailBody(resp.Body)
			if err != nil || len(ds) != 1 || ds[0].Order.Code != "142858598583644715" {
				t.Fatalf("%+v %v", ds, err)
			}
		}},
		"order-2020-12-08-28bd2c4/07-queryDetail.request.json":                    {code("100")},
		"seed001-order-2019-07-10-059e0d7/07-queryRefundOrders.request-body.json": {code("100")},
		"order-2020-12-08-28bd2c4/09-queryRefundOrders.request.json":              {code("100")},
		"seed001-order-2019-07-10-059e0d7/09-batchOrderStatus.request-body.json": {code("100"), func(t *testing.T, r *rig, resp *kaigedian.Response) {
			st, err := kaigedian.DecodeOrderStatusBody(resp.Body)
			if err != nil || len(st) != 2 || st[0].Code != "12354545" || st[1].Code != "34353" || st[1].Raw != "1" {
				t.Fatalf("%+v %v", st, err)
			}
		}},
		"order-2020-12-08-28bd2c4/11-batchOrderStatus.request.json":                    {code("100")},
		"seed001-order-2019-07-10-059e0d7/11-statusOperation.request-body-accept.json": {code("100"), status("12354545", 3)},
		"seed001-order-2019-07-10-059e0d7/12-statusOperation.request-body-reject.json": {code("100"), status("12354545", 7)},
		"order-2020-12-08-28bd2c4/13-statusOperation.request-accept.json":              {code("100"), status("12354545", 3)},
		"order-2020-12-08-28bd2c4/14-statusOperation.request-reject.json": {code("100"), status("12354545", 7), func(t *testing.T, r *rig, _ *kaigedian.Response) {
			if snap, _ := r.p.Order("12354545"); snap.CancelReason != "超出配送返回" {
				t.Fatalf("reason %q", snap.CancelReason)
			}
		}},
		// No refund was requested: the state machine refuses, after reading
		// orderCodes and the action "1" given as a string.
		"seed001-order-2019-07-10-059e0d7/14-refundOperation.request-body.json": {noRefund},
		"order-2020-12-08-28bd2c4/16-refundOperation.request.json":              {noRefund},
		// reason is required and the examples leave it empty.
		"seed001-order-2019-07-10-059e0d7/16-cancel.request-body.json": {func(t *testing.T, _ *rig, resp *kaigedian.Response) {
			if resp.Code != "21" || !strings.Contains(resp.Message, "reason") {
				t.Fatalf("%s %s", resp.Code, resp.Message)
			}
		}},
		"order-2020-12-08-28bd2c4/18-cancel.request.json": {code("21")},
		// The example's shape (products[] with customerCode, no unit or
		// productType) is read: the line's product id and weight land.
		"order-2020-12-08-28bd2c4/29-updateOrderItem.request.json": {code("100"), func(t *testing.T, r *rig, _ *kaigedian.Response) {
			snap, _ := r.p.Order("342354324424")
			if len(snap.Order.Items) != 1 || snap.Order.Items[0].ProductID != "1" || snap.Order.Items[0].WeightGrams != 10 {
				t.Fatalf("lines after updateOrderItem: %+v", snap.Order.Items)
			}
		}},
		// The example's store 1000189 is not the rig's: every code fails,
		// which is what a store sees when its codes are wrong.
		"goods-2020-09-15-bcbab52/01-sellOutByCustomerCode.request.json":       {code("500")},
		"goods-2020-09-15-bcbab52/03-cancelSellOutByCustomerCode.request.json": {code("500")},
		// Single-quoted pseudo-JSON, read; store 001 is unknown to the rig.
		"store-2020-09-16-14cbb06/01-setStoreStatus.request.json": {func(t *testing.T, _ *rig, resp *kaigedian.Response) {
			if resp.Code != "500" || resp.Message != "门店不存在" {
				t.Fatalf("%s %s", resp.Code, resp.Message)
			}
		}},
	}
	seen := map[string]bool{}
	err := filepath.WalkDir(fixtureDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(filepath.Base(path), ".request") {
			return err
		}
		rel, _ := filepath.Rel(fixtureDir, path)
		rel = filepath.ToSlash(rel)
		seen[rel] = true
		cs, ok := checks[rel]
		if !ok {
			t.Errorf("%s has no assertions", rel)
			return nil
		}
		t.Run(rel, func(t *testing.T) {
			r := newRig(t, nil)
			seedCodes(r)
			name := strings.SplitN(strings.SplitN(filepath.Base(rel), "-", 2)[1], ".", 2)[0]
			endpoint := "/order/" + name
			switch {
			case strings.HasPrefix(rel, "goods-"):
				endpoint = "/goods/skuItem/" + name
			case strings.HasPrefix(rel, "store-"):
				endpoint = "/store/" + name
			}
			resp := r.post(t, endpoint, requestBody(t, readFixture(t, rel)), "tx-"+rel)
			for _, c := range cs {
				c(t, r, resp)
			}
			calls := r.p.Calls()
			if last := calls[len(calls)-1]; !last.SignVerified || last.Body == nil {
				t.Fatalf("the platform must have verified and read the request: %+v", last)
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range checks {
		if !seen[name] {
			t.Errorf("fixture %s is missing", name)
		}
	}
}

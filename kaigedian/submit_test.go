package kaigedian

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/order"
)

func validSubmit() SubmitRequest {
	return SubmitRequest{
		StoreID: "1862", StoreName: "南翔一店", ActualPayAmount: 2000, OriginalAmount: 2500,
		DiscountAmount: 500, CanRefund: true, OrderClient: 15, OrderStatus: 5, OrderType: 1,
		PayType: 2, PayTime: "2024-05-01 12:30:00", UserID: "u1", NeedBonus: 0,
		Items: []SubmitItem{{ProductSeq: 1, ProductID: "p1", ProductName: "珍珠奶茶", ProductPrice: 1250, ProductQuantity: 2}},
	}
}

func fieldNames(fs []FieldError) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Field)
	}
	return out
}

func TestValidateSubmit(t *testing.T) {
	if p := ValidateSubmit(validSubmit()); len(p) != 0 {
		t.Fatalf("a valid request: %v", p)
	}
	bad := validSubmit()
	bad.StoreName = ""
	bad.OrderType = 9
	bad.OrderStatus = 99
	bad.NeedBonus = 2
	bad.PayTime = "12545445"
	bad.ActualPayAmount = -1
	bad.Items = append(bad.Items, SubmitItem{ProductSeq: 0, ProductQuantity: 0})
	got := fieldNames(ValidateSubmit(bad))
	for _, want := range []string{"storeName", "orderType", "orderStatus", "needBonus", "payTime", "actualPayAmount",
		"orderItemList[1].productSeq", "orderItemList[1].productId", "orderItemList[1].productName", "orderItemList[1].productQuantity"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing problem %s in %v", want, got)
		}
	}
	empty := SubmitRequest{}
	if got := fieldNames(ValidateSubmit(empty)); !slices.Contains(got, "orderItemList") || !slices.Contains(got, "userId") {
		t.Errorf("an empty request lists its gaps: %v", got)
	}
}

// The seed's own submit example: duplicate actualPayAmount ("1889943343"
// then 2000, Go keeps the last), the old item names, and the fields added
// to the table later (deliverAmount, discountAmount) missing, which is
// fine (issue 13 item 8). What is refused is its arithmetic (2500 original,
// items 2000, no discount) and its junk payTime.
func TestDecodeSubmitRequestSeedExample(t *testing.T) {
	raw, err := os.ReadFile(fixtureDir + "/seed001-order-2019-07-10-059e0d7/01-submit.request-body.json")
	if err != nil {
		t.Fatal(err)
	}
	req, problems := DecodeSubmitRequest(raw)
	if req.ActualPayAmount != 2000 || req.StoreName != "开个店徐汇店" || req.NeedBonus != 1 {
		t.Errorf("decoded %+v", req)
	}
	it := req.Items[0]
	if it.ProductUnit != "杯" || it.ProductSharePrice != order.Fen(1800) || it.Weight != 1500 || it.ProductSpecName != "大杯" {
		t.Errorf("item %+v", it)
	}
	got := fieldNames(problems)
	want := []string{"payTime", "originalAmount", "actualPayAmount"}
	if !slices.Equal(got, want) {
		t.Errorf("problems %v, want %v", problems, want)
	}
}

func TestDecodeSubmitRequestTypes(t *testing.T) {
	_, problems := DecodeSubmitRequest([]byte(`{"storeId":"1","storeName":"s","actualPayAmount":"abc","originalAmount":"",
		"deliverAmount":0,"discountAmount":0,"canRefund":false,"orderClient":15,"orderStatus":5,"orderType":1,"userId":"u",
		"needBonus":0,"orderItemList":[{"productSeq":1,"productId":"p","productName":"n","productPrice":{"x":1}}]}`))
	got := fieldNames(problems)
	for _, want := range []string{"actualPayAmount", "originalAmount", "orderItemList[0].productQuantity"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %s in %v", want, problems)
		}
	}
	if _, problems := DecodeSubmitRequest([]byte(`not json`)); len(problems) != 1 || problems[0].Field != "body" {
		t.Errorf("not JSON: %v", problems)
	}
}

// Issue 13 item 8: seed 001's shape — no deliverAmount or discountAmount,
// the unit as productWeightUnit — is accepted when its amounts add up, and
// goes out with both amounts as 0 and the unit under both names.
func TestSeedShapedSubmitIsAccepted(t *testing.T) {
	raw, err := os.ReadFile(fixtureDir + "/seed001-order-2019-07-10-059e0d7/01-submit.request-body.json")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(raw), `"originalAmount": 2500`, `"originalAmount": 2000`, 1)
	body = strings.Replace(body, `"payTime": "12545445"`, `"payTime": "2019-07-10 12:30:00"`, 1)
	req, problems := DecodeSubmitRequest([]byte(body))
	if len(problems) != 0 {
		t.Fatalf("the seed's shape with amounts that add up: %v", problems)
	}
	wire, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	var sent map[string]any
	_ = json.Unmarshal(wire, &sent)
	if sent["deliverAmount"] != float64(0) || sent["discountAmount"] != float64(0) {
		t.Errorf("deliverAmount and discountAmount are sent as 0: %s", wire)
	}
	line := sent["orderItemList"].([]any)[0].(map[string]any)
	if line["productUnit"] != "杯" || line["productWeightUnit"] != "杯" {
		t.Errorf("the unit goes under both names: %v", line)
	}
	// productUnit (the newer name) is read the same way.
	_, problems = DecodeSubmitRequest([]byte(strings.Replace(body, `"productWeightUnit"`, `"productUnit"`, 1)))
	if len(problems) != 0 {
		t.Fatalf("productUnit: %v", problems)
	}
}

// The checks that protect money stay: amounts that do not add up are
// refused, naming the fields.
func TestSubmitTotalsMustAddUp(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(*SubmitRequest)
		want []string
	}{
		"items short of the original": {func(r *SubmitRequest) { r.Items[0].ProductQuantity = 1 }, []string{"originalAmount"}},
		"paid more than due":          {func(r *SubmitRequest) { r.ActualPayAmount = 2100 }, []string{"actualPayAmount"}},
		"delivery counted":            {func(r *SubmitRequest) { r.DeliverAmount = 500; r.ActualPayAmount = 2500 }, nil},
		"payments short":              {func(r *SubmitRequest) { r.PayList = []SubmitPay{{PayAmount: "1500"}, {PayAmount: "400"}} }, []string{"payList"}},
		"payments that add up":        {func(r *SubmitRequest) { r.PayList = []SubmitPay{{PayAmount: "1500"}, {PayAmount: "500"}} }, nil},
	} {
		req := validSubmit()
		tc.edit(&req)
		if got := fieldNames(ValidateSubmit(req)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: problems %v, want %v", name, got, tc.want)
		}
	}
}

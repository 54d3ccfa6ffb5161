package bridge_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
)

func posOrder(third string, amount int) []byte {
	o := map[string]any{
		"storeId": "1862", "storeName": "南翔一店", "actualPayAmount": amount, "originalAmount": amount,
		"canRefund": false, "orderClient": 15, "orderStatus": 5, "orderType": 1, "userId": "u1", "needBonus": 1,
		"orderItemList": []map[string]any{{"productSeq": 1, "productId": "p1", "productName": "珍珠奶茶", "productPrice": amount, "productQuantity": 1}},
	}
	if third != "" {
		o["thirdOrderCode"] = third
	}
	b, _ := json.Marshal(o)
	return b
}

// Issue 13 item 7: the same POS order handed in twice is uploaded once —
// by its thirdOrderCode, or by the Idempotency-Key a tool sends — and a
// retry after a lost reply finds the order on the platform instead of
// uploading it again.
func TestPOSOrderIsUploadedOnce(t *testing.T) {
	env := start(t, harness.Options{NoPrinters: true})
	type answer struct {
		ID        int64  `json:"id"`
		State     string `json:"state"`
		OrderCode string `json:"order_code"`
		Duplicate bool   `json:"duplicate"`
		Error     string `json:"error"`
	}
	submit := func(body []byte, key string) (int, answer) {
		t.Helper()
		var a answer
		var headers []string
		if key != "" {
			headers = []string{"Idempotency-Key", key}
		}
		s, err := env.APIRaw("POST", "/api/pos/orders", body, &a, headers...)
		must(t, err)
		return s, a
	}
	doneOf := func(id int64) answer {
		t.Helper()
		var a answer
		if !harness.WaitFor(15*time.Second, func() bool {
			env.API("GET", fmt.Sprintf("/api/pos/orders/%d", id), nil, &a)
			return a.State == "done"
		}) {
			t.Fatalf("offline order %d not uploaded: %+v", id, a)
		}
		return a
	}
	onPlatform := func(third string) int {
		n := 0
		for _, s := range env.Fake.Orders() {
			if s.Order.ThirdCode == third {
				n++
			}
		}
		return n
	}

	s1, first := submit(posOrder("POS-0001", 1500), "")
	s2, again := submit(posOrder("POS-0001", 1500), "")
	if s1 != 202 || s2 != 200 || !again.Duplicate || again.ID != first.ID {
		t.Fatalf("the same thirdOrderCode twice: %d %+v, then %d %+v", s1, first, s2, again)
	}
	doneOf(first.ID)
	if s, a := submit(posOrder("POS-0001", 1800), ""); s != 422 || a.Error == "" {
		t.Fatalf("another order under the same thirdOrderCode: %d %+v", s, a)
	}

	k1, keyed := submit(posOrder("", 2000), "till-7:42")
	k2, keyedAgain := submit(posOrder("", 2000), "till-7:42")
	if k1 != 202 || k2 != 200 || keyedAgain.ID != keyed.ID {
		t.Fatalf("the same Idempotency-Key twice: %d %+v, then %d %+v", k1, keyed, k2, keyedAgain)
	}
	if s, _ := submit(posOrder("", 2600), "till-7:42"); s != 422 {
		t.Fatalf("another order under the same Idempotency-Key: %d", s)
	}
	done := doneOf(keyed.ID)
	var state struct {
		Third string `json:"third_order_code"`
	}
	env.API("GET", fmt.Sprintf("/api/pos/orders/%d", keyed.ID), nil, &state)
	if done.OrderCode == "" || state.Third == "" || onPlatform(state.Third) != 1 {
		t.Fatalf("the keyed order on the platform: %+v, third %q, %d orders", done, state.Third, onPlatform(state.Third))
	}

	// The platform takes the upload and the reply is lost.
	env.Fake.SetFault("submit", fake.Fault{Kind: fake.FaultHTTP500, AfterApply: true, Times: 1})
	_, lost := submit(posOrder("POS-0002", 990), "")
	got := doneOf(lost.ID)
	if got.OrderCode == "" {
		t.Fatalf("the order the platform took has no code: %+v", got)
	}
	if n := onPlatform("POS-0002"); n != 1 {
		t.Fatalf("a retry after a lost reply uploaded the order %d times", n)
	}
	if n := onPlatform("POS-0001"); n != 1 {
		t.Fatalf("POS-0001 is on the platform %d times", n)
	}
}

package bridge_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
)

// Issue 13 item 8, end to end: seed 001's own /order/submit example goes to
// the platform once its amounts add up — deliverAmount and discountAmount
// sent as 0, the unit under productUnit and productWeightUnit — and the
// example as printed is refused for its arithmetic only.
func TestSeedSubmitExampleThroughTheAPI(t *testing.T) {
	env := start(t, harness.Options{NoPrinters: true})
	raw, err := os.ReadFile("../testdata/kaigedian/seed001-order-2019-07-10-059e0d7/01-submit.request-body.json")
	must(t, err)
	var bad struct {
		Problems []struct {
			Field   string `json:"field"`
			Problem string `json:"problem"`
		} `json:"problems"`
	}
	s, err := env.APIRaw("POST", "/api/pos/orders", raw, &bad)
	must(t, err)
	var fields []string
	for _, p := range bad.Problems {
		fields = append(fields, p.Field)
	}
	if s != 400 || !slices.Contains(fields, "originalAmount") || !slices.Contains(fields, "actualPayAmount") ||
		slices.Contains(fields, "deliverAmount") || slices.Contains(fields, "discountAmount") {
		t.Fatalf("the seed example as printed: %d %+v", s, bad)
	}

	body := strings.Replace(string(raw), `"originalAmount": 2500`, `"originalAmount": 2000`, 1)
	body = strings.Replace(body, `"payTime": "12545445"`, `"payTime": "2019-07-10 12:30:00"`, 1)
	body = strings.Replace(body, `"storeId": "10001"`, `"storeId": "1862"`, 1)
	var acc struct {
		ID int64 `json:"id"`
	}
	if s, err := env.APIRaw("POST", "/api/pos/orders", []byte(body), &acc); err != nil || s != 202 {
		t.Fatalf("the seed's shape: %d %v", s, err)
	}
	var st struct {
		State string `json:"state"`
	}
	if !harness.WaitFor(10*time.Second, func() bool {
		env.API("GET", fmt.Sprintf("/api/pos/orders/%d", acc.ID), nil, &st)
		return st.State == "done"
	}) {
		t.Fatalf("not submitted: %+v", st)
	}
	calls := env.Fake.CallsTo("submit")
	if len(calls) != 1 || calls[0].Code != "100" {
		t.Fatalf("submit calls: %+v", calls)
	}
	sent := calls[0].Body
	line := sent["orderItemList"].([]any)[0].(map[string]any)
	if sent["deliverAmount"] != float64(0) || sent["discountAmount"] != float64(0) || line["productUnit"] != "杯" || line["productWeightUnit"] != "杯" {
		t.Fatalf("sent %v", sent)
	}
}

package console_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

var (
	looksLikeTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT`)
	apiTime       = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?\+08:00$`)
)

// timesIn collects every string of a JSON document that is a timestamp.
func timesIn(v any, path string, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			timesIn(val, path+"."+k, out)
		}
	case []any:
		for i, val := range t {
			timesIn(val, fmt.Sprintf("%s[%d]", path, i), out)
		}
	case string:
		if looksLikeTime.MatchString(t) {
			out[path] = t
		}
	}
}

// Every time the console API and the event stream send is RFC 3339 in the
// store's zone (+08:00), to the millisecond at most — the README's promise,
// not UTC with nanoseconds.
func TestAPITimesAreRFC3339InTheStoreZone(t *testing.T) {
	env := startEnv(t, harness.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", env.ConsoleURL+"/api/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan string, 256)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "data: ") {
				events <- strings.TrimPrefix(line, "data: ")
			}
		}
		close(events)
	}()

	o := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypePickup})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := env.WaitJobsDone(o.Code, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	// Printers report a status (checked_at) and the platform a success.
	if !harness.WaitFor(10*time.Second, func() bool {
		return !env.Daemon.Bridge.Health().LastPlatformOK.IsZero() && env.Daemon.Fleet.Status()[0].CheckedAt.Unix() > 0
	}) {
		t.Fatal("no platform answer or printer status yet")
	}

	check := func(what string, doc any, atLeast int) {
		t.Helper()
		found := map[string]string{}
		timesIn(doc, "", found)
		for path, v := range found {
			if !apiTime.MatchString(v) {
				t.Errorf("%s%s = %q: want RFC 3339 with +08:00, at most milliseconds", what, path, v)
			}
		}
		if len(found) < atLeast {
			t.Errorf("%s: %d times, want at least %d: %v", what, len(found), atLeast, doc)
		}
	}
	for _, c := range []struct {
		path    string
		atLeast int
	}{
		{"/api/orders", 3}, {"/api/orders/" + o.Code, 8}, {"/api/platform", 2}, {"/api/printers", 3},
		{"/api/jobs?order=" + o.Code, 3}, {"/api/calls?order=" + o.Code, 2}, {"/api/stats/today", 0},
	} {
		var doc any
		if status, err := env.API("GET", c.path, nil, &doc); err != nil || status != 200 {
			t.Fatalf("GET %s: %d %v", c.path, status, err)
		}
		check("GET "+c.path, doc, c.atLeast)
	}

	seen := 0
	deadline := time.After(10 * time.Second)
	for seen < 5 {
		select {
		case data, ok := <-events:
			if !ok {
				t.Fatal("event stream ended")
			}
			var doc any
			if err := json.Unmarshal([]byte(data), &doc); err != nil {
				t.Fatalf("event %q: %v", data, err)
			}
			check("event", doc, 1)
			seen++
		case <-deadline:
			t.Fatalf("only %d events", seen)
		}
	}
}

// An order's detail always carries printed, history and calls as arrays
// (an order nothing printed for has "printed": [], not no key).
func TestOrderDetailAlwaysHasArrays(t *testing.T) {
	env := startEnv(t, harness.Options{Accept: "mode: manual"})
	o := env.Fake.NewOrder(fake.OrderSpec{})
	if _, err := env.WaitStatus(o.Code, order.StatusNew, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if status, err := env.API("GET", "/api/orders/"+o.Code, nil, &doc); err != nil || status != 200 {
		t.Fatalf("GET order: %d %v", status, err)
	}
	for _, k := range []string{"printed", "history", "calls", "items"} {
		if _, ok := doc[k].([]any); !ok {
			t.Errorf("%s = %#v, want an array", k, doc[k])
		}
	}
}

// Filters refuse what they do not know instead of answering an empty list
// (?state=printed: the state is done).
func TestAPIFiltersRefuseUnknownValues(t *testing.T) {
	env := startEnv(t, harness.Options{NoPrinters: true})
	for _, path := range []string{
		"/api/jobs?state=printed", "/api/jobs?state=done,bogus", "/api/calls?state=sent",
		"/api/orders?status=cooking", "/api/orders?date=yesterday", "/api/orders?limit=ten", "/api/orders?offset=-1",
	} {
		var res struct {
			Error string `json:"error"`
		}
		if status, err := env.API("GET", path, nil, &res); err != nil || status != 400 || res.Error == "" {
			t.Errorf("GET %s: %d %+v %v, want 400 with a reason", path, status, res, err)
		}
	}
	for _, path := range []string{"/api/jobs?state=done,held", "/api/calls?state=pending,failed", "/api/orders?date=all&limit=5&offset=0"} {
		if status, err := env.API("GET", path, nil, nil); err != nil || status != 200 {
			t.Errorf("GET %s: %d %v, want 200", path, status, err)
		}
	}
}

// /api/pos/orders takes the API's snake_case and, as before, the camelCase
// of /order/submit; problems are named the way the caller wrote the body.
func TestPOSOrdersTakeSnakeCase(t *testing.T) {
	env := startEnv(t, harness.Options{NoPrinters: true})
	var bad struct {
		Problems []struct {
			Field string `json:"field"`
		} `json:"problems"`
	}
	if status, _ := env.API("POST", "/api/pos/orders", map[string]any{"store_id": "1862",
		"order_item_list": []map[string]any{{"product_seq": 1}}}, &bad); status != 400 {
		t.Fatalf("incomplete snake_case order: %d", status)
	}
	var fields []string
	for _, p := range bad.Problems {
		fields = append(fields, p.Field)
	}
	for _, f := range []string{"store_name", "actual_pay_amount", "user_id", "order_item_list[0].product_name"} {
		if !slices.Contains(fields, f) {
			t.Errorf("problems %v lack %s", fields, f)
		}
	}
	for _, f := range fields {
		if strings.ContainsAny(f, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Errorf("problem field %q is camelCase in a snake_case request", f)
		}
	}
	good := map[string]any{
		"store_id": "1862", "store_name": "南翔一店", "actual_pay_amount": 2000, "original_amount": 2500, "deliver_amount": 0,
		"discount_amount": 500, "can_refund": false, "order_client": 15, "order_status": 5, "order_type": 1, "user_id": "u1",
		"need_bonus": 1, "order_item_list": []map[string]any{{"product_seq": 1, "product_id": "p1", "product_name": "珍珠奶茶",
			"product_price": 2500, "product_quantity": 1}},
	}
	var acc struct {
		ID int64 `json:"id"`
	}
	if status, _ := env.API("POST", "/api/pos/orders", good, &acc); status != 202 || acc.ID == 0 {
		t.Fatalf("snake_case offline order: %d %+v", status, acc)
	}
	var st struct {
		State     string `json:"state"`
		OrderCode string `json:"order_code"`
	}
	if !harness.WaitFor(10*time.Second, func() bool {
		env.API("GET", fmt.Sprintf("/api/pos/orders/%d", acc.ID), nil, &st)
		return st.State == "done"
	}) {
		t.Fatalf("snake_case offline order not submitted: %+v", st)
	}
	subs := env.Fake.CallsTo("submit")
	if len(subs) == 0 || !strings.Contains(subs[len(subs)-1].RawBody, `"productName":"珍珠奶茶"`) {
		t.Fatalf("the platform did not get the order in its own shape: %+v", subs)
	}
}

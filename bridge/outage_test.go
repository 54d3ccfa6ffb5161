package bridge_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// The platform goes down (500, then hangs, then refuses signatures) while
// orders are accepted and scanned. When it heals, the outbox drains in order
// per order, every attempt went out under a transaction id of its own, and nothing
// was applied twice, even when a reply was lost after the platform applied it.
func TestPlatformOutageThenHeal(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual", ExtraYAML: "scanner:\n  double_scan_window: 50ms\n"})
	var codes []string
	for i := 0; i < 4; i++ {
		o := teaOrder(env, fake.OrderSpec{})
		codes = append(codes, o.Code)
	}
	for _, c := range codes {
		_, err := env.WaitStatus(c, order.StatusNew, 10*time.Second)
		must(t, err)
		if !harness.WaitFor(5*time.Second, func() bool { r, _ := env.Order(c); return r.Decision == "accept" }) {
			t.Fatal("no decision pending")
		}
	}
	faults := []fake.Fault{{Kind: fake.FaultHTTP500}, {Kind: fake.FaultHang}, {Kind: fake.FaultBadSign}, {Kind: fake.FaultMalformed}}
	for i, c := range codes {
		env.Fake.SetFault("*", faults[i%len(faults)])
		var res map[string]any
		if s, _ := env.API("POST", "/api/orders/"+c+"/accept", nil, &res); s != 202 {
			t.Fatalf("accept during the outage: %d %v", s, res)
		}
		time.Sleep(60 * time.Millisecond)
		if s, _ := env.API("POST", "/api/scan", map[string]string{"code": c}, &res); s != 202 {
			t.Fatalf("scan during the outage: %d %v", s, res)
		}
		time.Sleep(60 * time.Millisecond)
		if s, _ := env.API("POST", "/api/scan", map[string]string{"code": c}, &res); s != 202 {
			t.Fatalf("second scan during the outage: %d %v", s, res)
		}
		time.Sleep(300 * time.Millisecond) // let some attempts fail under this fault
	}
	// The console shows the calls that keep failing, with their reason.
	var plat struct {
		Calls []struct {
			State     string `json:"state"`
			LastError string `json:"last_error"`
		} `json:"calls"`
	}
	if s, _ := env.API("GET", "/api/platform", nil, &plat); s != 200 || len(plat.Calls) == 0 {
		t.Fatalf("failing calls not shown: %d %+v", s, plat)
	}
	// Heal, but lose the first replies after applying them.
	env.Fake.ClearFaults()
	env.Fake.SetFault("statusOperation", fake.Fault{Kind: fake.FaultHTTP500, AfterApply: true, Times: 2})
	for _, c := range codes {
		wantOps(t, env, c, "3", "31", "5")
	}
	if !harness.WaitFor(10*time.Second, func() bool {
		st, _ := env.Daemon.DB.OutboxStats(context.Background())
		return st[store.OutboxPending] == 0
	}) {
		t.Fatal("outbox did not drain")
	}
	// Every attempt under a transaction id of its own, each one kept on the
	// outbox row of its transition (issue 13 item 13); a call cut off by a
	// fault before the platform read it has no body, but its id is on a row.
	rows, err := env.Daemon.DB.ListOutbox(context.Background(), store.OutboxFilter{})
	must(t, err)
	rowOf := map[string]*store.OutboxRow{}
	for _, r := range rows {
		for _, id := range r.TxIDs {
			rowOf[id] = r
		}
	}
	seen := map[string]bool{}
	for _, call := range env.Fake.CallsTo("statusOperation") {
		if seen[call.TransactionID] {
			t.Errorf("transaction id %s sent twice", call.TransactionID)
		}
		seen[call.TransactionID] = true
		r := rowOf[call.TransactionID]
		switch {
		case r == nil:
			t.Errorf("transaction %s belongs to no outbox row", call.TransactionID)
		case call.Body != nil && fmt.Sprint(call.Body["orderCode"]) != r.OrderCode:
			t.Errorf("transaction %s of %s's row carried %v", call.TransactionID, r.OrderCode, call.Body["orderCode"])
		}
	}
	if n := len(rows); n != 3*len(codes) {
		t.Errorf("%d outbox rows, want one per transition (%d)", n, 3*len(codes))
	}
}

// The staff accepts an order the customer cancelled meanwhile (the cancel
// push was lost). The platform refuses; the bridge reconciles, marks the
// order cancelled, tells the staff, and prints a cancel slip where the
// accept had already printed.
func TestAcceptRefusedBecauseCancelledMeanwhile(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual"})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusNew, 10*time.Second)
	must(t, err)
	if !harness.WaitFor(5*time.Second, func() bool { r, _ := env.Order(o.Code); return r.Decision == "accept" }) {
		t.Fatal("no decision pending")
	}
	events, stop := env.Daemon.Bridge.Bus().Subscribe()
	defer stop()
	env.Fake.SetPushEnabled(false)
	must(t, env.Fake.CancelByUser(o.Code, "不要了"))
	// The refusal comes back after the receipt printed (the slow case).
	env.Fake.SetFault("statusOperation", fake.Fault{Kind: fake.FaultSlow, Delay: 700 * time.Millisecond})
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/accept", nil, &res); s != 202 {
		t.Fatalf("accept: %d %v", s, res)
	}
	_, err = env.WaitStatus(o.Code, order.StatusCancelled, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if n := env.CountPrinted("front", "取消单"); n != 1 {
		t.Fatalf("cancel slips on the receipt printer: %d", n)
	}
	calls, _ := env.Daemon.DB.ListOutbox(context.Background(), store.OutboxFilter{OrderCode: o.Code})
	if len(calls) != 1 || calls[0].State != store.OutboxMoot {
		t.Fatalf("the refused accept should be moot: %+v", calls)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Type == "alert" && e.Code == o.Code && strings.Contains(e.Message, "取消") {
				return
			}
		case <-deadline:
			t.Fatal("staff were not told that the accept did not go through")
		}
	}
}

// Offline POS orders: validated (a clear 400 listing every problem),
// answered 202 with a local id, submitted with retry, state readable.
func TestPOSSubmit(t *testing.T) {
	env := start(t, harness.Options{NoPrinters: true})
	var bad struct {
		Error    string `json:"error"`
		Problems []struct {
			Field string `json:"field"`
		} `json:"problems"`
	}
	s, err := env.API("POST", "/api/pos/orders", map[string]any{"storeId": "1862"}, &bad)
	must(t, err)
	if s != 400 || len(bad.Problems) < 5 {
		t.Fatalf("invalid offline order: %d %+v", s, bad)
	}
	var fields []string
	for _, p := range bad.Problems {
		fields = append(fields, p.Field)
	}
	for _, f := range []string{"storeName", "actualPayAmount", "orderType", "userId"} {
		if !slices.ContainsFunc(fields, func(x string) bool { return strings.Contains(x, f) }) {
			t.Errorf("problem list lacks %s: %v", f, fields)
		}
	}
	env.Fake.SetFault("submit", fake.Fault{Kind: fake.FaultHTTP500, Times: 2})
	good := map[string]any{
		"storeId": "1862", "storeName": "南翔一店", "actualPayAmount": 2000, "originalAmount": 2500, "deliverAmount": 0,
		"discountAmount": 500, "canRefund": false, "orderClient": 15, "orderStatus": 5, "orderType": 1, "userId": "u1",
		"needBonus": 1, "orderItemList": []map[string]any{{"productSeq": 1, "productId": "p1", "productName": "珍珠奶茶",
			"productPrice": 2500, "productQuantity": 1}},
	}
	var acc struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
	}
	if s, _ := env.API("POST", "/api/pos/orders", good, &acc); s != 202 || acc.ID == 0 {
		t.Fatalf("valid offline order: %d %+v", s, acc)
	}
	var st struct {
		State     string `json:"state"`
		OrderCode string `json:"order_code"`
		Attempts  int    `json:"attempts"`
	}
	if !harness.WaitFor(10*time.Second, func() bool {
		env.API("GET", fmt.Sprintf("/api/pos/orders/%d", acc.ID), nil, &st)
		return st.State == "done"
	}) {
		t.Fatalf("offline order not submitted: %+v", st)
	}
	if st.OrderCode == "" || st.Attempts < 3 {
		t.Fatalf("submitted state: %+v", st)
	}
	if s, _ := env.API("GET", "/api/pos/orders/999999", nil, nil); s != 404 {
		t.Fatalf("unknown offline order: %d", s)
	}
}

// After-sales refunds (/order/cancel) are allowed for accepted, made and
// completed orders and refused locally for new, delivering and cancelled
// ones; the platform's final status decides, and a refund slip follows.
func TestAfterSalesCancel(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual"})
	waiting := teaOrder(env, fake.OrderSpec{})
	done := teaOrder(env, fake.OrderSpec{})
	for _, c := range []string{waiting.Code, done.Code} {
		_, err := env.WaitStatus(c, order.StatusNew, 10*time.Second)
		must(t, err)
		// Staff act on what they see: an order with its items. (Accepted and
		// completed before its detail arrived, it would never print, and no
		// slip would follow.)
		if !harness.WaitFor(10*time.Second, func() bool { r, _ := env.Order(c); return r != nil && r.Detail != nil }) {
			t.Fatalf("no detail for %s", c)
		}
	}
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+waiting.Code+"/cancel", map[string]string{"reason": "客诉"}, &res); s != 409 {
		t.Fatalf("after-sales refund of a new order: %d %v", s, res)
	}
	if s, _ := env.API("POST", "/api/orders/"+done.Code+"/accept", nil, &res); s != 202 {
		t.Fatalf("accept: %d", s)
	}
	if s, _ := env.API("POST", "/api/orders/"+done.Code+"/complete", nil, &res); s != 202 {
		t.Fatalf("complete: %d %v", s, res)
	}
	must(t, env.WaitPlatform(done.Code, kaigedian.PlatformCompleted, 5*time.Second))
	must(t, env.WaitJobsDone(done.Code, 10*time.Second)) // a slip follows only what printed
	if s, _ := env.API("POST", "/api/orders/"+done.Code+"/cancel", map[string]string{}, &res); s != 400 {
		t.Fatalf("after-sales refund without a reason: %d", s)
	}
	if s, _ := env.API("POST", "/api/orders/"+done.Code+"/cancel", map[string]string{"reason": "顾客投诉：饮品洒了"}, &res); s != 202 {
		t.Fatalf("after-sales refund: %d %v", s, res)
	}
	wantOps(t, env, done.Code, "3", "5", "cancel")
	_, err := env.WaitStatus(done.Code, order.StatusRefunded, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(done.Code, 10*time.Second))
	if n := env.CountPrinted("front", "退单"); n != 1 {
		t.Fatalf("refund slips: %d", n)
	}
}

package bridge_test

import (
	"slices"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// Issue 13 item 13: every request carries an x-transaction-id of its own,
// as the platform's general rules say, and all of a call's ids stay on its
// outbox row. A retry is made safe by asking where the order stands first:
// after a lost reply the call is not sent again.
func TestEveryAttemptHasItsOwnTransactionID(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual", NoPrinters: true})
	first := teaOrder(env, fake.OrderSpec{})
	second := teaOrder(env, fake.OrderSpec{})
	for _, o := range []order.Order{first, second} {
		_, err := env.WaitStatus(o.Code, order.StatusNew, 10*time.Second)
		must(t, err)
	}
	rowOf := func(code string) *store.OutboxRow {
		t.Helper()
		var r *store.OutboxRow
		if !harness.WaitFor(15*time.Second, func() bool {
			rows, _ := env.Daemon.DB.ListOutbox(t.Context(), store.OutboxFilter{OrderCode: code})
			if len(rows) == 1 && rows[0].State == store.OutboxDone {
				r = rows[0]
				return true
			}
			return false
		}) {
			t.Fatalf("the accept of %s never finished", code)
		}
		return r
	}

	// Refused twice before the platform applied anything: three attempts,
	// three ids, all on the row, applied once.
	env.Fake.SetFault("statusOperation", fake.Fault{Kind: fake.FaultHTTP500, Times: 2})
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+first.Code+"/accept", nil, &res); s != 202 {
		t.Fatalf("accept: %d %v", s, res)
	}
	r := rowOf(first.Code)
	var sent []string
	for _, c := range env.Fake.CallsTo("statusOperation") {
		if c.Body != nil && c.Body["orderCode"] == first.Code || c.Fault != 0 {
			sent = append(sent, c.TransactionID)
		}
	}
	if len(sent) != 3 || len(slices.Compact(slices.Sorted(slices.Values(sent)))) != 3 || !slices.Equal(r.TxIDs, sent) {
		t.Fatalf("three attempts under %v, the row keeps %v", sent, r.TxIDs)
	}
	wantOps(t, env, first.Code, "3")

	// The platform applied the accept and the reply was lost: the retry
	// reads the order's status, sees it accepted, and sends nothing.
	env.Fake.SetFault("statusOperation", fake.Fault{Kind: fake.FaultHTTP500, Times: 1, AfterApply: true})
	before := len(env.Fake.CallsTo("statusOperation"))
	if s, _ := env.API("POST", "/api/orders/"+second.Code+"/accept", nil, &res); s != 202 {
		t.Fatalf("accept: %d %v", s, res)
	}
	r = rowOf(second.Code)
	if n := len(env.Fake.CallsTo("statusOperation")) - before; n != 1 {
		t.Fatalf("%d statusOperation calls after a lost reply, want the one", n)
	}
	if len(r.TxIDs) != 1 {
		t.Fatalf("the row has ids %v: the call was sent again", r.TxIDs)
	}
	wantOps(t, env, second.Code, "3")
}

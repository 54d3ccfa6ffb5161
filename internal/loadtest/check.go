package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer/fakeprinter"
	"github.com/posbridge/posbridge/store"
)

// CheckInput is what the checker compares: the platform's truth, the
// daemon's database and what reached the printers.
type CheckInput struct {
	Fake     *fake.Platform
	DB       *store.DB
	Config   *config.Config
	Printers map[string]*fakeprinter.Printer
}

// CheckResult is the verdict of the checker.
type CheckResult struct {
	Orders        int      `json:"orders"`         // orders on the platform
	Stored        int      `json:"stored"`         // of them in the database in their final state
	Transitions   int      `json:"transitions"`    // outbox rows that reached the platform
	Jobs          int      `json:"jobs"`           // print jobs printed
	Reprints      int      `json:"reprints"`       // of them printed again with 补打 (in flight at a crash or cut off)
	PartialCopies int      `json:"partial_copies"` // connections cut off mid-job
	Problems      []string `json:"problems"`
}

// OK reports whether the checker found nothing wrong.
func (r CheckResult) OK() bool { return len(r.Problems) == 0 }

func (r *CheckResult) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// Check verifies, after a run or a drill: every order the fake platform
// produced is in the database in its final state; every intended transition
// went out as one outbox row, each attempt under an x-transaction-id of its
// own that the row keeps (no id shared by two attempts or two rows), the
// platform applied each row at most once and ended in the right state;
// every document printed exactly once, except jobs in flight at a crash or
// cut off mid-job, which printed once more with 补打; the outbox is empty.
func Check(ctx context.Context, in CheckInput) (CheckResult, error) {
	var res CheckResult
	snaps := in.Fake.Orders()
	res.Orders = len(snaps)
	if err := checkOrders(ctx, in, snaps, &res); err != nil {
		return res, err
	}
	if err := checkOutbox(ctx, in, snaps, &res); err != nil {
		return res, err
	}
	if err := checkPrints(ctx, in, &res); err != nil {
		return res, err
	}
	return res, nil
}

// expectedStatuses are the local statuses that agree with the platform's.
func expectedStatuses(s fake.OrderSnapshot) []order.Status {
	if s.RefundStatus == 1 {
		return []order.Status{order.StatusRefundRequested}
	}
	switch s.PlatformStatus {
	case kaigedian.PlatformCancelled:
		return []order.Status{order.StatusCancelled, order.StatusRefunded}
	case kaigedian.PlatformRejected:
		return []order.Status{order.StatusRejected}
	}
	st, known := kaigedian.StatusFromPlatform(s.PlatformStatus)
	if !known {
		return nil
	}
	return []order.Status{st}
}

func checkOrders(ctx context.Context, in CheckInput, snaps []fake.OrderSnapshot, res *CheckResult) error {
	onPlatform := map[string]bool{}
	for _, s := range snaps {
		onPlatform[s.Order.Code] = true
		rec, err := in.DB.GetOrder(ctx, s.Order.Code)
		if errors.Is(err, store.ErrNotFound) {
			res.problem("order %s (platform status %d) is not in the database: lost", s.Order.Code, s.PlatformStatus)
			continue
		}
		if err != nil {
			return err
		}
		want := expectedStatuses(s)
		if want != nil && !slices.Contains(want, rec.Status) {
			res.problem("order %s is %s locally but %d (refund %d) on the platform", s.Order.Code, rec.Status, s.PlatformStatus, s.RefundStatus)
			continue
		}
		if rec.Detail == nil && rec.Status != order.StatusCancelled && rec.Status != order.StatusRejected {
			res.problem("order %s (%s) has no detail stored", s.Order.Code, rec.Status)
			continue
		}
		if rec.Decision != store.DecisionNone {
			res.problem("order %s still waits for a staff decision (%s)", s.Order.Code, rec.Decision)
			continue
		}
		res.Stored++
	}
	local, total, err := in.DB.ListOrders(ctx, store.OrderFilter{Limit: 1 << 30})
	if err != nil {
		return err
	}
	if total != len(local) {
		return fmt.Errorf("listed %d of %d orders", len(local), total)
	}
	for _, rec := range local {
		if !onPlatform[rec.Code] {
			res.problem("order %s is in the database but the platform never produced it", rec.Code)
		}
	}
	return nil
}

// transition names what an outbox row or a platform call asks for.
func transition(kind string, body map[string]any) string {
	code := fmt.Sprint(body["orderCode"], body["order_code"])
	code = strings.ReplaceAll(code, "<nil>", "")
	switch kind {
	case "status_operation", "/order/statusOperation":
		return code + " status " + num(body["orderStatus"], body["status"])
	case "refund_operation", "/order/refundOperation":
		return code + " refund " + num(body["action"], nil)
	case "cancel", "/order/cancel":
		return code + " cancel"
	}
	return code + " " + kind
}

func num(a, b any) string {
	for _, v := range []any{a, b} {
		switch x := v.(type) {
		case float64:
			return fmt.Sprint(int(x))
		case string:
			return x
		}
	}
	return "?"
}

var mutatingPaths = []string{"/order/statusOperation", "/order/refundOperation", "/order/cancel", "/order/submit"}

func checkOutbox(ctx context.Context, in CheckInput, snaps []fake.OrderSnapshot, res *CheckResult) error {
	rows, err := in.DB.ListOutbox(ctx, store.OutboxFilter{Limit: 1 << 30})
	if err != nil {
		return err
	}
	byTx := map[string]*store.OutboxRow{}     // every attempt's id → its row
	rowsOf := map[string][]*store.OutboxRow{} // transition → rows
	for _, r := range rows {
		for _, id := range r.TxIDs {
			if byTx[id] != nil {
				res.problem("transaction id %s is used twice (rows %d and %d)", id, byTx[id].ID, r.ID)
			}
			byTx[id] = r
		}
		var body map[string]any
		_ = json.Unmarshal(r.Payload, &body)
		t := transition(r.Kind, body)
		rowsOf[t] = append(rowsOf[t], r)
		switch r.State {
		case store.OutboxPending:
			res.problem("outbox not empty: %s %s (attempt %d, last error %q)", r.Op, r.OrderCode, r.Attempts, r.LastError)
		case store.OutboxFailed:
			res.problem("outbox row failed: %s %s: %s", r.Op, r.OrderCode, r.LastError)
		case store.OutboxDone:
			res.Transitions++
		}
	}
	for t, rs := range rowsOf {
		done := 0
		for _, r := range rs {
			if r.State == store.OutboxDone {
				done++
			}
		}
		if done > 1 {
			res.problem("transition %s went out as %d outbox rows", t, done)
		}
	}
	// Every call that changes something carries a transaction id of the
	// row it belongs to, never one an earlier call carried, and asks for
	// that row's transition.
	sent := map[string]bool{}
	for _, c := range in.Fake.Calls() {
		if !slices.Contains(mutatingPaths, c.Path) {
			continue
		}
		if sent[c.TransactionID] {
			res.problem("%s sent twice under transaction id %q: each attempt must have its own", c.Path, c.TransactionID)
		}
		sent[c.TransactionID] = true
		r := byTx[c.TransactionID]
		if r == nil {
			res.problem("%s call under transaction id %q belongs to no outbox row", c.Path, c.TransactionID)
			continue
		}
		if c.Body == nil || c.Path == "/order/submit" {
			continue // cut off before the platform read it
		}
		var body map[string]any
		_ = json.Unmarshal(r.Payload, &body)
		if got, want := transition(c.Path, c.Body), transition(r.Kind, body); got != want {
			res.problem("transaction id %s carried %q and %q", c.TransactionID, got, want)
		}
	}
	// The platform applied each row at most once (whichever attempt it
	// took), and every done row.
	applied := map[int64]int{}
	for _, s := range snaps {
		for _, op := range s.Operations {
			r := byTx[op.TransactionID]
			if r == nil {
				res.problem("platform applied %s to %s under transaction id %q that no outbox row has", op.Path, s.Order.Code, op.TransactionID)
				continue
			}
			applied[r.ID]++
		}
	}
	for _, r := range rows {
		if n := applied[r.ID]; n > 1 {
			res.problem("platform applied outbox row %s %s %d times (transaction ids %v)", r.Op, r.OrderCode, n, r.TxIDs)
		}
		if r.State == store.OutboxDone && r.Kind != "submit" && applied[r.ID] == 0 {
			res.problem("outbox row %s %s is done but the platform never applied it (transaction ids %v)", r.Op, r.OrderCode, r.TxIDs)
		}
	}
	return nil
}

// sortedKeys returns the keys of m in order (stable reports).
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

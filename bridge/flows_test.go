package bridge_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// Manual mode: the order waits for staff; 接单 over the API accepts it and
// only then does anything print.
func TestManualAccept(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual"})
	o := teaOrder(env, fake.OrderSpec{})
	rec, err := env.WaitStatus(o.Code, order.StatusNew, 10*time.Second)
	must(t, err)
	if !harness.WaitFor(5*time.Second, func() bool { r, _ := env.Order(o.Code); return r != nil && r.Decision == "accept" }) {
		t.Fatalf("order does not wait for staff: %+v", rec)
	}
	if jobs, _ := env.Jobs(o.Code); len(jobs) != 0 {
		t.Fatalf("printed before the accept: %d jobs", len(jobs))
	}
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/accept", nil, &res); s != 202 || res["status"] != "accepted" {
		t.Fatalf("accept: %d %v", s, res)
	}
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/accept", nil, &res); s != 409 {
		t.Fatalf("second accept: %d %v", s, res)
	}
	wantOps(t, env, o.Code, "3")
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if env.CountPrinted("front", o.PickupNo) != 1 {
		t.Fatal("receipt not printed once after the manual accept")
	}
}

// Manual mode with a timeout accepts by itself when nobody acts.
func TestManualTimeoutAccepts(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual\nmanual_timeout: 1s"})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	wantOps(t, env, o.Code, "3")
}

// Rejecting sends 7 with the reason staff gave and prints nothing.
func TestRejectWithReason(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual"})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusNew, 10*time.Second)
	must(t, err)
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/reject", map[string]string{"reason": "商品已售罄"}, &res); s != 202 || res["status"] != "rejected" {
		t.Fatalf("reject: %d %v", s, res)
	}
	wantOps(t, env, o.Code, "7")
	snap, _ := env.Fake.Order(o.Code)
	if snap.Operations[0].Reason != "商品已售罄" {
		t.Fatalf("reason not sent: %+v", snap.Operations[0])
	}
	time.Sleep(300 * time.Millisecond) // the platform's cancel push (cancelType 6) must not change it
	res = nil
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/accept", nil, &res); s != 409 || !strings.Contains(fmt.Sprint(res["error"]), "拒单") {
		t.Fatalf("accepting a rejected order: %d %v", s, res)
	}
	if jobs, _ := env.Jobs(o.Code); len(jobs) != 0 {
		t.Fatalf("a rejected order printed %d jobs", len(jobs))
	}
}

// Seed 000, flow 2: a cancel before accept marks the order cancelled; no
// cancel slip when nothing was printed.
func TestCancelBeforeAcceptWithoutPrint(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual"})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusNew, 10*time.Second)
	must(t, err)
	must(t, env.Fake.CancelByUser(o.Code, "不想要了"))
	_, err = env.WaitStatus(o.Code, order.StatusCancelled, 10*time.Second)
	must(t, err)
	time.Sleep(300 * time.Millisecond)
	if jobs, _ := env.Jobs(o.Code); len(jobs) != 0 {
		t.Fatalf("cancel slip printed for an order that never printed: %d jobs", len(jobs))
	}
	if ops := env.OpsOf(o.Code); len(ops) != 0 {
		t.Fatalf("platform calls for a cancelled order: %v", ops)
	}
}

// Seed 000, flow 2 with a prior print (print.on: arrival): a cancel slip goes
// to every printer that printed a receipt or kitchen ticket, nowhere else.
func TestCancelBeforeAcceptAfterPrintOnArrival(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual", Print: "on: arrival"})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusNew, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if !harness.WaitFor(5*time.Second, func() bool { return env.CountPrinted("front", o.PickupNo) == 1 }) {
		t.Fatal("print on arrival did not print the receipt")
	}
	must(t, env.Fake.CancelByUser(o.Code, "点错了"))
	_, err = env.WaitStatus(o.Code, order.StatusCancelled, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if n := env.CountPrinted("front", "取消单"); n != 1 {
		t.Fatalf("front cancel slips: %d", n)
	}
	if n := env.CountPrinted("kitchen", "取消单"); n != 1 {
		t.Fatalf("kitchen cancel slips: %d", n)
	}
	if n := env.CountPrinted("label", "取消单"); n != 0 {
		t.Fatalf("label printer got %d cancel slips", n)
	}
	// The same cancel pushed again prints nothing more.
	must(t, env.Fake.Push(o.Code))
	time.Sleep(500 * time.Millisecond)
	if n := env.CountPrinted("front", "取消单"); n != 1 {
		t.Fatalf("a repeated cancel printed again: %d", n)
	}
}

// Seed 000, flow 3: a refund request after accept pauses the kitchens that
// printed the order and waits; approval sends refundOperation 1 and prints a
// refund slip on every printer that printed a receipt or kitchen ticket.
func TestRefundRequestApproved(t *testing.T) {
	env := start(t, harness.Options{})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	must(t, env.WaitPlatform(o.Code, kaigedian.PlatformAccepted, 5*time.Second))
	must(t, env.Fake.RequestRefund(o.Code, "等太久了"))
	rec, err := env.WaitStatus(o.Code, order.StatusRefundRequested, 10*time.Second)
	must(t, err)
	if rec.Decision != "refund" {
		t.Fatalf("refund does not wait for staff: %+v", rec)
	}
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if n := env.CountPrinted("kitchen", "暂停制作"); n != 1 {
		t.Fatalf("kitchen pause notices: %d\n%s", n, strings.Join(env.Printed("kitchen"), "\n---\n"))
	}
	if n := env.CountPrinted("front", "暂停制作"); n != 0 {
		t.Fatal("the receipt printer is not a kitchen")
	}
	var res map[string]any
	// 退款处理中 until the platform confirms (issue 13 item 9).
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/refund/approve", nil, &res); s != 202 || res["status"] != "refund_processing" {
		t.Fatalf("approve: %d %v", s, res)
	}
	wantOps(t, env, o.Code, "3", "r1")
	_, err = env.WaitStatus(o.Code, order.StatusRefunded, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	for _, p := range []string{"front", "kitchen"} {
		if n := env.CountPrinted(p, "退单"); n != 1 {
			t.Fatalf("%s refund slips: %d", p, n)
		}
	}
	// The platform then pushes the finished refund: absorbed, no second slip.
	must(t, env.WaitPlatform(o.Code, kaigedian.PlatformCancelled, 5*time.Second))
	time.Sleep(500 * time.Millisecond)
	if n := env.CountPrinted("front", "退单"); n != 1 {
		t.Fatalf("refund slip printed again: %d", n)
	}
	if r, _ := env.Order(o.Code); r.Status != order.StatusRefunded {
		t.Fatalf("final status %s", r.Status)
	}
}

// A refused refund returns the order to where it was and tells the paused
// kitchen to carry on (恢复制作).
func TestRefundRequestRejected(t *testing.T) {
	env := start(t, harness.Options{})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	must(t, env.WaitPlatform(o.Code, kaigedian.PlatformAccepted, 5*time.Second))
	must(t, env.Fake.RequestRefund(o.Code, "不想要了"))
	_, err = env.WaitStatus(o.Code, order.StatusRefundRequested, 10*time.Second)
	must(t, err)
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/refund/reject", map[string]string{"reason": "餐品已制作"}, &res); s != 202 || res["status"] != "accepted" {
		t.Fatalf("reject refund: %d %v", s, res)
	}
	wantOps(t, env, o.Code, "3", "r2")
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if n := env.CountPrinted("kitchen", "恢复制作"); n != 1 {
		t.Fatalf("kitchen resume notices: %d", n)
	}
	if n := env.CountPrinted("front", "退单"); n != 0 {
		t.Fatal("a refused refund printed a refund slip")
	}
}

// The refund slip goes only where the order printed: a kitchen whose
// station takes none of the order's items gets nothing.
func TestRefundSlipOnlyWhereReceiptPrinted(t *testing.T) {
	env := start(t, harness.Options{})
	o := teaOrder(env, fake.OrderSpec{Items: []order.Item{{Seq: 1, ProductID: "p1", Name: "珍珠奶茶", Price: 1500, Quantity: 1}}})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	must(t, env.WaitPlatform(o.Code, kaigedian.PlatformAccepted, 5*time.Second))
	jobs, _ := env.Jobs(o.Code)
	var printers []string
	for _, j := range jobs {
		printers = append(printers, j.Printer+"/"+j.Doc)
	}
	must(t, env.Fake.RequestRefund(o.Code, "买错了"))
	_, err = env.WaitStatus(o.Code, order.StatusRefundRequested, 10*time.Second)
	must(t, err)
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/refund/approve", nil, &res); s != 202 {
		t.Fatalf("approve: %d %v", s, res)
	}
	_, err = env.WaitStatus(o.Code, order.StatusRefunded, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if env.CountPrinted("front", "退单") != 1 {
		t.Fatalf("receipt printer got no refund slip (printed: %v)", printers)
	}
	if env.CountPrinted("label", "退单") != 0 {
		t.Fatal("the label printer printed no receipt or kitchen ticket: no refund slip")
	}
}

// Invariant 4: the same push twice, a push and a poll of the same change,
// and changes out of order converge on one order in the right state.
func TestDuplicateAndOutOfOrderEvents(t *testing.T) {
	env := start(t, harness.Options{Fake: func(o *fake.Options) { o.PushDuplicates = 1 }})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	// Replay the original "new" push after the accept: late, absorbed.
	must(t, env.Fake.Push(o.Code))
	time.Sleep(500 * time.Millisecond)
	rec, _ := env.Order(o.Code)
	if rec.Status != order.StatusAccepted {
		t.Fatalf("late push moved the order to %s", rec.Status)
	}
	wantOps(t, env, o.Code, "3")
	if n := env.CountPrinted("front", o.PickupNo); n != 1 {
		t.Fatalf("duplicate pushes printed the receipt %d times", n)
	}
	// The platform completes it by itself, then an older "made" arrives.
	must(t, env.Fake.SetStatus(o.Code, kaigedian.PlatformCompleted))
	_, err = env.WaitStatus(o.Code, order.StatusCompleted, 10*time.Second)
	must(t, err)
	must(t, env.Fake.SetStatus(o.Code, kaigedian.PlatformMade))
	time.Sleep(500 * time.Millisecond)
	if rec, _ := env.Order(o.Code); rec.Status != order.StatusCompleted {
		t.Fatalf("a late made moved a completed order to %s", rec.Status)
	}
}

// A printer that cannot print turns auto-accept into a staff prompt.
func TestPrinterDownTurnsAutoAcceptIntoPrompt(t *testing.T) {
	env := start(t, harness.Options{})
	env.Printers["kitchen"].SetState(printer.StatePaperOut)
	if !harness.WaitFor(5*time.Second, func() bool { ok, _ := env.Daemon.Fleet.Health("kitchen"); return !ok }) {
		t.Fatal("fleet never saw the kitchen out of paper")
	}
	o := teaOrder(env, fake.OrderSpec{})
	if !harness.WaitFor(10*time.Second, func() bool { r, _ := env.Order(o.Code); return r != nil && r.Decision == "accept" }) {
		t.Fatal("order was not turned into a staff prompt")
	}
	rec, _ := env.Order(o.Code)
	if rec.Status != order.StatusNew || !strings.Contains(rec.DecisionNote, "缺纸") {
		t.Fatalf("prompt: %s %q", rec.Status, rec.DecisionNote)
	}
	if ops := env.OpsOf(o.Code); len(ops) != 0 {
		t.Fatalf("accepted into a kitchen without paper: %v", ops)
	}

	// Paper is back: the order is accepted as the auto policy would have,
	// without waiting for staff, and its tickets print once.
	env.Printers["kitchen"].SetState(printer.StateOnline)
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	wantOps(t, env, o.Code, "3")
	hist, err := env.Daemon.DB.History(context.Background(), o.Code)
	must(t, err)
	if !slices.ContainsFunc(hist, func(h store.History) bool {
		return h.Actor == "auto" && h.To == order.StatusAccepted && strings.Contains(h.Reason, "打印机已恢复")
	}) {
		t.Fatalf("history %+v has no automatic accept after the recovery", hist)
	}
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if n := env.CountPrinted("kitchen", "鸡米花"); n != 1 {
		t.Fatalf("kitchen printed the ticket %d times", n)
	}
}

// Unknown enum values are not bad input: a push with an undocumented
// orderStatus is acknowledged, stored raw and shown, and moves nothing.
func TestUnknownStatusPushStoredRaw(t *testing.T) {
	env := start(t, harness.Options{})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.Fake.SetStatus(o.Code, 99))
	if !harness.WaitFor(5*time.Second, func() bool { r, _ := env.Order(o.Code); return r.RawStatus == "99" }) {
		t.Fatal("unknown status not stored raw")
	}
	var view map[string]any
	env.API("GET", "/api/orders/"+o.Code, nil, &view)
	if view["status"] != "accepted" || view["raw_status"] != "99" {
		t.Fatalf("view: status=%v raw=%v", view["status"], view["raw_status"])
	}
}

// Reconciliation that repeats what an order already has changes nothing and
// does not even rewrite the order; a status that differs is applied.
func TestReconcileAppliesOnlyNews(t *testing.T) {
	env := start(t, harness.Options{})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	wantOps(t, env, o.Code, "3")
	if !harness.WaitFor(5*time.Second, func() bool { r, _ := env.Order(o.Code); return r.PlatformStatus == kaigedian.PlatformAccepted }) {
		t.Fatal("the platform's accept was never recorded")
	}
	before, _ := env.Order(o.Code)
	ctx := context.Background()
	page := bridge.PollPage{Via: order.ViaReconcile, Statuses: []bridge.CodeStatus{{Code: o.Code, PlatformStatus: kaigedian.PlatformAccepted}}}
	_, err = env.Daemon.Bridge.IngestPoll(ctx, page)
	must(t, err)
	if after, _ := env.Order(o.Code); !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Fatalf("a repeated status rewrote the order (updated %v → %v)", before.UpdatedAt, after.UpdatedAt)
	}
	page.Statuses[0].PlatformStatus = kaigedian.PlatformCancelled
	_, err = env.Daemon.Bridge.IngestPoll(ctx, page)
	must(t, err)
	if after, _ := env.Order(o.Code); after.Status != order.StatusRefunded {
		t.Fatalf("a cancel found by reconciliation left the accepted order %s", after.Status)
	}
}

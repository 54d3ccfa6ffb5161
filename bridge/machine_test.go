package bridge

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

func statusChange(p int) order.Change {
	return order.Change{Kind: order.ChangeStatus, Code: "C1", PlatformStatus: p}
}

func refundChange(cs order.RefundStatus) order.Change {
	return order.Change{Kind: order.ChangeRefund, Code: "C1", CancelStatus: cs}
}

// TestPlatformTransitions walks the seed 000 flows and the absorption rules
// (late, repeated and out-of-order events) through applyPlatform.
func TestPlatformTransitions(t *testing.T) {
	cases := []struct {
		name     string
		from     order.Status
		before   order.Status // StatusBeforeRefund
		accepted bool
		change   order.Change
		want     order.Status
		effects  []effect
	}{
		{"accepted elsewhere prints", order.StatusNew, "", false, statusChange(3), order.StatusAccepted, []effect{effClearDecision, effPrintOrder}},
		{"cancel before accept", order.StatusNew, "", false, statusChange(6), order.StatusCancelled, []effect{effClearDecision, effDropQueued, effCancelSlip, effMootOutbox}},
		{"cancel after an unconfirmed local accept is a cancel", order.StatusAccepted, "", false, statusChange(6), order.StatusCancelled, []effect{effClearDecision, effDropQueued, effCancelSlip, effMootOutbox}},
		{"cancel after accept is a refund", order.StatusAccepted, "", true, statusChange(6), order.StatusRefunded, []effect{effClearDecision, effDropQueued, effRefundSlip, effMootOutbox}},
		{"made", order.StatusAccepted, "", true, statusChange(31), order.StatusMade, nil},
		{"late accepted after made absorbed", order.StatusMade, "", true, statusChange(3), order.StatusMade, nil},
		{"repeated new absorbed", order.StatusNew, "", false, statusChange(1), order.StatusNew, nil},
		{"completed never goes back", order.StatusCompleted, "", true, statusChange(31), order.StatusCompleted, nil},
		{"completed may be refunded (after-sales)", order.StatusCompleted, "", true, statusChange(6), order.StatusRefunded, []effect{effClearDecision, effDropQueued, effRefundSlip, effMootOutbox}},
		{"cancelled never moves", order.StatusCancelled, "", false, statusChange(3), order.StatusCancelled, nil},
		{"rejected never moves", order.StatusRejected, "", false, statusChange(5), order.StatusRejected, nil},
		{"unknown status stored raw", order.StatusNew, "", false, statusChange(99), order.StatusNew, nil},
		{"refund request pauses kitchen", order.StatusAccepted, "", true, refundChange(1), order.StatusRefundRequested, []effect{effAskRefund, effPauseKitchen}},
		{"refund request via status push", order.StatusMade, "", true, order.Change{Kind: order.ChangeStatus, Code: "C1", PlatformStatus: 31, CancelStatus: 1}, order.StatusRefundRequested, []effect{effAskRefund, effPauseKitchen}},
		{"refund refused resumes", order.StatusRefundRequested, order.StatusMade, true, refundChange(3), order.StatusMade, []effect{effClearDecision, effResumeKitchen, effMootRefundCalls}},
		{"refund withdrawn resumes", order.StatusRefundRequested, order.StatusAccepted, true, refundChange(6), order.StatusAccepted, []effect{effClearDecision, effResumeKitchen, effMootRefundCalls}},
		// Approved, the platform not yet confirming (issue 13 item 9).
		{"approved refund done", order.StatusRefundProcessing, order.StatusAccepted, true, refundChange(5), order.StatusRefunded, []effect{effClearDecision, effDropQueued, effRefundSlip, effMootOutbox}},
		{"approved refund refunding", order.StatusRefundProcessing, order.StatusAccepted, true, refundChange(4), order.StatusRefunded, []effect{effClearDecision, effDropQueued, effRefundSlip, effMootOutbox}},
		{"approved refund: status 6", order.StatusRefundProcessing, order.StatusMade, true, statusChange(6), order.StatusRefunded, []effect{effClearDecision, effDropQueued, effRefundSlip, effMootOutbox}},
		{"approved refund refused", order.StatusRefundProcessing, order.StatusMade, true, refundChange(3), order.StatusMade, []effect{effClearDecision, effResumeKitchen, effMootRefundCalls, effAlertRefundUndone}},
		{"approved refund withdrawn", order.StatusRefundProcessing, order.StatusAccepted, true, refundChange(6), order.StatusAccepted, []effect{effClearDecision, effResumeKitchen, effMootRefundCalls, effAlertRefundUndone}},
		{"approved refund: the request again", order.StatusRefundProcessing, order.StatusAccepted, true, refundChange(1), order.StatusRefundProcessing, nil},
		{"approved refund: made meanwhile", order.StatusRefundProcessing, order.StatusAccepted, true, statusChange(31), order.StatusRefundProcessing, nil},
		{"refund done", order.StatusRefundRequested, order.StatusAccepted, true, refundChange(5), order.StatusRefunded, []effect{effClearDecision, effDropQueued, effRefundSlip, effMootOutbox}},
		{"refund done after a rejection absorbed", order.StatusRejected, "", false, refundChange(5), order.StatusRejected, nil},
		{"cancel after a rejection absorbed", order.StatusRejected, "", false, statusChange(6), order.StatusRejected, nil},
		{"repeated refund request absorbed", order.StatusRefundRequested, order.StatusAccepted, true, refundChange(1), order.StatusRefundRequested, nil},
		{"refund refused without request absorbed", order.StatusAccepted, "", true, refundChange(3), order.StatusAccepted, nil},
		{"status 6 while refund requested", order.StatusRefundRequested, order.StatusAccepted, true, statusChange(6), order.StatusRefunded, []effect{effClearDecision, effDropQueued, effRefundSlip, effMootOutbox}},
		{"made while refund waits keeps waiting", order.StatusRefundRequested, order.StatusAccepted, true, statusChange(31), order.StatusRefundRequested, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &order.State{Code: "C1", Status: c.from, StatusBeforeRefund: c.before}
			if c.accepted {
				rec.PlatformStatus = kaigedian.PlatformAccepted
			}
			out := applyPlatform(rec, c.change, kaigedianCodes{})
			if rec.Status != c.want {
				t.Fatalf("status %s → %s, want %s (ignored: %s)", c.from, rec.Status, c.want, out.ignored)
			}
			if len(out.effects) != len(c.effects) {
				t.Fatalf("effects %v, want %v", out.effects, c.effects)
			}
			for i := range c.effects {
				if out.effects[i] != c.effects[i] {
					t.Fatalf("effects %v, want %v", out.effects, c.effects)
				}
			}
		})
	}
}

// A poll page read before the platform took the accept arrives after the
// accept was confirmed: it must not lower the platform status, or the next
// cancel would look like one before the accept (cancel slip, no refund).
func TestStalePlatformStatusDoesNotUndoTheConfirmedAccept(t *testing.T) {
	rec := &order.State{Code: "C1", Status: order.StatusAccepted, PlatformStatus: kaigedian.PlatformAccepted}
	if out := applyPlatform(rec, statusChange(kaigedian.PlatformNew), kaigedianCodes{}); out.changed || rec.PlatformStatus != kaigedian.PlatformAccepted {
		t.Fatalf("a stale 'new' moved the order: changed=%v platform status %d", out.changed, rec.PlatformStatus)
	}
	out := applyPlatform(rec, statusChange(kaigedian.PlatformCancelled), kaigedianCodes{})
	if rec.Status != order.StatusRefunded || !slices.Contains(out.effects, effRefundSlip) {
		t.Fatalf("cancel after the confirmed accept: %s %v, want refunded with a refund slip", rec.Status, out.effects)
	}
	if rec.PlatformStatus != kaigedian.PlatformCancelled {
		t.Fatalf("platform status %d after the cancel", rec.PlatformStatus)
	}
}

func TestUnknownStatusIsStoredRaw(t *testing.T) {
	rec := &order.State{Code: "C1", Status: order.StatusAccepted, PlatformStatus: 3}
	out := applyPlatform(rec, order.Change{Kind: order.ChangeStatus, Code: "C1", Unknown: map[string]string{"orderStatus": "99"}}, kaigedianCodes{})
	if rec.Status != order.StatusAccepted || rec.RawStatus != "99" || !strings.Contains(out.note, "99") {
		t.Fatalf("unknown status: %s raw=%q note=%q", rec.Status, rec.RawStatus, out.note)
	}
}

func TestMadeWhileRefundWaitsReturnsToMade(t *testing.T) {
	rec := &order.State{Code: "C1", Status: order.StatusAccepted, PlatformStatus: kaigedian.PlatformAccepted}
	applyPlatform(rec, refundChange(1), kaigedianCodes{})
	applyPlatform(rec, statusChange(31), kaigedianCodes{})
	applyPlatform(rec, refundChange(3), kaigedianCodes{})
	if rec.Status != order.StatusMade {
		t.Fatalf("after refusal the order is %s, want made", rec.Status)
	}
}

func TestCheckActionRefusesIllegalSteps(t *testing.T) {
	cases := []struct {
		from order.Status
		act  Action
		ok   bool
		to   order.Status
	}{
		{order.StatusNew, ActAccept, true, order.StatusAccepted},
		{order.StatusRejected, ActAccept, false, ""},
		{order.StatusCancelled, ActComplete, false, ""},
		{order.StatusAccepted, ActMade, true, order.StatusMade},
		{order.StatusMade, ActComplete, true, order.StatusCompleted},
		{order.StatusNew, ActMade, false, ""},
		{order.StatusRefundRequested, ActRefundApprove, true, order.StatusRefundProcessing},
		{order.StatusRefundProcessing, ActRefundApprove, false, ""},
		{order.StatusRefundProcessing, ActRefundReject, false, ""},
		{order.StatusAccepted, ActRefundApprove, false, ""},
		{order.StatusAccepted, ActCancel, true, order.StatusAccepted},
		{order.StatusCompleted, ActCancel, true, order.StatusCompleted},
		{order.StatusNew, ActCancel, false, ""},
		{order.StatusDelivering, ActCancel, false, ""},
		{order.StatusCancelled, ActCancel, false, ""},
	}
	for _, c := range cases {
		rec := order.State{Code: "C", Status: c.from}
		to, err := checkAction(rec, c.act)
		if (err == nil) != c.ok || to != c.to {
			t.Errorf("%s on %s: to=%q err=%v", c.act, c.from, to, err)
		}
		if err != nil {
			if se, ok := err.(*StateError); !ok || se.Message == "" {
				t.Errorf("%s on %s: want a StateError with a message, got %v", c.act, c.from, err)
			}
		}
	}
	rec := order.State{Code: "C", Status: order.StatusMade, Type: order.TypePickup}
	if _, err := checkAction(rec, ActDeliver); err == nil {
		t.Error("a pickup order must not go out for delivery")
	}
}

func TestScanSteps(t *testing.T) {
	cases := []struct {
		status order.Status
		typ    order.Type
		act    Action
		refuse string // the outcome of a refusal; "" when a step is taken
	}{
		{order.StatusAccepted, order.TypeDineIn, ActMade, ""},
		{order.StatusAccepted, order.TypeDelivery, ActMade, ""},
		{order.StatusMade, order.TypePickup, ActComplete, ""},
		{order.StatusMade, order.TypeDelivery, "", EConflict},
		{order.StatusNew, order.TypePickup, "", EConflict},
		{order.StatusCompleted, order.TypePickup, "", EConflict},
		{order.StatusCancelled, order.TypePickup, "", EConflict},
		{order.StatusRefundRequested, order.TypePickup, "", EConflict},
	}
	for _, c := range cases {
		act, res := scanStep(order.State{Code: "C", Status: c.status, Type: c.typ})
		if act != c.act || (res == nil) != (c.refuse == "") || (res != nil && (res.Outcome != c.refuse || res.Error == "")) {
			t.Errorf("scan %s/%d: act=%q res=%+v", c.status, c.typ, act, res)
		}
	}
}

func TestRepeatedRefundRequestAfterDecisionIsAbsorbed(t *testing.T) {
	at := time.UnixMilli(1_700_000_000_000)
	rec := &order.State{Code: "C1", Status: order.StatusAccepted, PlatformStatus: kaigedian.PlatformAccepted}
	req := order.Change{Kind: order.ChangeRefund, Code: "C1", CancelStatus: order.RefundRequested, At: at}
	applyPlatform(rec, req, kaigedianCodes{})
	if rec.Status != order.StatusRefundRequested {
		t.Fatal("request not applied")
	}
	// Staff refused; then the status push announcing the same request arrives late.
	rec.Status, rec.StatusBeforeRefund = order.StatusAccepted, ""
	late := order.Change{Kind: order.ChangeStatus, Code: "C1", PlatformStatus: 3, CancelStatus: order.RefundRequested, At: at}
	if out := applyPlatform(rec, late, kaigedianCodes{}); rec.Status != order.StatusAccepted || len(out.effects) != 0 {
		t.Fatalf("a late copy of a decided request reopened it: %s %v", rec.Status, out.effects)
	}
	// A new request, later, is a new request.
	applyPlatform(rec, order.Change{Kind: order.ChangeRefund, Code: "C1", CancelStatus: order.RefundRequested, At: at.Add(time.Minute)}, kaigedianCodes{})
	if rec.Status != order.StatusRefundRequested {
		t.Fatal("a new request was ignored")
	}
}

// kaigedianCodes are 开个店's status numbers, as its channel
// (kaigedian/channel, which this package cannot import) maps them.
type kaigedianCodes struct{}

func (kaigedianCodes) StatusOf(code int) (order.Status, bool) {
	return kaigedian.StatusFromPlatform(code)
}
func (kaigedianCodes) CodeOf(s order.Status) int { return kaigedian.PlatformCode(s) }

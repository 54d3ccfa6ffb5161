// Package channeltest is the contract every channel of bridge keeps: one
// suite, run against each channel's fake (开个店's in kaigedian/channel,
// a minimal one in bridge's tests), says what the rules rely on.
package channeltest

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
)

// Fixture is a channel and its fake: the other side, where orders are
// placed and where the channel's calls land.
type Fixture struct {
	Channel bridge.Channel
	// Place places a new, paid order at the other side and returns its
	// code and the inbox item (kind, body) that announces it.
	Place func(t *testing.T) (code, kind string, body []byte)
	// Status is the status the other side has the order in.
	Status func(t *testing.T, code string) order.Status
	// CancelThere cancels an accepted order at the other side (the
	// customer, or the source's own staff).
	CancelThere func(t *testing.T, code string)
	// RequestRefund has the customer ask for a refund of an accepted order.
	RequestRefund func(t *testing.T, code string)
	// FailNext makes the other side fail the next call with a passing
	// fault (a server error): the kind of error worth a retry.
	FailNext func(t *testing.T)
}

// Run runs the contract against the fixtures newFixture makes (one per
// subtest, so that they do not share orders or faults).
func Run(t *testing.T, newFixture func(t *testing.T) Fixture) {
	t.Run("Source", func(t *testing.T) {
		if f := newFixture(t); f.Channel.Source() == "" {
			t.Fatal("a channel names its source")
		}
	})
	t.Run("StatusCodesRoundTrip", func(t *testing.T) {
		f := newFixture(t)
		for _, s := range []order.Status{order.StatusNew, order.StatusAccepted, order.StatusMade,
			order.StatusCompleted, order.StatusCancelled, order.StatusRejected} {
			code := f.Channel.CodeOf(s)
			if back, ok := f.Channel.StatusOf(code); code == 0 || !ok || back != s {
				t.Errorf("%s → %d → %s (%v): every channel has a number for the main lifecycle", s, code, back, ok)
			}
		}
		if s, ok := f.Channel.StatusOf(-987654); ok {
			t.Errorf("an undefined number maps to %s: it must be unknown (stored raw)", s)
		}
	})
	t.Run("DecodeAnnouncesTheOrder", func(t *testing.T) { testDecode(t, newFixture(t)) })
	t.Run("DetailsOfKnownOrdersOnly", func(t *testing.T) { testDetails(t, newFixture(t)) })
	t.Run("AcceptMadeComplete", func(t *testing.T) { testLifecycle(t, newFixture(t)) })
	t.Run("RejectWithReason", func(t *testing.T) { testReject(t, newFixture(t)) })
	t.Run("CallOvertakenByACancelIsMoot", func(t *testing.T) { testMoot(t, newFixture(t)) })
	t.Run("RefundDecisions", func(t *testing.T) { testRefunds(t, newFixture(t)) })
	t.Run("CancelWithReason", func(t *testing.T) { testCancel(t, newFixture(t)) })
	t.Run("StatusesOfOpenOrders", func(t *testing.T) { testStatuses(t, newFixture(t)) })
	t.Run("FailureIsClassified", func(t *testing.T) { testFailure(t, newFixture(t)) })
	t.Run("UnknownActionIsRefused", func(t *testing.T) {
		f := newFixture(t)
		if _, _, err := f.Channel.Prepare(bridge.Request{Action: "teleport", Code: "x"}); err == nil {
			t.Fatal("an action the channel has no call for must be refused before it is queued")
		}
	})
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// do prepares and sends an action as the outbox would, and returns the call.
func do(t *testing.T, f Fixture, act bridge.Action, code, reason string) bridge.Call {
	t.Helper()
	kind, payload, err := f.Channel.Prepare(bridge.Request{Action: act, Code: code, Reason: reason, Operator: "posbridge"})
	if err != nil {
		t.Fatalf("prepare %s: %v", act, err)
	}
	if kind == "" || len(payload) == 0 {
		t.Fatalf("prepare %s: kind %q, payload %q: the outbox keeps both", act, kind, payload)
	}
	call := bridge.Call{ID: 1, TxID: txID(act, code), Kind: kind, Op: string(act), Code: code, Payload: payload,
		CreatedAt: time.Now()}
	if _, err := f.Channel.Send(ctx(t), call); err != nil {
		t.Fatalf("send %s: %v", act, err)
	}
	return call
}

func txID(act bridge.Action, code string) string { return "ct-" + string(act) + "-" + code }

func wantStatus(t *testing.T, f Fixture, code string, want order.Status) {
	t.Helper()
	if got := f.Status(t, code); got != want {
		t.Fatalf("the other side has %s in %s, want %s", code, got, want)
	}
}

func placeAccepted(t *testing.T, f Fixture) (string, bridge.Call) {
	t.Helper()
	code, _, _ := f.Place(t)
	call := do(t, f, bridge.ActAccept, code, "")
	wantStatus(t, f, code, order.StatusAccepted)
	return code, call
}

func testDecode(t *testing.T, f Fixture) {
	code, kind, body := f.Place(t)
	ch, err := f.Channel.Decode(kind, body)
	if err != nil {
		t.Fatalf("decode the announcement of %s: %v", code, err)
	}
	if ch.Code != code || ch.Source.Or(f.Channel.Source()) != f.Channel.Source() {
		t.Fatalf("decoded %+v, want order %s of %s", ch, code, f.Channel.Source())
	}
	if !f.Channel.ValidCode(code) || f.Channel.ValidCode("") || f.Channel.ValidCode(strings.Repeat("9", 300)) {
		t.Errorf("ValidCode: %s is the channel's own; an empty or 300-character code is not", code)
	}
	if _, err := f.Channel.Decode(kind, []byte(`{"not":"an order`)); err == nil {
		t.Fatal("a body that cannot be read must be an error (it is kept, never applied)")
	}
}

func testDetails(t *testing.T, f Fixture) {
	code, _, _ := f.Place(t)
	details, err := f.Channel.Details(ctx(t), []string{code, "no-such-order-0000000000"})
	if err != nil {
		t.Fatal(err)
	}
	if len(details) != 1 || details[0].Order.Code != code {
		t.Fatalf("details: %+v, want only %s (an unknown code is left out)", details, code)
	}
	if len(details[0].Order.Items) == 0 || details[0].Order.ActualPay <= 0 {
		t.Fatalf("detail of %s has no items or no amount: %+v", code, details[0].Order)
	}
}

func testLifecycle(t *testing.T, f Fixture) {
	code, accept := placeAccepted(t, f)
	st, err := f.Channel.Standing(ctx(t), accept, true)
	if err != nil || !st.Done || st.Note == "" {
		t.Fatalf("standing of a done accept: %+v %v, want done with a note for staff", st, err)
	}
	have, ok := f.Channel.Confirmed(accept, 0)
	if !ok {
		t.Fatal("a confirmed accept records the status it left")
	}
	if _, again := f.Channel.Confirmed(accept, have); again {
		t.Fatal("confirming the same call twice must not move the recorded status")
	}
	made := do(t, f, bridge.ActMade, code, "")
	wantStatus(t, f, code, order.StatusMade)
	next, ok := f.Channel.Confirmed(made, have)
	if !ok {
		t.Fatal("a confirmed made call moves the recorded status on")
	}
	if _, back := f.Channel.Confirmed(accept, next); back {
		t.Fatal("a late accept must never move the recorded status back")
	}
	do(t, f, bridge.ActComplete, code, "")
	wantStatus(t, f, code, order.StatusCompleted)
	if st, err := f.Channel.Standing(ctx(t), made, false); err != nil || !st.Done {
		t.Fatalf("standing of made after completion: %+v %v, want done", st, err)
	}
}

func testReject(t *testing.T, f Fixture) {
	code, _, _ := f.Place(t)
	do(t, f, bridge.ActReject, code, "原料不足")
	wantStatus(t, f, code, order.StatusRejected)
}

func testMoot(t *testing.T, f Fixture) {
	code, _ := placeAccepted(t, f)
	f.CancelThere(t, code)
	kind, payload, err := f.Channel.Prepare(bridge.Request{Action: bridge.ActMade, Code: code, Operator: "posbridge"})
	if err != nil {
		t.Fatal(err)
	}
	call := bridge.Call{ID: 2, TxID: txID(bridge.ActMade, code), Kind: kind, Op: string(bridge.ActMade), Code: code,
		Payload: payload, CreatedAt: time.Now()}
	for _, thorough := range []bool{false, true} {
		st, err := f.Channel.Standing(ctx(t), call, thorough)
		if err != nil || !st.Moot || st.Done || st.Reason == "" {
			t.Fatalf("standing (thorough %v) of made for a cancelled order: %+v %v, want moot with a reason", thorough, st, err)
		}
		if st.Change == nil || st.Change.Code != code {
			t.Fatalf("a moot call carries what the channel says of the order: %+v", st.Change)
		}
	}
}

func testRefunds(t *testing.T, f Fixture) {
	refused, _ := placeAccepted(t, f)
	f.RequestRefund(t, refused)
	do(t, f, bridge.ActRefundReject, refused, "已出餐")
	wantStatus(t, f, refused, order.StatusAccepted)

	approved, _ := placeAccepted(t, f)
	f.RequestRefund(t, approved)
	call := do(t, f, bridge.ActRefundApprove, approved, "")
	if got := f.Status(t, approved); got != order.StatusCancelled && got != order.StatusRefunded {
		t.Fatalf("an approved refund leaves the order %s at the other side, want cancelled or refunded", got)
	}
	if st, err := f.Channel.Standing(ctx(t), call, true); err != nil || !st.Done {
		t.Fatalf("standing of a done refund approval: %+v %v", st, err)
	}
}

func testCancel(t *testing.T, f Fixture) {
	code, _ := placeAccepted(t, f)
	do(t, f, bridge.ActMade, code, "")
	do(t, f, bridge.ActCancel, code, "顾客要求退款")
	if got := f.Status(t, code); got != order.StatusCancelled && got != order.StatusRefunded {
		t.Fatalf("a cancel leaves the order %s at the other side, want cancelled or refunded", got)
	}
}

func testStatuses(t *testing.T, f Fixture) {
	open, _ := placeAccepted(t, f)
	gone, _, _ := f.Place(t)
	do(t, f, bridge.ActReject, gone, "")
	changes, err := f.Channel.Statuses(ctx(t), []string{open, gone})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range changes {
		if c.Kind != order.ChangeStatus || c.Source.Or(f.Channel.Source()) != f.Channel.Source() {
			t.Errorf("status change %+v is not a status of %s", c, f.Channel.Source())
		}
		seen[c.Code] = true
	}
	if !seen[open] || !seen[gone] || len(changes) != 2 {
		t.Fatalf("statuses of %s and %s: %+v", open, gone, changes)
	}
}

func testFailure(t *testing.T, f Fixture) {
	code, _, _ := f.Place(t)
	kind, payload, err := f.Channel.Prepare(bridge.Request{Action: bridge.ActAccept, Code: code, Operator: "posbridge"})
	if err != nil {
		t.Fatal(err)
	}
	call := bridge.Call{ID: 3, TxID: "ct-fail-" + code, Kind: kind, Op: string(bridge.ActAccept), Code: code,
		Payload: payload, CreatedAt: time.Now()}
	f.FailNext(t)
	_, err = f.Channel.Send(ctx(t), call)
	if err == nil {
		t.Fatal("the other side failed the call; Send must say so")
	}
	v := f.Channel.Classify(err)
	if !v.Retry {
		t.Errorf("a server error is worth a retry: %+v for %v", v, err)
	}
	if !chinese(v.Message) {
		t.Errorf("staff read why in Chinese: %q", v.Message)
	}
	// The outbox sends again under a fresh transaction id, once the
	// standing says the first attempt did nothing.
	st, err := f.Channel.Standing(ctx(t), call, true)
	if err != nil || st.Done || st.Moot {
		t.Fatalf("standing after a failed accept: %+v %v, want nothing done", st, err)
	}
	call.TxID += "-2"
	if _, err := f.Channel.Send(ctx(t), call); err != nil {
		t.Fatalf("the retry: %v", err)
	}
	wantStatus(t, f, code, order.StatusAccepted)
}

func chinese(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

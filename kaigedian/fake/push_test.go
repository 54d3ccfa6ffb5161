package fake_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// receiver is a push listener built from the real push decoders.
type receiver struct {
	mu       sync.Mutex
	changes  []order.Change
	tokens   []string
	failNext int
	refusals int
	open     bool // accept unsigned pushes (no platform key configured)
}

func (rc *receiver) handler(t *testing.T, p func() *fake.Platform) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		kind := kaigedian.PushKind(r.URL.Path[len("/kaigedian/push/"):])
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.tokens = append(rc.tokens, r.Header.Get("X-Push-Token"))
		if rc.failNext > 0 {
			rc.failNext--
			http.Error(w, "disk full", http.StatusInternalServerError)
			return
		}
		pub := p().PlatformPublicKey()
		if rc.open {
			pub = nil
		}
		info, err := kaigedian.ValidatePush(kind, raw, pub)
		if err != nil {
			rc.refusals++
			_, _ = w.Write(kaigedian.PushReply("21", err.Error()))
			return
		}
		c, err := kaigedian.DecodePush(info.Kind, info.Body)
		if err != nil {
			t.Errorf("decode: %v", err)
		}
		rc.changes = append(rc.changes, c)
		_, _ = io.WriteString(w, kaigedian.PushReplyOK)
	})
}

func (rc *receiver) snapshot() []order.Change {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]order.Change(nil), rc.changes...)
}

func pushRig(t *testing.T, mutate func(*fake.Options)) (*rig, *receiver) {
	t.Helper()
	rc := &receiver{}
	var r *rig
	srv := httptest.NewServer(rc.handler(t, func() *fake.Platform { return r.p }))
	t.Cleanup(srv.Close)
	r = newRig(t, func(o *fake.Options) {
		o.PushURL, o.PushSigned, o.PushToken = srv.URL, true, "push-secret"
		o.PushRetryDelay = 5 * time.Millisecond
		if mutate != nil {
			mutate(o)
		}
	})
	return r, rc
}

func waitPushes(t *testing.T, p *fake.Platform) {
	t.Helper()
	if err := p.WaitPushes(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestPushesAreSignedAndFollowTheFlows(t *testing.T) {
	r, rc := pushRig(t, nil)
	ctx := t.Context()
	seen := 0
	// step runs one action and returns the pushes it caused (concurrent
	// pushes may arrive in any order, so they are keyed by kind).
	step := func(action func() error) map[order.ChangeKind]order.Change {
		t.Helper()
		if err := action(); err != nil {
			t.Fatal(err)
		}
		waitPushes(t, r.p)
		all := rc.snapshot()
		out := map[order.ChangeKind]order.Change{}
		for _, c := range all[seen:] {
			if _, dup := out[c.Kind]; dup {
				t.Fatalf("two %s pushes for one action: %+v", c.Kind, all[seen:])
			}
			if c.At.IsZero() && c.Kind != order.ChangeEvent {
				t.Errorf("push without a time: %+v", c)
			}
			out[c.Kind] = c
		}
		seen = len(all)
		return out
	}
	var a, b order.Order
	got := step(func() error { a = r.p.NewOrder(fake.OrderSpec{Type: order.TypePickup}); return nil })
	if c := got[order.ChangeStatus]; len(got) != 1 || c.Code != a.Code || c.PlatformStatus != 1 {
		t.Fatalf("new order: %+v", got)
	}
	got = step(func() error { return r.p.CancelByUser(a.Code, "不想要了") })
	if c := got[order.ChangeStatus]; len(got) != 1 || c.PlatformStatus != 6 || c.CancelType != 2 || c.CancelStatus != 5 || c.Reason != "不想要了" {
		t.Fatalf("user cancel: %+v", got)
	}
	step(func() error { b = r.p.NewOrder(fake.OrderSpec{Type: order.TypeDelivery}); return nil })
	got = step(func() error {
		return r.client.StatusOperation(ctx, "tx-b-3", kaigedian.StatusOperationRequest{OrderCode: b.Code, OrderStatus: 3})
	})
	if c := got[order.ChangeStatus]; len(got) != 1 || c.PlatformStatus != 3 {
		t.Fatalf("accepted: %+v", got)
	}
	got = step(func() error { return r.p.RequestRefund(b.Code, "太慢了") })
	st, rf := got[order.ChangeStatus], got[order.ChangeRefund]
	if len(got) != 2 || st.PlatformStatus != 3 || st.CancelStatus != order.RefundRequested ||
		rf.CancelStatus != order.RefundRequested || rf.CancelType != 2 || rf.Reason != "太慢了" {
		t.Fatalf("refund request: order push cancelStatus 1 and refund push refundStatus 1: %+v", got)
	}
	got = step(func() error { return r.p.RemindPrepare(b.Code) })
	if c := got[order.ChangeEvent]; len(got) != 1 || c.EventType != 1 || c.Code != b.Code {
		t.Fatalf("event: %+v", got)
	}
	got = step(func() error {
		return r.client.RefundOperation(ctx, "tx-b-refund", kaigedian.RefundOperationRequest{OrderCode: b.Code, Action: 2, Reason: "已出餐"})
	})
	if rf := got[order.ChangeRefund]; len(got) != 2 || rf.CancelStatus != order.RefundRefused {
		t.Fatalf("refused refund: %+v", got)
	}

	rc.mu.Lock()
	for _, tok := range rc.tokens {
		if tok != "push-secret" {
			t.Errorf("X-Push-Token %q", tok)
		}
	}
	refusals := rc.refusals
	rc.mu.Unlock()
	if refusals != 0 {
		t.Fatalf("%d pushes failed signature checks", refusals)
	}
	stats := r.p.PushStats()
	if stats.Acked != 9 || stats.Failed != 0 || stats.Pending != 0 || len(r.p.PushLatencies()) != 9 {
		t.Fatalf("stats %+v", stats)
	}
	for _, s := range r.p.PushSamples() {
		if s.Code == "" || s.Kind == "" || s.Sent.IsZero() || s.Latency <= 0 || time.Since(s.Sent) < s.Latency {
			t.Fatalf("push sample without its order, kind or times: %+v", s)
		}
	}
}

func TestDeliveryPushAfterCourierPicksUp(t *testing.T) {
	r, rc := pushRig(t, func(o *fake.Options) { o.PushSigned = false })
	rc.open = true
	ctx := t.Context()
	o := r.p.NewOrder(fake.OrderSpec{Type: order.TypeDelivery, NoPush: true})
	_ = r.client.StatusOperation(ctx, "tx-1", kaigedian.StatusOperationRequest{OrderCode: o.Code, OrderStatus: 3})
	err := r.client.StatusOperation(ctx, "tx-2", kaigedian.StatusOperationRequest{OrderCode: o.Code, OrderStatus: 4,
		Delivery: &kaigedian.DeliveryInfo{ContactsName: "王师傅", Mobile: "13800000000"}})
	if err != nil {
		t.Fatal(err)
	}
	waitPushes(t, r.p)
	got := rc.snapshot()
	var statuses []int
	var d order.Change
	for _, c := range got {
		if c.Kind == order.ChangeDelivery {
			d = c
		} else {
			statuses = append(statuses, c.PlatformStatus)
		}
	}
	if len(got) != 3 || !slices.Contains(statuses, 3) || !slices.Contains(statuses, 4) {
		t.Fatalf("accepted, delivering, delivery: %+v", got)
	}
	if d.Kind != order.ChangeDelivery || d.Code != o.Code || d.DeliveryStatus != 5 || d.RiderName != "王师傅" || d.RiderPhone != "13800000000" {
		t.Fatalf("delivery push: %+v", d)
	}
	if snap, _ := r.p.Order(o.Code); snap.Operations[1].Delivery.ContactsName != "王师傅" {
		t.Fatalf("the courier is recorded: %+v", snap.Operations)
	}
}

// A receiver that requires signatures refuses bare bodies; the platform
// retries and then gives up, and the counters say so.
func TestUnsignedPushesRefusedWhenKeyRequired(t *testing.T) {
	r, rc := pushRig(t, func(o *fake.Options) { o.PushSigned = false; o.PushRetries = 1 })
	r.p.NewOrder(fake.OrderSpec{})
	waitPushes(t, r.p)
	rc.mu.Lock()
	refusals := rc.refusals
	rc.mu.Unlock()
	if st := r.p.PushStats(); refusals != 2 || st.Failed != 1 || st.Attempts != 2 || st.Acked != 0 {
		t.Fatalf("refusals %d stats %+v", refusals, st)
	}
}

func TestPushRetriesAndDuplicates(t *testing.T) {
	r, rc := pushRig(t, func(o *fake.Options) { o.PushDuplicates = 1 })
	rc.mu.Lock()
	rc.failNext = 2
	rc.mu.Unlock()
	o := r.p.NewOrder(fake.OrderSpec{})
	waitPushes(t, r.p)
	got := rc.snapshot()
	if len(got) != 2 || got[0].Code != o.Code || got[1].Code != o.Code {
		t.Fatalf("a duplicated push arrives twice after retries: %+v", got)
	}
	st := r.p.PushStats()
	if st.Queued != 2 || st.Attempts != 4 || st.Acked != 2 {
		t.Fatalf("stats %+v", st)
	}

	r.p.SetPushEnabled(false)
	r.p.NewOrder(fake.OrderSpec{})
	waitPushes(t, r.p)
	if st := r.p.PushStats(); st.Dropped != 2 || len(rc.snapshot()) != 2 {
		t.Fatalf("disabled pushes are dropped: %+v", st)
	}
}

package fake_test

import (
	"io"
	"net/http"
	"net/http/httptest"
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
	a := r.p.NewOrder(fake.OrderSpec{Type: order.TypePickup})
	b := r.p.NewOrder(fake.OrderSpec{Type: order.TypeDelivery})
	waitPushes(t, r.p)
	if err := r.p.CancelByUser(a.Code, "不想要了"); err != nil {
		t.Fatal(err)
	}
	if err := r.client.StatusOperation(ctx, "tx-b-3", kaigedian.StatusOperationRequest{OrderCode: b.Code, OrderStatus: 3}); err != nil {
		t.Fatal(err)
	}
	waitPushes(t, r.p)
	if err := r.p.RequestRefund(b.Code, "太慢了"); err != nil {
		t.Fatal(err)
	}
	waitPushes(t, r.p)
	if err := r.p.RemindPrepare(b.Code); err != nil {
		t.Fatal(err)
	}
	waitPushes(t, r.p)
	if err := r.client.RefundOperation(ctx, "tx-b-refund", kaigedian.RefundOperationRequest{OrderCode: b.Code, Action: 2, Reason: "已出餐"}); err != nil {
		t.Fatal(err)
	}
	waitPushes(t, r.p)

	byOrder := map[string][]order.Change{}
	for _, c := range rc.snapshot() {
		byOrder[c.Code] = append(byOrder[c.Code], c)
	}
	ca := byOrder[a.Code]
	if len(ca) != 2 || ca[0].PlatformStatus != 1 || ca[1].PlatformStatus != 6 || ca[1].CancelType != 2 || ca[1].CancelStatus != 5 {
		t.Fatalf("new then user cancel: %+v", ca)
	}
	var kinds []string
	for _, c := range byOrder[b.Code] {
		kinds = append(kinds, string(c.Kind))
	}
	cb := byOrder[b.Code]
	// new, accepted, refund request (order push + refund push), event, refused (order + refund)
	if len(cb) != 7 {
		t.Fatalf("pushes for b: %v", kinds)
	}
	if cb[2].Kind != order.ChangeStatus || cb[2].CancelStatus != order.RefundRequested || cb[2].PlatformStatus != 3 ||
		cb[3].Kind != order.ChangeRefund || cb[3].CancelStatus != order.RefundRequested || cb[3].Reason != "太慢了" {
		t.Fatalf("refund request pushes: %+v", cb[2:4])
	}
	if cb[4].Kind != order.ChangeEvent || cb[4].EventType != 1 {
		t.Fatalf("event push: %+v", cb[4])
	}
	if cb[6].Kind != order.ChangeRefund || cb[6].CancelStatus != order.RefundRefused {
		t.Fatalf("refused refund push: %+v", cb[6])
	}
	for _, c := range rc.snapshot() {
		if c.At.IsZero() && c.Kind != order.ChangeEvent {
			t.Errorf("push without a time: %+v", c)
		}
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
	st := r.p.PushStats()
	if st.Acked != 9 || st.Failed != 0 || st.Pending != 0 || len(r.p.PushLatencies()) != 9 {
		t.Fatalf("stats %+v", st)
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
	if len(got) != 3 || got[1].PlatformStatus != 4 {
		t.Fatalf("accepted, delivering, delivery: %+v", got)
	}
	d := got[2]
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

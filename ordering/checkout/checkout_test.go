package checkout

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/provider/qfpay"
	"github.com/posbridge/posbridge/ordering/provider/qfpay/fake"
	"github.com/posbridge/posbridge/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// rig is Payments on a real SQLite file with 钱方's fake, its
// notifications arriving at a real listener.
type rig struct {
	t     *testing.T
	db    *store.DB
	pay   *Payments
	fake  *fake.Server
	clock *clock
	paid  atomic.Int32 // hand-overs to the flow
	acks  atomic.Int32
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, clock: &clock{t: time.Now()}}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "posbridge.db"), store.Options{SkipIntegrity: true, Now: r.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.db = db
	var receiver *httptest.Server
	receiver = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		ack, err := r.pay.Notify(req.Context(), "qf", payment.Notification{Header: req.Header, Query: req.URL.Query(), Body: body})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.acks.Add(1)
		io.WriteString(w, ack)
	}))
	t.Cleanup(receiver.Close)
	f, err := fake.Start("127.0.0.1:0", fake.Options{NotifyURL: receiver.URL, TimeScale: 1e6, Now: r.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r.fake = f
	c, err := qfpay.New(qfpay.Config{AppCode: f.AppCode(), ClientKey: f.ClientKey(), APIBaseURL: f.URL(), PayPageURL: f.PayPageURL()}, qfpay.Options{Now: r.clock.now, PayTimeout: time.Second, QueryTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	prov := qfpay.NewProvider(c)
	r.pay = New(Options{
		DB: db, Restaurants: []int64{1}, Now: r.clock.now,
		Provider: func(rid int64, name string) (payment.Provider, bool) {
			return prov, rid == 1 && name == "qf"
		},
		NotifyURL: func(string) string { return receiver.URL },
		Paid:      func(context.Context, *store.OrderingOrder) { r.paid.Add(1) },
	})
	return r
}

// order stores an order waiting for its online payment of ￥12.50.
func (r *rig) order() *store.OrderingOrder {
	r.t.Helper()
	o, _, err := r.db.CreateOrderingOrder(context.Background(), store.NewOrderingOrder{Order: store.OrderingOrder{
		RestaurantID: 1, StoreID: "1862", TableID: -1, EatType: 2, Status: 0, PaidType: 2, BusinessDay: "2026-12-02",
		TotalFee: 1250, ViewTokenHash: "x", OrderJSON: "{}",
	}})
	if err != nil {
		r.t.Fatal(err)
	}
	return o
}

func (r *rig) payURL(o *store.OrderingOrder) (string, string) {
	r.t.Helper()
	u, err := r.pay.PayURL(context.Background(), PayRequest{Order: o, Provider: "qf", OpenID: "oo3Lss8d0hLOuyTuSJMVwLTk68JE", Description: "茶语时光", ShopName: "茶语时光", ReturnURL: "https://shop.example.com/?rid=1&oid=1"})
	if err != nil || u == "" {
		r.t.Fatalf("pay-url: %q %v", u, err)
	}
	atts, err := r.db.OrderingPayments(context.Background(), o.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	return u, atts[len(atts)-1].TradeNo
}

func (r *rig) reload(o *store.OrderingOrder) *store.OrderingOrder {
	r.t.Helper()
	cur, err := r.db.OrderingOrder(context.Background(), o.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	return cur
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestPaidOnceWhenNotificationsAndQueriesRace(t *testing.T) {
	r := newRig(t)
	o := r.order()
	if paid, err := r.pay.IsPaid(context.Background(), o); err != nil || paid {
		t.Fatalf("unpaid order: %v %v", paid, err)
	}
	_, tradeNo := r.payURL(o)
	if !r.fake.Pay(tradeNo) {
		t.Fatal("the fake did not take the payment")
	}
	// the provider's notification, replayed many times, and the page's
	// is-paid, all at once
	waitFor(t, "the first notification", func() bool { return len(r.fake.Deliveries()) > 0 })
	d := r.fake.Deliveries()[0]
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, err := r.pay.Notify(context.Background(), "qf", payment.Notification{Header: d.Header, Body: d.Body}); err != nil {
				t.Errorf("replayed notification: %v", err)
			}
		}()
		go func() {
			defer wg.Done()
			if paid, err := r.pay.IsPaid(context.Background(), o); err != nil {
				t.Errorf("is-paid: %v %v", paid, err)
			}
		}()
	}
	wg.Wait()
	cur := r.reload(o)
	if cur.Status != 1 || cur.PaidAt.IsZero() {
		t.Fatalf("order after paying: status %d paid %v", cur.Status, cur.PaidAt)
	}
	if n := r.paid.Load(); n != 1 {
		t.Fatalf("handed to the flow %d times, want once", n)
	}
	if refunds, _ := r.db.OrderingRefunds(context.Background(), o.ID); len(refunds) != 0 {
		t.Fatalf("a race refunded: %+v", refunds)
	}
	if paid, err := r.pay.IsPaid(context.Background(), cur); err != nil || !paid {
		t.Fatalf("is-paid after: %v %v", paid, err)
	}
	// a paid order gets no new pay page
	if _, err := r.pay.PayURL(context.Background(), PayRequest{Order: cur, Provider: "qf", OpenID: "x"}); err != ErrNotPayable {
		t.Fatalf("pay-url of a paid order: %v", err)
	}
}

func TestForgedNotificationChangesNothing(t *testing.T) {
	r := newRig(t)
	o := r.order()
	_, tradeNo := r.payURL(o)
	body := []byte(`{"status":"1","notify_type":"payment","out_trade_no":"` + tradeNo + `","txamt":"1250","respcd":"0000","cancel":"0"}`)
	for name, h := range map[string]http.Header{
		"unsigned":   {},
		"wrong sign": {"X-Qf-Sign": {"0123456789ABCDEF0123456789ABCDEF"}},
	} {
		if _, err := r.pay.Notify(context.Background(), "qf", payment.Notification{Header: h, Body: body}); err == nil {
			t.Errorf("%s notification taken", name)
		}
	}
	// a correctly signed claim of a payment that did not happen: our own
	// query finds it unpaid
	h := http.Header{"X-Qf-Sign": {qfpay.NotificationSign(body, r.fake.ClientKey())}}
	if _, err := r.pay.Notify(context.Background(), "qf", payment.Notification{Header: h, Body: body}); err != nil {
		t.Fatalf("signed notification: %v", err)
	}
	// a trade number we never issued
	other := bytes.ReplaceAll(body, []byte(tradeNo), []byte("99999999999999999999"))
	if _, err := r.pay.Notify(context.Background(), "qf", payment.Notification{Header: http.Header{"X-Qf-Sign": {qfpay.NotificationSign(other, r.fake.ClientKey())}}, Body: other}); err == nil {
		t.Fatal("a notification of a trade number we never issued was taken")
	}
	if cur := r.reload(o); cur.Status != 0 || r.paid.Load() != 0 {
		t.Fatalf("a forged notification changed the order: %d, paid %d", cur.Status, r.paid.Load())
	}
}

func TestUnpaidOrderExpiresAndLatePaymentsAreRefunded(t *testing.T) {
	r := newRig(t)
	o := r.order()
	_, tradeNo := r.payURL(o)
	r.pay.Sweep(context.Background())
	if cur := r.reload(o); cur.Status != 0 {
		t.Fatalf("closed before the expiry: %d", cur.Status)
	}
	r.clock.add(DefaultExpire + time.Second)
	r.pay.Sweep(context.Background())
	cur := r.reload(o)
	if cur.Status != -1 || cur.StatusNote != ClosedNote {
		t.Fatalf("after the expiry: %d %q", cur.Status, cur.StatusNote)
	}
	if r.fake.Pay(tradeNo) {
		t.Fatal("the closed attempt could still be paid at the provider")
	}
	if _, err := r.pay.PayURL(context.Background(), PayRequest{Order: cur, Provider: "qf", OpenID: "x"}); err != ErrNotPayable {
		t.Fatalf("pay-url of a closed order: %v", err)
	}
	if r.paid.Load() != 0 {
		t.Fatal("a closed order went to the flow")
	}

	// two pay pages, both paid: the second payment is refunded, once
	o2 := r.order()
	_, first := r.payURL(o2)
	_, second := r.payURL(o2)
	r.fake.Pay(first)
	r.fake.Pay(second)
	waitFor(t, "both notifications taken", func() bool { return r.acks.Load() >= 2 })
	refunds, err := r.db.OrderingRefunds(context.Background(), o2.ID)
	if err != nil || len(refunds) != 1 || refunds[0].Reason != "duplicate" || refunds[0].AmountFen != 1250 {
		t.Fatalf("refunds of a twice-paid order: %+v %v", refunds, err)
	}
	r.pay.Sweep(context.Background())
	r.pay.Sweep(context.Background())
	refunds, _ = r.db.OrderingRefunds(context.Background(), o2.ID)
	if refunds[0].State != store.RefundDone || refunds[0].Tries != 1 {
		t.Fatalf("refund after the sweep: %+v", refunds[0])
	}
	if r.paid.Load() != 1 {
		t.Fatalf("hand-overs: %d", r.paid.Load())
	}
}

func TestStaffRefundGoesToTheProviderOnce(t *testing.T) {
	r := newRig(t)
	o := r.order()
	_, tradeNo := r.payURL(o)
	r.fake.Pay(tradeNo)
	waitFor(t, "paid", func() bool { return r.reload(o).Status == 1 })
	// the provider's first refund answer is lost: the retry, with the same
	// refund number, finds the refund made and sends no second one
	r.fake.LoseNextReply("/trade/v1/refund")
	if n, err := r.pay.RefundOrder(context.Background(), o.ID, "rejected"); err != nil || n != 1 {
		t.Fatalf("queue refund: %d %v", n, err)
	}
	if n, _ := r.pay.RefundOrder(context.Background(), o.ID, "rejected"); n != 0 {
		t.Fatal("a second refund was queued for the same payment")
	}
	r.pay.Sweep(context.Background())
	r.clock.add(time.Hour)
	r.pay.Sweep(context.Background())
	refunds, _ := r.db.OrderingRefunds(context.Background(), o.ID)
	if len(refunds) != 1 || refunds[0].State != store.RefundDone {
		t.Fatalf("refund: %+v", refunds)
	}
	if calls := r.fake.Calls("/trade/v1/refund"); calls != 1 {
		t.Fatalf("refund sent %d times, want once", calls)
	}
}

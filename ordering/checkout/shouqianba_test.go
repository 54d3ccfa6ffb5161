package checkout

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/provider/shouqianba"
	sqbfake "github.com/posbridge/posbridge/ordering/provider/shouqianba/fake"
	"github.com/posbridge/posbridge/store"
)

// newSQBRig is the rig with 收钱吧's fake: its terminal activated on the
// first call and kept in the data folder, notifications verified with its
// public key and confirmed by a signed query.
func newSQBRig(t *testing.T) (*rig, *sqbfake.Server, string) {
	t.Helper()
	r := &rig{t: t, clock: &clock{t: time.Now()}}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "posbridge.db"), store.Options{SkipIntegrity: true, Now: r.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.db = db
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		ack, err := r.pay.Notify(req.Context(), "sqb", payment.Notification{Header: req.Header, Query: req.URL.Query(), Body: body})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.acks.Add(1)
		io.WriteString(w, ack)
	}))
	t.Cleanup(receiver.Close)
	f, err := sqbfake.Start("127.0.0.1:0", sqbfake.Options{TimeScale: 1e6, Now: r.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	dataDir := t.TempDir()
	pub := filepath.Join(t.TempDir(), "sqb-public.pem")
	if err := os.WriteFile(pub, f.PublicKeyPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := shouqianba.New(shouqianba.Config{VendorSN: f.VendorSN(), VendorKey: f.VendorKey(), AppID: f.AppID(),
		ActivationCode: f.IssueActivationCode(5), APIBaseURL: f.URL(), WAPBaseURL: f.WAPURL(), PublicKeyFile: pub},
		shouqianba.Options{DataDir: dataDir, Now: r.clock.now, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	prov := shouqianba.NewProvider(c)
	r.pay = New(Options{
		DB: db, Restaurants: []int64{1}, Now: r.clock.now,
		Provider:  func(rid int64, name string) (payment.Provider, bool) { return prov, rid == 1 && name == "sqb" },
		NotifyURL: func(string) string { return receiver.URL },
		Paid:      func(context.Context, *store.OrderingOrder) { r.paid.Add(1) },
	})
	return r, f, c.TerminalFile()
}

func TestShouqianbaPaidOnceAndTerminalKeptPrivate(t *testing.T) {
	r, f, terminal := newSQBRig(t)
	o := r.order()
	u, err := r.pay.PayURL(context.Background(), PayRequest{Order: o, Provider: "sqb", Description: "茶语时光", ShopName: "茶语时光",
		ReturnURL: "https://shop.example.com/?rid=1&oid=1"})
	if err != nil || u == "" {
		t.Fatalf("pay-url: %q %v", u, err)
	}
	info, err := os.Stat(terminal)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the activated terminal %s: %v %v", terminal, info, err)
	}
	// the customer opens 收钱吧's cashier page, which creates the order there
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	atts, _ := r.db.OrderingPayments(context.Background(), o.ID)
	if !f.Pay(atts[0].TradeNo) {
		t.Fatal("the fake did not take the payment")
	}
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.pay.IsPaid(context.Background(), o); err != nil {
				t.Errorf("is-paid: %v", err)
			}
		}()
	}
	wg.Wait()
	waitFor(t, "the notification taken", func() bool { return r.acks.Load() >= 1 })
	if cur := r.reload(o); cur.Status != 1 || r.paid.Load() != 1 {
		t.Fatalf("status %d, handed over %d times", cur.Status, r.paid.Load())
	}
	// a notification with a forged signature changes nothing and is refused
	body := []byte(`{"sn":"7894259244067344","client_sn":"` + atts[0].TradeNo + `","status":"SUCCESS","order_status":"PAID","total_amount":"1250"}`)
	if _, err := r.pay.Notify(context.Background(), "sqb", payment.Notification{Header: http.Header{"Authorization": {"Zm9yZ2Vk"}}, Body: body}); err == nil {
		t.Fatal("a forged 收钱吧 notification was taken")
	}
	// staff refund, once
	if n, err := r.pay.RefundOrder(context.Background(), o.ID, "staff"); err != nil || n != 1 {
		t.Fatalf("refund: %d %v", n, err)
	}
	r.pay.Sweep(context.Background())
	refunds, _ := r.db.OrderingRefunds(context.Background(), o.ID)
	if len(refunds) != 1 || refunds[0].State != store.RefundDone {
		t.Fatalf("refunds: %+v", refunds)
	}
}

package shouqianba_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/payment/paymenttest"
	"github.com/posbridge/posbridge/ordering/provider"
	"github.com/posbridge/posbridge/ordering/provider/internal/clock"
	"github.com/posbridge/posbridge/ordering/provider/shouqianba"
	"github.com/posbridge/posbridge/ordering/provider/shouqianba/fake"
)

type rig struct {
	fake   *fake.Server
	cfg    shouqianba.Config
	opts   shouqianba.Options
	client *shouqianba.Client
	prov   *shouqianba.Provider
	log    *bytes.Buffer
}

type setup struct {
	fake    fake.Options
	pubKey  bool
	dataDir string
	mutate  func(*shouqianba.Config, *shouqianba.Options)
}

// signingKey is made once: a 2048-bit key per fake made the tests slow.
var signingKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func newRig(t *testing.T, s setup) *rig {
	t.Helper()
	if s.fake.SigningKey == nil {
		s.fake.SigningKey = signingKey()
	}
	if s.fake.TimeScale == 0 {
		s.fake.TimeScale = 100
	}
	f, err := fake.Start("127.0.0.1:0", s.fake)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	if s.dataDir == "" {
		s.dataDir = t.TempDir()
	}
	cfg := shouqianba.Config{VendorSN: f.VendorSN(), VendorKey: f.VendorKey(), AppID: f.AppID(),
		ActivationCode: f.IssueActivationCode(5), APIBaseURL: f.URL(), WAPBaseURL: f.WAPURL()}
	if s.pubKey {
		cfg.PublicKeyFile = filepath.Join(t.TempDir(), "sqb-public.pem")
		if err := os.WriteFile(cfg.PublicKeyFile, f.PublicKeyPEM(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var log bytes.Buffer
	o := shouqianba.Options{DataDir: s.dataDir, Timeout: 2 * time.Second, Now: s.fake.Now,
		Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if s.mutate != nil {
		s.mutate(&cfg, &o)
	}
	r := &rig{fake: f, cfg: cfg, opts: o, log: &log}
	r.reopen(t)
	return r
}

// reopen makes a new client on the same data folder (a restart).
func (r *rig) reopen(t *testing.T) {
	t.Helper()
	c, err := shouqianba.New(r.cfg, r.opts)
	if err != nil {
		t.Fatal(err)
	}
	r.client, r.prov = c, shouqianba.NewProvider(c)
}

func TestContract(t *testing.T) {
	paymenttest.Run(t, func(t *testing.T) paymenttest.Harness {
		r := newRig(t, setup{pubKey: true})
		return paymenttest.Harness{
			Provider: r.prov, Receiver: paymenttest.NewReceiver(t, r.prov.NotificationAck()),
			Pay:     func(t *testing.T, c payment.Checkout) { paymenttest.Click(t, c.PayURL, "pay") },
			Abandon: func(t *testing.T, c payment.Checkout) { paymenttest.Click(t, c.PayURL, "cancel") },
		}
	})
}

func create(t *testing.T, r *rig, notify string) payment.Checkout {
	t.Helper()
	c, err := r.prov.Create(context.Background(), payment.CreateRequest{OrderID: "5", TradeNo: payment.NewTradeNo(time.Now()),
		AmountFen: 1250, Description: "奶茶", ShopName: "南翔一店", NotifyURL: notify, ReturnURL: "https://shop.example.com/m/?rid=1&oid=5"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestActivatedOnceAndKeptInA0600File(t *testing.T) {
	r := newRig(t, setup{})
	info, err := r.client.Terminal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(r.client.TerminalFile())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("terminal file %v %v", fi, err)
	}
	b, _ := os.ReadFile(r.client.TerminalFile())
	key, _, _ := r.fake.Terminal(info.TerminalSN)
	if !strings.Contains(string(b), info.TerminalSN) || !strings.Contains(string(b), key) || strings.Contains(string(b), r.cfg.ActivationCode) {
		t.Fatalf("terminal file holds %s", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(r.client.TerminalFile()))
	if len(entries) != 1 {
		t.Fatalf("leftover files in the data folder: %v", entries)
	}
	r.reopen(t) // a restart: the kept terminal is used
	again, err := r.client.Terminal(context.Background())
	if err != nil || again.TerminalSN != info.TerminalSN || r.fake.Calls("/terminal/activate") != 1 {
		t.Fatalf("after a restart: %+v %v, %d activations", again, err, r.fake.Calls("/terminal/activate"))
	}
	if strings.Contains(r.log.String(), key) || strings.Contains(r.log.String(), r.cfg.VendorKey) {
		t.Fatal("a key reached the log")
	}
}

func TestNoActivationCodeNoTerminal(t *testing.T) {
	r := newRig(t, setup{mutate: func(c *shouqianba.Config, _ *shouqianba.Options) { c.ActivationCode = "" }})
	_, err := r.prov.Create(context.Background(), payment.CreateRequest{OrderID: "1", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 1, ReturnURL: "https://x/"})
	if !errors.Is(err, shouqianba.ErrNotActivated) || !strings.Contains(err.Error(), "sqb.activation_code") {
		t.Fatalf("err = %v", err)
	}
}

func TestWrongVendorKeyIsRefusedAtTheRequestLayer(t *testing.T) {
	const wrong = "00000000000000000000000000wrong0"
	r := newRig(t, setup{mutate: func(c *shouqianba.Config, _ *shouqianba.Options) { c.VendorKey = wrong }})
	_, err := r.client.Terminal(context.Background())
	var e *shouqianba.Error
	if !errors.As(err, &e) || e.Layer != "request" || e.ResultCode != "400" || e.Code != "ILLEGAL_SIGN" {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(r.log.String(), wrong) || !strings.Contains(err.Error(), "vendor_key") {
		t.Fatalf("%v: must name the key to check, never show it", err)
	}
}

func TestDailyCheckInRotatesTheKeyOnce(t *testing.T) {
	clk := clock.New(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)) // 23:00 in Shanghai
	r := newRig(t, setup{fake: fake.Options{Now: clk.Now}})
	info, err := r.client.Terminal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := r.fake.Terminal(info.TerminalSN)
	clk.Advance(30 * time.Minute) // 23:30: same day, no check-in
	if _, err := r.client.Query(context.Background(), "", "nothing"); shouqianba.ErrCode(err) != "UPAY_ORDER_NOT_EXISTS" {
		t.Fatal(err)
	}
	if r.fake.Calls("/terminal/checkin") != 0 {
		t.Fatal("checked in twice on one day")
	}
	clk.Advance(time.Hour) // 00:30 the next day
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = r.client.Query(context.Background(), "", "nothing")
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if shouqianba.ErrCode(err) != "UPAY_ORDER_NOT_EXISTS" {
			t.Fatalf("after the check-in: %v", err)
		}
	}
	key, checkins, _ := r.fake.Terminal(info.TerminalSN)
	if checkins != 1 || key == first {
		t.Fatalf("%d check-ins for ten concurrent calls; key rotated: %v", checkins, key != first)
	}
	b, _ := os.ReadFile(r.client.TerminalFile())
	if !strings.Contains(string(b), key) {
		t.Fatal("the new key was not kept")
	}
	r.reopen(t) // the kept key works after a restart (the old one is dead: no grace)
	if _, err := r.client.Query(context.Background(), "", "nothing"); shouqianba.ErrCode(err) != "UPAY_ORDER_NOT_EXISTS" {
		t.Fatalf("after a restart: %v", err)
	}
}

func TestCheckInDayIsTheRestaurants(t *testing.T) {
	clk := clock.New(time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)) // 04:00 in Shanghai, 21:00 in London (+1)
	london := time.FixedZone("Europe/London+1", 3600)
	r := newRig(t, setup{fake: fake.Options{Now: clk.Now}, mutate: func(_ *shouqianba.Config, o *shouqianba.Options) { o.Location = london }})
	if _, err := r.client.Terminal(context.Background()); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour) // 23:00 in London: same day there
	if _, err := r.client.Terminal(context.Background()); err != nil || r.fake.Calls("/terminal/checkin") != 0 {
		t.Fatalf("checked in on the same local day: %v", err)
	}
	clk.Advance(2 * time.Hour) // 01:00 the next day in London
	if _, err := r.client.Terminal(context.Background()); err != nil || r.fake.Calls("/terminal/checkin") != 1 {
		t.Fatalf("no check-in on a new local day: %v", err)
	}
}

func TestFailedCheckInKeepsTheCurrentKey(t *testing.T) {
	clk := clock.New(time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC))
	r := newRig(t, setup{fake: fake.Options{Now: clk.Now}})
	if _, err := r.client.Terminal(context.Background()); err != nil {
		t.Fatal(err)
	}
	clk.Advance(24 * time.Hour)
	r.fake.FailNextHTTP("/terminal/checkin", 502)
	if _, err := r.client.Query(context.Background(), "", "nothing"); shouqianba.ErrCode(err) != "UPAY_ORDER_NOT_EXISTS" {
		t.Fatalf("a failed check-in stopped payments: %v", err)
	}
	if _, err := r.client.Query(context.Background(), "", "nothing"); shouqianba.ErrCode(err) != "UPAY_ORDER_NOT_EXISTS" || r.fake.Calls("/terminal/checkin") != 2 {
		t.Fatalf("the check-in was not tried again: %v, %d", err, r.fake.Calls("/terminal/checkin"))
	}
}

func TestRefusedCheckInReactivatesWithANewCode(t *testing.T) {
	clk := clock.New(time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC))
	r := newRig(t, setup{fake: fake.Options{Now: clk.Now}})
	old, err := r.client.Terminal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(24 * time.Hour)
	r.fake.FailNextCode("/terminal/checkin", "INVALID_TERMINAL")
	if _, err := r.client.Terminal(context.Background()); err == nil || !strings.Contains(err.Error(), "activation code") {
		t.Fatalf("err = %v, want advice to get a new activation code", err)
	}
	r.fake.FailNextCode("/terminal/checkin", "INVALID_TERMINAL")
	r.cfg.ActivationCode = r.fake.IssueActivationCode(1)
	r.cfg.DeviceID = "shop-pc-2" // the PC was replaced
	r.reopen(t)
	now, err := r.client.Terminal(context.Background())
	if err != nil || now.TerminalSN == old.TerminalSN {
		t.Fatalf("re-activation: %+v %v", now, err)
	}
}

func TestRejectedNewKeyFallsBackToThePreviousOne(t *testing.T) {
	r := newRig(t, setup{})
	if _, err := r.client.Terminal(context.Background()); err != nil {
		t.Fatal(err)
	}
	// As if a check-in had stored a key 收钱吧 never issued.
	b, _ := os.ReadFile(r.client.TerminalFile())
	var st map[string]any
	_ = jsonUnmarshal(b, &st)
	st["previous_key"], st["terminal_key"] = st["terminal_key"], "0123456789abcdef0123456789abcdef"
	if err := os.WriteFile(r.client.TerminalFile(), jsonMarshal(st), 0o600); err != nil {
		t.Fatal(err)
	}
	r.reopen(t)
	if _, err := r.client.Query(context.Background(), "", "nothing"); shouqianba.ErrCode(err) != "UPAY_ORDER_NOT_EXISTS" {
		t.Fatalf("err = %v", err)
	}
	b, _ = os.ReadFile(r.client.TerminalFile())
	if strings.Contains(string(b), "0123456789abcdef0123456789abcdef") {
		t.Fatal("the refused key was kept")
	}
}

func TestLostCheckInReplyWithinTheGrace(t *testing.T) {
	clk := clock.New(time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC))
	r := newRig(t, setup{fake: fake.Options{Now: clk.Now, KeyGrace: time.Hour},
		mutate: func(_ *shouqianba.Config, o *shouqianba.Options) { o.Timeout = 200 * time.Millisecond }})
	if _, err := r.client.Terminal(context.Background()); err != nil {
		t.Fatal(err)
	}
	clk.Advance(24 * time.Hour)
	r.fake.LoseNextReply("/terminal/checkin")
	// 收钱吧 rotated the key, we never saw the new one: the old one works for its grace.
	if _, err := r.client.Query(context.Background(), "", "nothing"); shouqianba.ErrCode(err) != "UPAY_ORDER_NOT_EXISTS" {
		t.Fatalf("err = %v", err)
	}
}

func TestWAPURL(t *testing.T) {
	r := newRig(t, setup{})
	c := create(t, r, "https://shop.example.com/api/v1/frontend/payments/sqb/notify")
	u, _ := url.Parse(c.PayURL)
	q := u.Query()
	info, _ := r.client.Terminal(context.Background())
	for k, want := range map[string]string{"terminal_sn": info.TerminalSN, "client_sn": c.Attempt.TradeNo, "total_amount": "1250",
		"payway": "3", "operator": "posbridge", "subject": "南翔一店 奶茶", "return_url": "https://shop.example.com/m/?rid=1&oid=5"} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	if q.Has("reflect") || q.Has("longitude") {
		t.Error("empty parameters are sent")
	}
	if c.Attempt.ProviderTradeNo != "" || r.fake.Calls("/upay/v2/query") != 0 {
		t.Fatal("building the URL called 收钱吧")
	}
	long := strings.Repeat("x", 120)
	_, err := r.prov.Create(context.Background(), payment.CreateRequest{OrderID: "5", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 1, ReturnURL: "https://shop.example.com/" + long})
	if !errors.Is(err, payment.ErrInvalidRequest) {
		t.Fatalf("a return_url over 128 bytes: %v", err)
	}
}

func TestClientSNConflict(t *testing.T) {
	r := newRig(t, setup{})
	c := create(t, r, "")
	paymenttest.Click(t, c.PayURL, "pay")
	// The same number for another amount (or after paying) is refused by the gateway.
	link, err := r.client.WAPURL(context.Background(), shouqianba.WAPRequest{ClientSN: c.Attempt.TradeNo, AmountFen: 99, Subject: "x", ReturnURL: "https://shop.example.com/r"})
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := resp.Location()
	if loc == nil || loc.Query().Get("error_code") != "CLIENT_SN_CONFLICT" || loc.Query().Get("is_success") != "F" {
		t.Fatalf("gateway answered %d %v", resp.StatusCode, loc)
	}
}

func TestTamperedWAPURLIsRefused(t *testing.T) {
	r := newRig(t, setup{})
	c := create(t, r, "")
	resp, err := http.Get(strings.Replace(c.PayURL, "total_amount=1250", "total_amount=1", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || r.fake.Refused("ILLEGAL_SIGN") != 1 {
		t.Fatalf("a changed amount answered %d", resp.StatusCode)
	}
}

func TestThreeLayers(t *testing.T) {
	r := newRig(t, setup{})
	if _, err := r.client.Terminal(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.fake.FailNextHTTP("/upay/v2/query", 502)
	if _, err := r.client.Query(context.Background(), "", "x"); !provider.IsTransport(err) {
		t.Fatalf("HTTP 502: %v", err)
	}
	r.fake.FailNextCode("/upay/v2/query", "UNKNOWN_SYSTEM_ERROR")
	var e *shouqianba.Error
	if _, err := r.client.Query(context.Background(), "", "x"); !errors.As(err, &e) || e.Layer != "request" {
		t.Fatalf("result_code 400: %v", err)
	}
	if _, err := r.client.Query(context.Background(), "", "x"); !errors.As(err, &e) || e.Layer != "business" || e.Code != "UPAY_ORDER_NOT_EXISTS" {
		t.Fatalf("business FAIL: %v", err)
	}
}

func TestHangingQueryTimesOut(t *testing.T) {
	r := newRig(t, setup{mutate: func(_ *shouqianba.Config, o *shouqianba.Options) { o.Timeout = 150 * time.Millisecond }})
	info, err := r.client.Terminal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r.fake.HangNext("/upay/v2/query")
	out, err := r.prov.Query(context.Background(), payment.Attempt{TradeNo: "P1", AmountFen: 1})
	var te *provider.TransportError
	if !errors.As(err, &te) || !te.Timeout || out.State != payment.Unknown {
		t.Fatalf("%+v %v", out, err)
	}
	key, _, _ := r.fake.Terminal(info.TerminalSN)
	if strings.Contains(err.Error(), key) {
		t.Fatal("the terminal key is in the error")
	}
}

func TestLostRefundReplyIsNotRefundedTwice(t *testing.T) {
	r := newRig(t, setup{mutate: func(_ *shouqianba.Config, o *shouqianba.Options) { o.Timeout = 200 * time.Millisecond }})
	c := create(t, r, "")
	paymenttest.Click(t, c.PayURL, "pay")
	req := payment.RefundRequest{Attempt: c.Attempt, RefundNo: payment.NewRefundNo(time.Now()), AmountFen: 500}
	r.fake.LoseNextReply("/upay/v2/refund")
	if res, err := r.prov.Refund(context.Background(), req); err == nil || res.State != payment.RefundUnknown {
		t.Fatalf("lost reply: %+v %v", res, err)
	}
	res, err := r.prov.Refund(context.Background(), req)
	if err != nil || res.State != payment.RefundDone {
		t.Fatalf("retry: %+v %v", res, err)
	}
	o, _ := r.fake.Order(c.Attempt.TradeNo)
	if o.Net != 750 || o.OrderStatus != "PARTIAL_REFUNDED" {
		t.Fatalf("order after the retry: %+v", o)
	}
	other := req
	other.AmountFen = 100
	if res, _ := r.prov.Refund(context.Background(), other); res.State != payment.RefundFailed {
		t.Fatalf("the same refund number for another amount: %+v", res)
	}
}

func TestWithoutAPublicKeyTheQueryDecides(t *testing.T) {
	r := newRig(t, setup{})
	if r.client.VerifiesNotifications() {
		t.Fatal("verifies without a key")
	}
	c := create(t, r, "")
	paymenttest.Click(t, c.PayURL, "cancel") // opened, not paid
	forged := []byte(`{"sn":"1","client_sn":"` + c.Attempt.TradeNo + `","order_status":"PAID","total_amount":"1250","trade_no":"4200"}`)
	var atts paymenttest.Attempts
	atts.Add(c.Attempt)
	out, err := r.prov.ConfirmNotification(context.Background(), payment.Notification{Header: http.Header{}, Body: forged}, atts.Lookup)
	if err != nil || out.State != payment.Pending {
		t.Fatalf("%+v %v: a forged notification was believed", out, err)
	}
}

func TestNotificationRetriedUntilSuccess(t *testing.T) {
	r := newRig(t, setup{pubKey: true, fake: fake.Options{TimeScale: 50}})
	recv := paymenttest.NewReceiver(t, "")
	c := create(t, r, recv.URL)
	paymenttest.Click(t, c.PayURL, "pay")
	recv.Next(t)
	recv.SetAck("success")
	n := recv.Next(t)
	var atts paymenttest.Attempts
	atts.Add(c.Attempt)
	if out, err := r.prov.ConfirmNotification(context.Background(), n, atts.Lookup); err != nil || out.State != payment.Paid {
		t.Fatalf("%+v %v", out, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for d := r.fake.Deliveries(); len(d) < 2 || !d[len(d)-1].Acked; d = r.fake.Deliveries() {
		if time.Now().After(deadline) {
			t.Fatalf("deliveries %+v", d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAmountMismatchIsNeverPaid(t *testing.T) {
	r := newRig(t, setup{})
	c := create(t, r, "")
	paymenttest.Click(t, c.PayURL, "pay")
	r.fake.SetTotal(c.Attempt.TradeNo, 1)
	out, err := r.prov.Query(context.Background(), c.Attempt)
	if !errors.Is(err, payment.ErrAmountMismatch) || out.State == payment.Paid {
		t.Fatalf("%+v %v", out, err)
	}
}

func TestRevokeOnTheDay(t *testing.T) {
	r := newRig(t, setup{})
	c := create(t, r, "")
	paymenttest.Click(t, c.PayURL, "pay")
	res, err := r.client.Revoke(context.Background(), "", c.Attempt.TradeNo)
	if err != nil || res.ResultCode != "CANCEL_SUCCESS" || res.Order.OrderStatus != "CANCELED" {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pem")
	_ = os.WriteFile(bad, []byte("not a key"), 0o600)
	for _, c := range []struct {
		cfg  shouqianba.Config
		want string
	}{
		{shouqianba.Config{}, ""},
		{shouqianba.Config{VendorSN: "1", VendorKey: "k", AppID: "a"}, ""},
		{shouqianba.Config{VendorSN: "1", AppID: "a"}, "sqb.vendor_key: is empty"},
		{shouqianba.Config{VendorSN: "1", VendorKey: "k"}, "sqb.app_id: is empty"},
		{shouqianba.Config{VendorSN: "1", VendorKey: "k", AppID: "a", PublicKeyFile: filepath.Join(dir, "missing.pem")}, "sqb.public_key_file: cannot read"},
		{shouqianba.Config{VendorSN: "1", VendorKey: "k", AppID: "a", PublicKeyFile: bad}, "sqb.public_key_file"},
		{shouqianba.Config{VendorSN: "1", VendorKey: "k", AppID: "a", WAPBaseURL: "http://qr.shouqianba.com/gateway"}, "sqb.wap_base_url: must use https://"},
	} {
		err := c.cfg.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
}

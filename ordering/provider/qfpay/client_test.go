package qfpay_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/payment/paymenttest"
	"github.com/posbridge/posbridge/ordering/provider"
	"github.com/posbridge/posbridge/ordering/provider/internal/clock"
	"github.com/posbridge/posbridge/ordering/provider/qfpay"
	"github.com/posbridge/posbridge/ordering/provider/qfpay/fake"
)

type rig struct {
	fake   *fake.Server
	client *qfpay.Client
	prov   *qfpay.Provider
	log    *bytes.Buffer
}

func newRig(t *testing.T, fo fake.Options, mutate ...func(*qfpay.Config, *qfpay.Options)) *rig {
	t.Helper()
	if fo.TimeScale == 0 {
		fo.TimeScale = 2000 // QFPay's 2-minute retry becomes 60 ms
	}
	f, err := fake.Start("127.0.0.1:0", fo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	cfg := qfpay.Config{AppCode: f.AppCode(), ClientKey: f.ClientKey(), MchID: f.MchID(), APIBaseURL: f.URL(), PayPageURL: f.PayPageURL()}
	var log bytes.Buffer
	o := qfpay.Options{PayTimeout: 2 * time.Second, QueryTimeout: 2 * time.Second, Now: fo.Now,
		Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	for _, m := range mutate {
		m(&cfg, &o)
	}
	c, err := qfpay.New(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{fake: f, client: c, prov: qfpay.NewProvider(c), log: &log}
}

func TestContract(t *testing.T) {
	paymenttest.Run(t, func(t *testing.T) paymenttest.Harness {
		r := newRig(t, fake.Options{MchID: "ZaMVg12345"})
		return paymenttest.Harness{
			Provider: r.prov, Receiver: paymenttest.NewReceiver(t, r.prov.NotificationAck()), OpenID: "oo3Lss8d0hLOuyTuSJMVwLTk68JE",
			Pay:     func(t *testing.T, c payment.Checkout) { paymenttest.Click(t, c.PayURL, "pay") },
			Abandon: func(t *testing.T, c payment.Checkout) { paymenttest.Click(t, c.PayURL, "cancel") },
		}
	})
}

func pay(t *testing.T, r *rig, amount int64) payment.Checkout {
	t.Helper()
	c, err := r.prov.Create(context.Background(), payment.CreateRequest{
		OrderID: "9", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 1250, Description: "奶茶",
		ShopName: "南翔一店", ReturnURL: "https://shop.example.com/m/?rid=1&oid=9", OpenID: "oOpenID",
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHostedPageCarriesThePayParams(t *testing.T) {
	r := newRig(t, fake.Options{})
	c := pay(t, r, 1250)
	u, err := url.Parse(c.PayURL)
	if err != nil || !strings.HasPrefix(c.PayURL, r.fake.PayPageURL()+"?") {
		t.Fatalf("pay URL %s", c.PayURL)
	}
	q := u.Query()
	for k, want := range map[string]string{"txamt": "1250", "currency": "CNY", "mchntnm": "南翔一店", "goods_name": "奶茶",
		"redirect_url": "https://shop.example.com/m/?rid=1&oid=9", "package": c.Params["package"], "paySign": c.Params["paySign"]} {
		if q.Get(k) != want || want == "" {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	tx, ok := r.fake.Lookup(c.Attempt.TradeNo)
	if !ok || tx.Txamt != 1250 || tx.SysSN != c.Attempt.ProviderTradeNo {
		t.Fatalf("fake has %+v", tx)
	}
}

func TestWrongClientKeyIsRefusedAndNeverShown(t *testing.T) {
	const wrong = "WRONGKEY0000000000000000000000AA"
	r := newRig(t, fake.Options{}, func(c *qfpay.Config, _ *qfpay.Options) { c.ClientKey = wrong })
	_, err := r.prov.Create(context.Background(), payment.CreateRequest{OrderID: "1", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 100, ReturnURL: "https://x/", OpenID: "o"})
	if qfpay.Respcd(err) != "1108" || r.fake.Refused("1108") != 1 {
		t.Fatalf("err = %v, want respcd 1108", err)
	}
	if strings.Contains(err.Error(), wrong) || !strings.Contains(err.Error(), "client_key") || strings.Contains(r.log.String(), wrong) {
		t.Fatalf("%v: must name the key to check and never show it", err)
	}
}

func TestMchIDOnlyWhenTheAccountHasOne(t *testing.T) {
	withOne := newRig(t, fake.Options{MchID: "ZaMVg12345"}, func(c *qfpay.Config, _ *qfpay.Options) { c.MchID = "" })
	if _, err := withOne.client.Query(context.Background(), qfpay.QueryRequest{OutTradeNo: "x", Since: time.Now()}); qfpay.Respcd(err) != "1104" {
		t.Fatalf("no mchid for an account with one: %v", err)
	}
	without := newRig(t, fake.Options{}, func(c *qfpay.Config, _ *qfpay.Options) { c.MchID = "ZaMVg12345" })
	if _, err := without.client.Query(context.Background(), qfpay.QueryRequest{OutTradeNo: "x", Since: time.Now()}); qfpay.Respcd(err) != "1104" {
		t.Fatalf("a mchid for an account without: %v", err)
	}
}

func TestDuplicateTradeNumber(t *testing.T) {
	r := newRig(t, fake.Options{})
	req := payment.CreateRequest{OrderID: "1", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 100, ReturnURL: "https://x/", OpenID: "o"}
	if _, err := r.prov.Create(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if _, err := r.prov.Create(context.Background(), req); qfpay.Respcd(err) != "1102" {
		t.Fatalf("second create with the same out_trade_no: %v", err)
	}
}

func TestNoOpenIDNoPayment(t *testing.T) {
	r := newRig(t, fake.Options{})
	_, err := r.prov.Create(context.Background(), payment.CreateRequest{OrderID: "1", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 100, ReturnURL: "https://x/"})
	if !errors.Is(err, payment.ErrInvalidRequest) || r.fake.Calls("/trade/v1/payment") != 0 {
		t.Fatalf("err = %v", err)
	}
}

func TestOAuthThroughQFPay(t *testing.T) {
	r := newRig(t, fake.Options{MchID: "2w1exh5NlY", OpenID: "olaIk1gMClTA5_RnkC7hvmhVpChE"})
	link, err := r.client.OAuthCodeURL("https://api.digwtx.com?rid=1")
	if err != nil {
		t.Fatal(err)
	}
	want := r.fake.URL() + "/tool/v1/get_weixin_oauth_code?app_code=" + r.fake.AppCode() + "&redirect_uri=https%3A%2F%2Fapi.digwtx.com%3Frid%3D1&mchid=2w1exh5NlY&sign="
	if !strings.HasPrefix(link, want) {
		t.Fatalf("link %s\nwant the seed's shape %s…", link, want)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil || loc.Host != "api.digwtx.com" || loc.Query().Get("rid") != "1" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect %v %v", loc, err)
	}
	openid, err := r.client.OpenID(context.Background(), loc.Query().Get("code"))
	if err != nil || openid != "olaIk1gMClTA5_RnkC7hvmhVpChE" {
		t.Fatalf("openid %q %v", openid, err)
	}
	if _, err := r.client.OpenID(context.Background(), loc.Query().Get("code")); qfpay.Respcd(err) == "" {
		t.Fatalf("a used code gave %v", err)
	}
	// A link signed with another key is refused by QFPay.
	bad := newRig(t, fake.Options{MchID: "2w1exh5NlY"}, func(c *qfpay.Config, _ *qfpay.Options) { c.ClientKey = "OTHERKEY00000000000000000000000B" })
	link, _ = bad.client.OAuthCodeURL("https://api.digwtx.com?rid=1")
	resp, err = hc.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusFound || bad.fake.Refused("1108") != 1 {
		t.Fatalf("a badly signed oauth link was followed (%d)", resp.StatusCode)
	}
}

func TestHangingPaymentTimesOutWithoutTheKey(t *testing.T) {
	r := newRig(t, fake.Options{}, func(_ *qfpay.Config, o *qfpay.Options) { o.PayTimeout = 150 * time.Millisecond })
	r.fake.HangNext("/trade/v1/payment")
	_, err := r.prov.Create(context.Background(), payment.CreateRequest{OrderID: "1", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 100, ReturnURL: "https://x/", OpenID: "o"})
	var te *provider.TransportError
	if !errors.As(err, &te) || !te.Timeout || strings.Contains(err.Error(), r.fake.ClientKey()) {
		t.Fatalf("err = %v", err)
	}
}

func TestServerErrorIsTransport(t *testing.T) {
	r := newRig(t, fake.Options{})
	r.fake.FailNextHTTP("/trade/v1/query", 502)
	out, err := r.prov.Query(context.Background(), payment.Attempt{TradeNo: "P1", AmountFen: 1, CreatedAt: time.Now()})
	if !provider.IsTransport(err) || out.State != payment.Unknown {
		t.Fatalf("%+v %v", out, err)
	}
}

func TestNotificationRetriedUntilSUCCESS(t *testing.T) {
	r := newRig(t, fake.Options{})
	recv := paymenttest.NewReceiver(t, "")
	c, err := r.prov.Create(context.Background(), payment.CreateRequest{OrderID: "1", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 100,
		ReturnURL: "https://x/", OpenID: "o", NotifyURL: recv.URL})
	if err != nil {
		t.Fatal(err)
	}
	r.fake.Pay(c.Attempt.TradeNo)
	recv.Next(t) // answered "": not taken
	recv.SetAck("SUCCESS")
	n := recv.Next(t)
	var atts paymenttest.Attempts
	atts.Add(c.Attempt)
	out, err := r.prov.ConfirmNotification(context.Background(), n, atts.Lookup)
	if err != nil || out.State != payment.Paid {
		t.Fatalf("%+v %v", out, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		d := r.fake.Deliveries()
		if len(d) >= 2 && d[len(d)-1].Acked && !d[0].Acked {
			if d[1].Attempt != 2 {
				t.Fatalf("deliveries %+v", d)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries %+v", d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNotificationClaimsAreNotBelieved(t *testing.T) {
	// A correctly signed notification (a leaked key, a support test call)
	// whose payment QFPay does not report paid confirms nothing: the query
	// decides.
	r := newRig(t, fake.Options{})
	c, err := r.prov.Create(context.Background(), payment.CreateRequest{OrderID: "1", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 100, ReturnURL: "https://x/", OpenID: "o"})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"status":"1","notify_type":"payment","out_trade_no":"` + c.Attempt.TradeNo + `","txamt":"100","respcd":"0000","syssn":"1"}`)
	n := payment.Notification{Header: http.Header{"X-Qf-Sign": {qfpay.NotificationSign(body, r.fake.ClientKey())}}, Body: body}
	var atts paymenttest.Attempts
	atts.Add(c.Attempt)
	out, err := r.prov.ConfirmNotification(context.Background(), n, atts.Lookup)
	if err != nil || out.State != payment.Pending {
		t.Fatalf("%+v %v: the notification's claim was believed", out, err)
	}
	refund := []byte(`{"status":"1","notify_type":"refund","out_trade_no":"R1","txamt":"100"}`)
	n = payment.Notification{Header: http.Header{"X-Qf-Sign": {qfpay.NotificationSign(refund, r.fake.ClientKey())}}, Body: refund}
	if _, err := r.prov.ConfirmNotification(context.Background(), n, atts.Lookup); !errors.Is(err, payment.ErrNothingToApply) {
		t.Fatalf("refund notification: %v", err)
	}
}

func TestAmountMismatchIsNeverPaid(t *testing.T) {
	r := newRig(t, fake.Options{})
	c := pay(t, r, 1250)
	r.fake.Pay(c.Attempt.TradeNo)
	r.fake.SetAmount(c.Attempt.TradeNo, 1)
	out, err := r.prov.Query(context.Background(), c.Attempt)
	if !errors.Is(err, payment.ErrAmountMismatch) || out.State == payment.Paid {
		t.Fatalf("%+v %v", out, err)
	}
}

func TestLostRefundReplyIsNotRefundedTwice(t *testing.T) {
	r := newRig(t, fake.Options{}, func(_ *qfpay.Config, o *qfpay.Options) { o.PayTimeout = 200 * time.Millisecond })
	c := pay(t, r, 1250)
	r.fake.Pay(c.Attempt.TradeNo)
	req := payment.RefundRequest{Attempt: c.Attempt, RefundNo: payment.NewRefundNo(time.Now()), AmountFen: 1250}
	r.fake.LoseNextReply("/trade/v1/refund")
	// The reply is lost; the refund's own record (queried at once) or the retry tells.
	res, err := r.prov.Refund(context.Background(), req)
	if res.State != payment.RefundDone && res.State != payment.RefundUnknown {
		t.Fatalf("after a lost reply: %+v %v", res, err)
	}
	res, err = r.prov.Refund(context.Background(), req)
	if err != nil || res.State != payment.RefundDone {
		t.Fatalf("retry: %+v %v", res, err)
	}
	tx, _ := r.fake.Lookup(c.Attempt.TradeNo)
	if tx.Refunded != 1250 || r.fake.Calls("/trade/v1/refund") != 1 {
		t.Fatalf("refunded %d in %d calls", tx.Refunded, r.fake.Calls("/trade/v1/refund"))
	}
}

func TestNoRefundsAroundMidnight(t *testing.T) {
	clk := clock.New(time.Date(2026, 3, 2, 15, 45, 0, 0, time.UTC)) // 23:45 in Shanghai
	r := newRig(t, fake.Options{RefundCutoff: true, Now: clk.Now})
	c := pay(t, r, 1250)
	r.fake.Pay(c.Attempt.TradeNo)
	req := payment.RefundRequest{Attempt: c.Attempt, RefundNo: payment.NewRefundNo(time.Now()), AmountFen: 100}
	res, err := r.prov.Refund(context.Background(), req)
	if err != nil || res.State != payment.RefundUnknown || !strings.Contains(res.Detail, "1265") {
		t.Fatalf("%+v %v: want retry later", res, err)
	}
	clk.Advance(time.Hour)
	if res, err = r.prov.Refund(context.Background(), req); err != nil || res.State != payment.RefundDone {
		t.Fatalf("after 00:30: %+v %v", res, err)
	}
}

func TestQueryWindowStaysWithinAMonth(t *testing.T) {
	r := newRig(t, fake.Options{})
	_, err := r.client.Query(context.Background(), qfpay.QueryRequest{OutTradeNo: "P1", Since: time.Now().AddDate(0, 0, -45)})
	if err != nil {
		t.Fatalf("a 45-day-old attempt: %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		cfg  qfpay.Config
		want string
	}{
		{qfpay.Config{}, ""},
		{qfpay.Config{AppCode: "2DAB13A0AF4D4031820149BCD58188D0", ClientKey: "k"}, ""},
		{qfpay.Config{AppCode: "2DAB13A0AF4D4031820149BCD58188D0"}, "qf.client_key: is empty"},
		{qfpay.Config{ClientKey: "k"}, "qf.app_code: is empty"},
		{qfpay.Config{AppCode: "2DAB13A0AF4D4031820149BCD58188D0", ClientKey: "k", MchID: "way-too-long-mchid-value"}, "qf.mchid"},
		{qfpay.Config{AppCode: "2DAB13A0AF4D4031820149BCD58188D0", ClientKey: "k", APIBaseURL: "http://openapi.qfpay.com"}, "qf.api_base_url: must use https://"},
	} {
		err := c.cfg.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
}

package sandbox_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/payment/paymenttest"
	"github.com/posbridge/posbridge/ordering/payment/sandbox"
)

func newSandbox(t *testing.T) (*sandbox.Provider, *paymenttest.Receiver) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p, err := sandbox.New(sandbox.Options{BaseURL: srv.URL + "/sandbox-pay", NotifyDelay: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Shutdown)
	mux.Handle("/sandbox-pay/", http.StripPrefix("/sandbox-pay", p.Handler()))
	return p, paymenttest.NewReceiver(t, p.NotificationAck())
}

func TestContract(t *testing.T) {
	paymenttest.Run(t, func(t *testing.T) paymenttest.Harness {
		p, r := newSandbox(t)
		return paymenttest.Harness{
			Provider: p, Receiver: r,
			Pay:     func(t *testing.T, c payment.Checkout) { paymenttest.Click(t, c.PayURL, "pay") },
			Abandon: func(t *testing.T, c payment.Checkout) {},
		}
	})
}

func TestPageShowsTheAmountAndSendsTheBrowserBack(t *testing.T) {
	p, r := newSandbox(t)
	c, err := p.Create(context.Background(), payment.CreateRequest{OrderID: "7", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 1250,
		Description: "珍珠奶茶", ShopName: "南翔一店", NotifyURL: r.URL, ReturnURL: "https://shop.example.com/m/?rid=1&oid=7"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(c.PayURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"￥12.50", "南翔一店", "珍珠奶茶", "确认支付", "支付失败", "沙盒模式"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if got := paymenttest.Click(t, c.PayURL, "fail"); got != "https://shop.example.com/m/?rid=1&oid=7" {
		t.Fatalf("redirected to %q", got)
	}
	out, _ := p.Query(context.Background(), c.Attempt)
	if out.State != payment.Failed {
		t.Fatalf("after 支付失败: %+v", out)
	}
	// A later click on 确认支付 (another tab) changes nothing.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.PostForm(strings.Split(c.PayURL, "?")[0], map[string][]string{"t": {strings.Split(c.PayURL, "t=")[1]}, "action": {"pay"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if out, _ := p.Query(context.Background(), c.Attempt); out.State != payment.Failed {
		t.Fatalf("a failed attempt became %s", out.State)
	}
}

func TestForgedLinkRefused(t *testing.T) {
	p, r := newSandbox(t)
	c, _ := p.Create(context.Background(), payment.CreateRequest{OrderID: "7", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 1, NotifyURL: r.URL, ReturnURL: "https://x/"})
	resp, err := http.Get(strings.Split(c.PayURL, "?")[0] + "?t=00")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a forged link answered %d", resp.StatusCode)
	}
}

func TestNotificationSignedWithAnotherKeyRefused(t *testing.T) {
	p, _ := newSandbox(t)
	n := payment.Notification{Header: http.Header{sandbox.SignatureHeader: {"00"}}, Body: []byte(`{"trade_no":"P1","state":"paid"}`)}
	var atts paymenttest.Attempts
	if _, err := p.ConfirmNotification(context.Background(), n, atts.Lookup); !errors.Is(err, payment.ErrBadSignature) {
		t.Fatalf("err = %v", err)
	}
}

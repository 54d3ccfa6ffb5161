package paymenttest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/payment"
)

// Harness is one provider against its fake.
type Harness struct {
	Provider payment.Provider
	Receiver *Receiver // where the provider's fake sends notifications
	OpenID   string    // the payer's openid, when the provider needs one
	// Pay completes the checkout as the customer would; Abandon leaves the
	// pay page without paying.
	Pay     func(t *testing.T, c payment.Checkout)
	Abandon func(t *testing.T, c payment.Checkout)
	// Advance moves the provider's clock (for providers that need time to
	// pass between calls); may be nil.
	Advance func(d time.Duration)
}

// Attempts is a channel's memory of attempts, as ConfirmNotification's lookup.
type Attempts struct {
	mu sync.Mutex
	m  map[string]payment.Attempt
}

// Add remembers a.
func (a *Attempts) Add(at payment.Attempt) {
	a.mu.Lock()
	if a.m == nil {
		a.m = map[string]payment.Attempt{}
	}
	a.m[at.TradeNo] = at
	a.mu.Unlock()
}

// Lookup implements payment.AttemptLookup.
func (a *Attempts) Lookup(_ context.Context, tradeNo string) (payment.Attempt, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	at, ok := a.m[tradeNo]
	if !ok {
		return payment.Attempt{}, payment.ErrUnknownAttempt
	}
	return at, nil
}

const amount order.Fen = 1250

func create(t *testing.T, h Harness, atts *Attempts) payment.Checkout {
	t.Helper()
	c, err := h.Provider.Create(context.Background(), payment.CreateRequest{
		OrderID: "1001", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: amount,
		Description: "珍珠奶茶 x2", ShopName: "南翔一店", NotifyURL: h.Receiver.URL,
		ReturnURL: "https://shop.example.com/m/?rid=1&oid=1001", OpenID: h.OpenID,
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if c.PayURL == "" || c.Attempt.TradeNo == "" || c.Attempt.AmountFen != amount || c.Attempt.Provider != h.Provider.Name() {
		t.Fatalf("checkout %+v", c)
	}
	atts.Add(c.Attempt)
	return c
}

// Run checks the payment.Provider contract. newHarness is called per subtest.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	ctx := context.Background()

	t.Run("paid through the page, confirmed by a query, replay changes nothing", func(t *testing.T) {
		h := newHarness(t)
		var atts Attempts
		c := create(t, h, &atts)
		out, err := h.Provider.Query(ctx, c.Attempt)
		if err != nil || out.State != payment.Pending {
			t.Fatalf("before paying: %+v %v", out, err)
		}
		h.Pay(t, c)
		n := h.Receiver.Next(t)
		for range 2 { // the second time is a replay
			out, err = h.Provider.ConfirmNotification(ctx, n, atts.Lookup)
			if err != nil {
				t.Fatalf("confirm: %v", err)
			}
			if out.State != payment.Paid || out.AmountFen != amount || out.TradeNo != c.Attempt.TradeNo ||
				out.ChannelTransactionID == "" || out.ProviderTradeNo == "" || out.PaidAt.IsZero() {
				t.Fatalf("outcome %+v", out)
			}
		}
		if out, err = h.Provider.Query(ctx, c.Attempt); err != nil || out.State != payment.Paid {
			t.Fatalf("query after paying: %+v %v", out, err)
		}
	})

	t.Run("a forged notification never pays", func(t *testing.T) {
		h := newHarness(t)
		var atts Attempts
		paid := create(t, h, &atts)
		unpaid := create(t, h, &atts)
		h.Pay(t, paid)
		n := h.Receiver.Next(t)
		forged := n
		forged.Body = bytes.ReplaceAll(n.Body, []byte(paid.Attempt.TradeNo), []byte(unpaid.Attempt.TradeNo))
		out, err := h.Provider.ConfirmNotification(ctx, forged, atts.Lookup)
		if err == nil && out.State == payment.Paid {
			t.Fatalf("a forged notification paid %s: %+v", unpaid.Attempt.TradeNo, out)
		}
		if err != nil && !errors.Is(err, payment.ErrBadSignature) {
			t.Fatalf("forged: err = %v, want ErrBadSignature", err)
		}
		garbage := payment.Notification{Header: n.Header, Body: []byte(`{"hello":"world"}`)}
		if out, err := h.Provider.ConfirmNotification(ctx, garbage, atts.Lookup); err == nil && out.State == payment.Paid {
			t.Fatal("garbage paid")
		}
	})

	t.Run("a genuine notification for a number we never issued", func(t *testing.T) {
		h := newHarness(t)
		var atts Attempts
		c := create(t, h, &atts)
		h.Pay(t, c)
		n := h.Receiver.Next(t)
		var none Attempts
		if _, err := h.Provider.ConfirmNotification(ctx, n, none.Lookup); !errors.Is(err, payment.ErrUnknownAttempt) {
			t.Fatalf("err = %v, want ErrUnknownAttempt", err)
		}
	})

	t.Run("abandoned, then closed at expiry", func(t *testing.T) {
		h := newHarness(t)
		var atts Attempts
		c := create(t, h, &atts)
		if h.Abandon != nil {
			h.Abandon(t, c)
		}
		if out, err := h.Provider.Query(ctx, c.Attempt); err != nil || out.State == payment.Paid {
			t.Fatalf("abandoned: %+v %v", out, err)
		}
		out, err := h.Provider.Close(ctx, c.Attempt)
		if err != nil || out.State != payment.Failed {
			t.Fatalf("close: %+v %v", out, err)
		}
		if out, err = h.Provider.Query(ctx, c.Attempt); err != nil || out.State != payment.Failed {
			t.Fatalf("query after close: %+v %v", out, err)
		}
	})

	t.Run("closing a paid attempt says paid", func(t *testing.T) {
		h := newHarness(t)
		var atts Attempts
		c := create(t, h, &atts)
		h.Pay(t, c)
		out, err := h.Provider.Close(ctx, c.Attempt)
		if err != nil || out.State != payment.Paid || out.AmountFen != amount {
			t.Fatalf("close of a paid attempt: %+v %v", out, err)
		}
	})

	t.Run("refunds: retried with the same number, refunded once", func(t *testing.T) {
		h := newHarness(t)
		var atts Attempts
		c := create(t, h, &atts)
		h.Pay(t, c)
		h.Receiver.Next(t)
		paid, err := h.Provider.Query(ctx, c.Attempt)
		if err != nil {
			t.Fatal(err)
		}
		a := c.Attempt
		a.ProviderTradeNo = paid.ProviderTradeNo
		first := payment.RefundRequest{Attempt: a, RefundNo: payment.NewRefundNo(time.Now()), AmountFen: 450}
		for range 2 {
			res, err := h.Provider.Refund(ctx, first)
			if err != nil || res.State != payment.RefundDone || res.AmountFen != 450 {
				t.Fatalf("refund (or its retry): %+v %v", res, err)
			}
		}
		rest := payment.RefundRequest{Attempt: a, RefundNo: payment.NewRefundNo(time.Now().Add(time.Second)), AmountFen: amount - 450}
		if res, err := h.Provider.Refund(ctx, rest); err != nil || res.State != payment.RefundDone {
			t.Fatalf("second refund: %+v %v", res, err)
		}
		more := payment.RefundRequest{Attempt: a, RefundNo: payment.NewRefundNo(time.Now().Add(2 * time.Second)), AmountFen: 1}
		if res, err := h.Provider.Refund(ctx, more); err != nil || res.State != payment.RefundFailed {
			t.Fatalf("a refund beyond the payment: %+v %v (want failed: the retry above must not have refunded twice)", res, err)
		}
	})

	t.Run("a refund of an unpaid attempt fails", func(t *testing.T) {
		h := newHarness(t)
		var atts Attempts
		c := create(t, h, &atts)
		res, err := h.Provider.Refund(ctx, payment.RefundRequest{Attempt: c.Attempt, RefundNo: payment.NewRefundNo(time.Now()), AmountFen: amount})
		if res.State == payment.RefundDone {
			t.Fatalf("refunded an unpaid attempt: %+v %v", res, err)
		}
	})

	t.Run("invalid requests are refused before any call", func(t *testing.T) {
		h := newHarness(t)
		for _, r := range []payment.CreateRequest{
			{OrderID: "1", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 0, ReturnURL: "https://x/", OpenID: h.OpenID},
			{OrderID: "1", TradeNo: "bad no!", AmountFen: 1, ReturnURL: "https://x/", OpenID: h.OpenID},
			{OrderID: "1", TradeNo: payment.NewTradeNo(time.Now()), AmountFen: 1, OpenID: h.OpenID},
		} {
			if _, err := h.Provider.Create(ctx, r); !errors.Is(err, payment.ErrInvalidRequest) {
				t.Errorf("%+v: err = %v", r, err)
			}
		}
	})
}

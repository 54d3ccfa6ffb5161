package payment

import (
	"errors"
	"testing"
	"time"
)

func TestNumbersFitBothProviders(t *testing.T) {
	now := time.Date(2026, 3, 2, 23, 59, 59, 0, time.UTC)
	seen := map[string]bool{}
	for range 1000 {
		tn, rn := NewTradeNo(now), NewRefundNo(now)
		if err := CheckTradeNo("t", tn, 32); err != nil || len(tn) != 24 || tn[:13] != "P260303075959" {
			t.Fatalf("trade number %q: %v", tn, err)
		}
		if err := CheckTradeNo("r", rn, 20); err != nil || len(rn) != 20 {
			t.Fatalf("refund number %q: %v", rn, err)
		}
		if seen[tn] {
			t.Fatalf("repeated trade number %s", tn)
		}
		seen[tn] = true
	}
}

func TestRequestChecks(t *testing.T) {
	ok := CreateRequest{OrderID: "1", TradeNo: "P123456", AmountFen: 1, ReturnURL: "https://x/"}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []CreateRequest{
		{TradeNo: "P123456", AmountFen: 1, ReturnURL: "https://x/"},
		{OrderID: "1", TradeNo: "P1", AmountFen: 1, ReturnURL: "https://x/"},
		{OrderID: "1", TradeNo: "P123456", AmountFen: -5, ReturnURL: "https://x/"},
		{OrderID: "1", TradeNo: "P123456789012345678901234567890123", AmountFen: 1, ReturnURL: "https://x/"},
	} {
		if err := bad.Check(); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	a := Attempt{TradeNo: "P123456", AmountFen: 100}
	if err := (RefundRequest{Attempt: a, RefundNo: "R1234567", AmountFen: 101}).Check(); !errors.Is(err, ErrInvalidRequest) {
		t.Fatal("a refund above the payment passed")
	}
	if err := (RefundRequest{Attempt: a, RefundNo: "R123456789012345678901", AmountFen: 1}).Check(); !errors.Is(err, ErrInvalidRequest) {
		t.Fatal("a 22-character refund number passed")
	}
}

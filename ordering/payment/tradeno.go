package payment

import (
	"crypto/rand"
	"fmt"
	"regexp"
	"time"
)

var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

const digits = "0123456789"

// NewTradeNo is a fresh attempt number: "P", the Asia/Shanghai time to the
// second, 11 random digits (24 characters). It does not derive from the
// order id: a reinstalled posbridge counts orders from 1 again, and the
// providers remember every number ever used (收钱吧 CLIENT_SN_CONFLICT).
func NewTradeNo(now time.Time) string {
	return "P" + now.In(shanghai).Format("060102150405") + randomDigits(11)
}

// NewRefundNo is a fresh refund number (20 characters: 收钱吧's limit).
func NewRefundNo(now time.Time) string {
	return "R" + now.In(shanghai).Format("060102150405") + randomDigits(7)
}

func randomDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = digits[int(b[i])%10]
	}
	return string(b)
}

var tradeNoRE = regexp.MustCompile(`^[A-Za-z0-9]{6,32}$`)

// CheckTradeNo reports a trade or refund number both providers take.
func CheckTradeNo(what, s string, max int) error {
	if !tradeNoRE.MatchString(s) || len(s) > max {
		return fmt.Errorf("%w: %s %q must be 6 to %d characters of A-Z, a-z, 0-9", ErrInvalidRequest, what, s, max)
	}
	return nil
}

// Check validates a CreateRequest for every provider.
func (r CreateRequest) Check() error {
	if err := CheckTradeNo("trade number", r.TradeNo, 32); err != nil {
		return err
	}
	switch {
	case r.OrderID == "":
		return fmt.Errorf("%w: no order id", ErrInvalidRequest)
	case r.AmountFen <= 0:
		return fmt.Errorf("%w: amount %d fen is not positive", ErrInvalidRequest, r.AmountFen)
	case r.ReturnURL == "":
		return fmt.Errorf("%w: no return URL", ErrInvalidRequest)
	}
	return nil
}

// Check validates a RefundRequest for every provider.
func (r RefundRequest) Check() error {
	if err := CheckTradeNo("refund number", r.RefundNo, 20); err != nil {
		return err
	}
	switch {
	case r.Attempt.TradeNo == "":
		return fmt.Errorf("%w: refund of no attempt", ErrInvalidRequest)
	case r.AmountFen <= 0 || r.AmountFen > r.Attempt.AmountFen:
		return fmt.Errorf("%w: refund of %d fen for a payment of %d fen", ErrInvalidRequest, r.AmountFen, r.Attempt.AmountFen)
	}
	return nil
}

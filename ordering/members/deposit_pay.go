package members

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/store"
)

// DepositCheckout asks the provider for a pay page for a top-up order
// (§12.4). The try is stored before the provider is asked, so that its
// notification finds it even when the provider's reply is lost.
func (l *Ledger) DepositCheckout(ctx context.Context, p payment.Provider, d *store.MemberDeposit, shop, openID, notifyURL, returnURL string) (string, error) {
	if err := CanPay(d, l.db.Now()); err != nil {
		return "", err
	}
	now := l.db.Now()
	tradeNo := payment.NewTradeNo(now)
	if err := l.db.InsertMemberDepositAttempt(ctx, &store.MemberDepositAttempt{TradeNo: tradeNo, DepositID: d.ID, Provider: p.Name(),
		AmountFen: d.PayFen, CreatedAt: now}); err != nil {
		return "", err
	}
	c, err := p.Create(ctx, payment.CreateRequest{OrderID: "D" + strconv.FormatInt(d.ID, 10), TradeNo: tradeNo, AmountFen: order.Fen(d.PayFen),
		Description: "会员卡充值 ￥" + order.Fen(d.CreditFen).Yuan(), ShopName: shop, NotifyURL: notifyURL, ReturnURL: returnURL, OpenID: openID})
	if err != nil {
		return "", err
	}
	if err := l.db.SetMemberDepositAttemptURL(ctx, tradeNo, c.Attempt.ProviderTradeNo, c.PayURL); err != nil {
		return "", err
	}
	return c.PayURL, nil
}

func attemptOf(a *store.MemberDepositAttempt) payment.Attempt {
	return payment.Attempt{Provider: a.Provider, OrderID: "D" + strconv.FormatInt(a.DepositID, 10), TradeNo: a.TradeNo,
		AmountFen: order.Fen(a.AmountFen), ProviderTradeNo: a.ProviderTradeNo, CreatedAt: a.CreatedAt}
}

// LookupAttempt is a payment.AttemptLookup over the top-up tries.
func (l *Ledger) LookupAttempt(ctx context.Context, tradeNo string) (payment.Attempt, error) {
	a, err := l.db.MemberDepositAttempt(ctx, tradeNo)
	if errors.Is(err, store.ErrNotFound) {
		return payment.Attempt{}, payment.ErrUnknownAttempt
	}
	if err != nil {
		return payment.Attempt{}, err
	}
	return attemptOf(a), nil
}

// ApplyOutcome credits the top-up an outcome says was paid, once (a
// notification and an is-paid query may both arrive at the same moment).
// Only a Paid outcome with the try's amount changes anything.
func (l *Ledger) ApplyOutcome(ctx context.Context, o payment.Outcome) (credited bool, err error) {
	if o.State != payment.Paid {
		return false, nil
	}
	a, err := l.db.MemberDepositAttempt(ctx, o.TradeNo)
	if err != nil {
		return false, err
	}
	if int64(o.AmountFen) != a.AmountFen {
		return false, fmt.Errorf("top-up D%d: %w (paid %d, asked %d)", a.DepositID, payment.ErrAmountMismatch, o.AmountFen, a.AmountFen)
	}
	paidAt := o.PaidAt
	if paidAt.IsZero() {
		paidAt = l.db.Now()
	}
	return l.DepositPaid(ctx, a.DepositID, o.TradeNo, paidAt)
}

// SettleDeposit asks the provider about the tries of an unpaid top-up
// order and applies a payment it reports (§12.5 asks before answering when
// no notification came).
func (l *Ledger) SettleDeposit(ctx context.Context, p payment.Provider, d *store.MemberDeposit) error {
	if d.Status == store.DepositSuccess {
		return nil
	}
	tries, err := l.db.MemberDepositAttempts(ctx, d.ID)
	if err != nil {
		return err
	}
	for i := range tries {
		if tries[i].Provider != p.Name() {
			continue
		}
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		o, err := p.Query(qctx, attemptOf(&tries[i]))
		cancel()
		if err != nil {
			continue // unknown now: the next is-paid asks again
		}
		if o.TradeNo == "" {
			o.TradeNo = tries[i].TradeNo
		}
		if o.State == payment.Paid {
			_, err := l.ApplyOutcome(ctx, o)
			return err
		}
	}
	return nil
}

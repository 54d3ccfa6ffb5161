// Package checkout is the online payment of scan-to-order orders: an order
// paid online waits at status 0; pay-url opens an attempt at the provider
// (钱方, 收钱吧 or the sandbox) under a new trade number, its idempotency
// key there; a notification or a query — whichever comes first, however
// many at once — pays the attempt and the order once; an unpaid order is
// closed at the provider and here after the expiry; a payment that lands on
// a closed or already paid order, and a paid order the store refuses, is
// refunded through an outbox of refund rows retried with the same number.
//
// Nothing a notification claims is believed: the provider confirms it with a
// query we sign (payment.Provider.ConfirmNotification).
package checkout

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/store"
)

// DefaultExpire is ordering.payment.expire's default.
const DefaultExpire = 15 * time.Minute

// ClosedNote is what the phone shows of an order closed unpaid.
const ClosedNote = "订单超时未支付，已自动取消。"

// callTimeout bounds one provider call a customer waits for (pay-url,
// is-paid); the sweeps use the same.
const callTimeout = 8 * time.Second

// Options configure Payments.
type Options struct {
	DB *store.DB
	// Provider is the restaurant's provider of that name (takeout.pay_mch:
	// qf, sqb, sandbox), ok false when it has none configured.
	Provider func(restaurantID int64, name string) (payment.Provider, bool)
	// Restaurants lists the restaurants with providers (notifications are
	// tried against each one's keys).
	Restaurants []int64
	// NotifyURL is the public address of a provider's notifications
	// (public_url + /api/v1/frontend/payments/{name}/notify).
	NotifyURL func(name string) string
	// Paid hands an order that just became paid to the flow (prompt, sound,
	// printing); it must be idempotent.
	Paid func(ctx context.Context, o *store.OrderingOrder)
	// Changed tells an order's phone it changed (closed unpaid); may be nil.
	Changed func(orderID int64)
	// Expire: an unpaid order is closed after this (DefaultExpire).
	Expire time.Duration
	Now    func() time.Time
	Log    *slog.Logger
}

// Payments runs the online payment of every restaurant.
type Payments struct {
	opt   Options
	now   func() time.Time
	log   *slog.Logger
	sweep sync.Mutex // one expiry or refund round at a time
}

// New makes Payments.
func New(opt Options) *Payments {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Expire <= 0 {
		opt.Expire = DefaultExpire
	}
	return &Payments{opt: opt, now: opt.Now, log: opt.Log}
}

// Errors of PayURL the page sees as 403.
var (
	ErrNotPayable = store.ErrNotPayable
	ErrNoProvider = errors.New("本店未开通在线支付")
)

// PayRequest is a pay-url call.
type PayRequest struct {
	Order       *store.OrderingOrder
	Provider    string // takeout.pay_mch
	OpenID      string // the payer's openid (钱方)
	Description string
	ShopName    string
	ReturnURL   string
}

// PayURL opens a new attempt and answers the provider's pay page. The
// attempt is stored before the call, so an attempt whose answer was lost
// is asked about (and closed) by the expiry, never forgotten.
func (p *Payments) PayURL(ctx context.Context, r PayRequest) (string, error) {
	o := r.Order
	prov, ok := p.opt.Provider(o.RestaurantID, r.Provider)
	if !ok {
		return "", ErrNoProvider
	}
	if o.Status != 0 {
		return "", ErrNotPayable
	}
	tradeNo := payment.NewTradeNo(p.now())
	att, err := p.opt.DB.AddOrderingPayment(ctx, store.OrderingPayment{OrderID: o.ID, Provider: prov.Name(), TradeNo: tradeNo, AmountFen: o.TotalFee})
	if err != nil {
		return "", err
	}
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	notify := ""
	if p.opt.NotifyURL != nil {
		notify = p.opt.NotifyURL(prov.Name())
	}
	co, err := prov.Create(cctx, payment.CreateRequest{OrderID: strconv.FormatInt(o.ID, 10), TradeNo: att.TradeNo, AmountFen: order.Fen(o.TotalFee),
		Description: r.Description, ShopName: r.ShopName, NotifyURL: notify, ReturnURL: r.ReturnURL, OpenID: r.OpenID})
	if err != nil {
		p.log.Warn("ordering: payment not opened at the provider", "provider", prov.Name(), "trade_no", o.TradeNo, "attempt", att.TradeNo, "err", err)
		return "", fmt.Errorf("create at %s: %w", prov.Name(), err)
	}
	if co.Attempt.ProviderTradeNo != "" {
		if err := p.opt.DB.SetOrderingPaymentProviderNo(ctx, att.TradeNo, co.Attempt.ProviderTradeNo); err != nil {
			p.log.Warn("ordering: cannot keep the provider's trade number", "attempt", att.TradeNo, "err", err)
		}
	}
	return co.PayURL, nil
}

// attempt is the provider's view of a stored attempt.
func attempt(a *store.OrderingPayment) payment.Attempt {
	return payment.Attempt{Provider: a.Provider, OrderID: strconv.FormatInt(a.OrderID, 10), TradeNo: a.TradeNo, AmountFen: order.Fen(a.AmountFen),
		ProviderTradeNo: a.ProviderTradeNo, CreatedAt: a.CreatedAt}
}

// IsPaid is §6.7: paid here, or — when no notification came — paid at the
// provider by one of the order's pending attempts (asked now).
func (p *Payments) IsPaid(ctx context.Context, o *store.OrderingOrder) (bool, error) {
	if !o.PaidAt.IsZero() {
		return true, nil
	}
	if o.Status != 0 {
		return false, nil
	}
	list, err := p.opt.DB.OrderingPayments(ctx, o.ID)
	if err != nil {
		return false, err
	}
	paid := false
	for _, a := range list {
		if a.State != store.PaymentPending {
			continue
		}
		prov, ok := p.opt.Provider(o.RestaurantID, a.Provider)
		if !ok {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		out, err := prov.Query(cctx, attempt(a))
		cancel()
		if err != nil {
			p.log.Warn("ordering: payment query failed", "provider", a.Provider, "attempt", a.TradeNo, "err", err)
			continue
		}
		applied, err := p.apply(ctx, out)
		if err != nil {
			return false, err
		}
		if applied == store.AppliedOrderPaid || applied == store.AppliedNothing && out.State == payment.Paid {
			paid = true
		}
	}
	if !paid {
		cur, err := p.opt.DB.OrderingOrder(ctx, o.ID)
		if err != nil {
			return false, err
		}
		paid = !cur.PaidAt.IsZero()
	}
	return paid, nil
}

// apply stores an outcome and does what follows: the order to the flow, a
// refund queued. Pending and unknown outcomes change nothing.
func (p *Payments) apply(ctx context.Context, out payment.Outcome) (store.Applied, error) {
	if out.State != payment.Paid && out.State != payment.Failed {
		return store.AppliedNothing, nil
	}
	applied, att, err := p.opt.DB.ApplyOrderingPayment(ctx, store.PaymentOutcome{TradeNo: out.TradeNo, Paid: out.State == payment.Paid,
		ProviderTradeNo: out.ProviderTradeNo, ChannelTxn: out.ChannelTransactionID, PaidAt: out.PaidAt, Detail: out.Detail}, payment.NewRefundNo(p.now()))
	if err != nil {
		return applied, err
	}
	switch applied {
	case store.AppliedOrderPaid:
		p.log.Info("ordering: order paid online", "provider", att.Provider, "attempt", att.TradeNo, "fen", att.AmountFen)
		if p.opt.Paid != nil {
			o, err := p.opt.DB.OrderingOrder(ctx, att.OrderID)
			if err != nil {
				return applied, err
			}
			p.opt.Paid(ctx, o)
		}
	case store.AppliedRefund:
		p.log.Warn("ordering: a payment for a closed or already paid order; refunding it", "provider", att.Provider, "attempt", att.TradeNo)
	}
	return applied, nil
}

// ErrForged is a notification that changes nothing because it does not
// verify (or names no attempt of ours): answer 400, nothing changed.
var ErrForged = errors.New("notification refused")

// Notify handles a provider's asynchronous notification: verified where the
// provider documents how, confirmed by our own signed query, applied once.
// It returns the body to answer (the provider's ack).
func (p *Payments) Notify(ctx context.Context, name string, n payment.Notification) (string, error) {
	var lastErr error = ErrNoProvider
	for _, rid := range p.opt.Restaurants {
		prov, ok := p.opt.Provider(rid, name)
		if !ok {
			continue
		}
		lookup := func(ctx context.Context, tradeNo string) (payment.Attempt, error) {
			a, err := p.opt.DB.OrderingPaymentByTradeNo(ctx, tradeNo)
			if errors.Is(err, store.ErrNotFound) {
				return payment.Attempt{}, payment.ErrUnknownAttempt
			}
			if err != nil {
				return payment.Attempt{}, err
			}
			o, err := p.opt.DB.OrderingOrder(ctx, a.OrderID)
			if err != nil {
				return payment.Attempt{}, err
			}
			if o.RestaurantID != rid || a.Provider != prov.Name() {
				return payment.Attempt{}, payment.ErrUnknownAttempt
			}
			return attempt(a), nil
		}
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		out, err := prov.ConfirmNotification(cctx, n, lookup)
		cancel()
		switch {
		case errors.Is(err, payment.ErrBadSignature), errors.Is(err, payment.ErrUnknownAttempt):
			lastErr = err
			continue // another restaurant's keys, perhaps
		case errors.Is(err, payment.ErrNothingToApply):
			return prov.NotificationAck(), nil
		case err != nil:
			return "", err // the query failed: the provider sends it again
		}
		if _, err := p.apply(ctx, out); err != nil {
			return "", err
		}
		return prov.NotificationAck(), nil
	}
	p.log.Warn("ordering: payment notification refused", "provider", name, "why", lastErr)
	return "", fmt.Errorf("%w: %v", ErrForged, lastErr)
}

func paymentFen(f int64) order.Fen { return order.Fen(f) }

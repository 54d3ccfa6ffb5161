package checkout

import (
	"context"
	"time"

	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/store"
)

// refundBackoff is the wait before a refund is asked about again.
func refundBackoff(tries int) time.Duration {
	d := 30 * time.Second << min(tries, 6) // 30 s … 32 min
	return d
}

// Run expires unpaid orders and works the refund outbox every `every`
// until ctx ends.
func (p *Payments) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 5 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		p.Sweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Sweep is one round: expiry, then refunds.
func (p *Payments) Sweep(ctx context.Context) {
	p.sweep.Lock()
	defer p.sweep.Unlock()
	p.expire(ctx)
	p.refund(ctx)
}

// expire closes the orders unpaid after Expire: each pending attempt is
// closed at the provider first (one the customer paid meanwhile counts as
// paid); the order is closed here only when none is left pending. An
// attempt the provider cannot tell about keeps the order for the next round.
func (p *Payments) expire(ctx context.Context) {
	list, err := p.opt.DB.UnpaidOrderingOrders(ctx, p.now().Add(-p.opt.Expire), 100)
	if err != nil {
		p.log.Warn("ordering: cannot list unpaid orders", "err", err)
		return
	}
	for _, o := range list {
		atts, err := p.opt.DB.OrderingPayments(ctx, o.ID)
		if err != nil {
			p.log.Warn("ordering: cannot list an order's payments", "trade_no", o.TradeNo, "err", err)
			continue
		}
		for _, a := range atts {
			if a.State != store.PaymentPending {
				continue
			}
			prov, ok := p.opt.Provider(o.RestaurantID, a.Provider)
			if !ok {
				p.log.Warn("ordering: an unpaid attempt's provider is no longer configured", "attempt", a.TradeNo, "provider", a.Provider)
				continue
			}
			cctx, cancel := context.WithTimeout(ctx, callTimeout)
			out, err := prov.Close(cctx, attempt(a))
			cancel()
			if err != nil {
				p.log.Warn("ordering: cannot close an unpaid attempt; trying again", "attempt", a.TradeNo, "err", err)
				continue
			}
			if out.TradeNo == "" {
				out.TradeNo = a.TradeNo
			}
			if _, err := p.apply(ctx, out); err != nil {
				p.log.Warn("ordering: cannot store a closed attempt", "attempt", a.TradeNo, "err", err)
			}
		}
		closed, err := p.opt.DB.CloseUnpaidOrderingOrder(ctx, o.ID, ClosedNote)
		if err != nil {
			p.log.Warn("ordering: cannot close an unpaid order", "trade_no", o.TradeNo, "err", err)
		} else if closed {
			if p.opt.Changed != nil {
				p.opt.Changed(o.ID)
			}
			p.log.Info("ordering: unpaid order closed", "trade_no", o.TradeNo, "after", p.opt.Expire)
		}
	}
}

// refund works the due refund rows: the same refund number on every try,
// so the provider answers a repeat with the first refund's state (the
// adapters ask before they send again).
func (p *Payments) refund(ctx context.Context) {
	list, err := p.opt.DB.DueOrderingRefunds(ctx, p.now(), 50)
	if err != nil {
		p.log.Warn("ordering: cannot list due refunds", "err", err)
		return
	}
	for _, f := range list {
		p.refundOne(ctx, f)
	}
}

func (p *Payments) refundOne(ctx context.Context, f *store.OrderingRefund) {
	atts, err := p.opt.DB.OrderingPayments(ctx, f.OrderID)
	if err != nil {
		p.log.Warn("ordering: cannot read a refund's payment", "refund_no", f.RefundNo, "err", err)
		return
	}
	var a *store.OrderingPayment
	for _, x := range atts {
		if x.ID == f.PaymentID {
			a = x
		}
	}
	o, err := p.opt.DB.OrderingOrder(ctx, f.OrderID)
	if a == nil || err != nil {
		p.log.Warn("ordering: a refund without its payment or order", "refund_no", f.RefundNo, "err", err)
		return
	}
	prov, ok := p.opt.Provider(o.RestaurantID, a.Provider)
	if !ok {
		p.retryRefund(ctx, f, "provider "+a.Provider+" not configured")
		return
	}
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	res, err := prov.Refund(cctx, payment.RefundRequest{Attempt: attempt(a), RefundNo: f.RefundNo, AmountFen: paymentFen(f.AmountFen)})
	cancel()
	if err != nil {
		p.retryRefund(ctx, f, err.Error())
		return
	}
	switch res.State {
	case payment.RefundDone:
		err = p.opt.DB.SetOrderingRefund(ctx, f.ID, store.RefundDone, res.ProviderRefundNo, res.Detail, time.Time{})
		p.log.Info("ordering: refunded", "refund_no", f.RefundNo, "reason", f.Reason, "fen", f.AmountFen)
	case payment.RefundFailed:
		err = p.opt.DB.SetOrderingRefund(ctx, f.ID, store.RefundFailed, res.ProviderRefundNo, res.Detail, time.Time{})
		p.log.Warn("ordering: refund refused by the provider; staff must act", "refund_no", f.RefundNo, "detail", res.Detail)
	default:
		p.retryRefund(ctx, f, res.Detail)
		return
	}
	if err != nil {
		p.log.Warn("ordering: cannot store a refund's state", "refund_no", f.RefundNo, "err", err)
	}
}

func (p *Payments) retryRefund(ctx context.Context, f *store.OrderingRefund, why string) {
	next := p.now().Add(refundBackoff(f.Tries))
	if err := p.opt.DB.SetOrderingRefund(ctx, f.ID, store.RefundPending, "", why, next); err != nil {
		p.log.Warn("ordering: cannot store a refund's retry", "refund_no", f.RefundNo, "err", err)
	}
	p.log.Warn("ordering: refund not done yet; retrying", "refund_no", f.RefundNo, "next", next, "why", why)
}

// RefundOrder queues the refund of a paid order the store refused, did not
// accept in time, or refunded (reason rejected | staff); the outbox sends it.
func (p *Payments) RefundOrder(ctx context.Context, orderID int64, reason string) (int, error) {
	return p.opt.DB.RefundOrderingOrder(ctx, orderID, reason, func() string { return payment.NewRefundNo(p.now()) })
}

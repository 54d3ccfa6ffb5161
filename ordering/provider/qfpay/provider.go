package qfpay

import (
	"context"
	"errors"
	"fmt"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/provider"
)

// Name is 钱方's takeout.pay_mch.
const Name = "qf"

// Provider is 钱方 as a payment.Provider.
type Provider struct{ c *Client }

var _ payment.Provider = (*Provider)(nil)

// NewProvider adapts c.
func NewProvider(c *Client) *Provider { return &Provider{c: c} }

// Name implements payment.Provider.
func (p *Provider) Name() string { return Name }

// NotificationAck implements payment.Provider: QFPay stops re-sending on
// HTTP 200 with SUCCESS.
func (p *Provider) NotificationAck() string { return "SUCCESS" }

// Create implements payment.Provider: the JSAPI payment, then the hosted page.
func (p *Provider) Create(ctx context.Context, r payment.CreateRequest) (payment.Checkout, error) {
	if err := r.Check(); err != nil {
		return payment.Checkout{}, err
	}
	if r.OpenID == "" {
		return payment.Checkout{}, fmt.Errorf("%w: 钱方 needs the payer's openid", payment.ErrInvalidRequest)
	}
	now := p.c.now()
	rep, err := p.c.Pay(ctx, PayRequest{OutTradeNo: r.TradeNo, AmountFen: int64(r.AmountFen), OpenID: r.OpenID, GoodsName: r.Description, NotifyURL: r.NotifyURL, At: now})
	if err != nil {
		return payment.Checkout{}, err
	}
	pp := rep.PayParams
	return payment.Checkout{
		Attempt: payment.Attempt{Provider: Name, OrderID: r.OrderID, TradeNo: r.TradeNo, AmountFen: r.AmountFen, ProviderTradeNo: rep.SysSN, CreatedAt: now},
		PayURL:  p.c.HostedPageURL(pp, r.ShopName, int64(r.AmountFen), r.Description, r.ReturnURL),
		Params: map[string]string{"appId": pp.AppID, "timeStamp": pp.TimeStamp, "nonceStr": pp.NonceStr,
			"package": pp.Package, "signType": pp.SignType, "paySign": pp.PaySign},
	}, nil
}

// Query implements payment.Provider.
func (p *Provider) Query(ctx context.Context, a payment.Attempt) (payment.Outcome, error) {
	txs, err := p.c.Query(ctx, QueryRequest{OutTradeNo: a.TradeNo, Since: a.CreatedAt})
	if err != nil {
		return payment.Outcome{State: payment.Unknown, TradeNo: a.TradeNo, Detail: detail(err)}, err
	}
	return outcome(a, txs)
}

func detail(err error) string {
	if r := Respcd(err); r != "" {
		return "respcd " + r
	}
	if provider.IsTransport(err) {
		return "no answer"
	}
	return err.Error()
}

// outcome reads the payment item of a query.
func outcome(a payment.Attempt, txs []Transaction) (payment.Outcome, error) {
	out := payment.Outcome{State: payment.Pending, TradeNo: a.TradeNo, ProviderTradeNo: a.ProviderTradeNo, Detail: "unknown to QFPay"}
	var tx *Transaction
	for i := range txs {
		if txs[i].OutTradeNo == a.TradeNo && txs[i].OrderType != "refund" {
			tx = &txs[i]
			break
		}
	}
	if tx == nil {
		return out, nil
	}
	out.ProviderTradeNo, out.ChannelTransactionID = tx.SysSN, tx.ChnlSN
	out.AmountFen = order.Fen(tx.AmountFen)
	out.Detail = fmt.Sprintf("respcd %s cancel %d", tx.Respcd, tx.Cancel)
	switch cls := Classify(tx.Respcd); {
	case cls == Success:
		if out.AmountFen != a.AmountFen {
			out.State = payment.Unknown
			return out, fmt.Errorf("%w: QFPay has %d fen paid for %s, the attempt %d", payment.ErrAmountMismatch, tx.AmountFen, a.TradeNo, a.AmountFen)
		}
		out.State, out.PaidAt = payment.Paid, tx.PaidAt
		if out.PaidAt.IsZero() {
			out.PaidAt = tx.SysTime
		}
	case tx.Cancel == 2:
		out.State = payment.Failed // cancelled (reversal) before anyone paid
	case cls == Pending:
		out.State = payment.Pending
	case cls == Retry:
		out.State = payment.Unknown
	default:
		out.State = payment.Failed
	}
	return out, nil
}

// Close implements payment.Provider: query, reverse what is unpaid, query again.
func (p *Provider) Close(ctx context.Context, a payment.Attempt) (payment.Outcome, error) {
	out, err := p.Query(ctx, a)
	if err != nil || out.State == payment.Paid || out.State == payment.Failed {
		return out, err
	}
	rerr := p.c.Reversal(ctx, ReversalRequest{OutTradeNo: a.TradeNo, AmountFen: int64(a.AmountFen), At: p.c.now()})
	switch {
	case rerr == nil, Respcd(rerr) == "1136":
		// Reversed, or QFPay never had it: either way nobody can pay it now.
	case Respcd(rerr) == "1260":
		// Paid meanwhile: the query below says so.
	default:
		out.State, out.Detail = payment.Unknown, detail(rerr)
		return out, rerr
	}
	after, err := p.Query(ctx, a)
	if err != nil {
		return after, err
	}
	if after.State == payment.Pending {
		if rerr == nil || Respcd(rerr) == "1136" {
			after.State, after.Detail = payment.Failed, after.Detail+", reversed"
		} else {
			after.State = payment.Unknown
		}
	}
	return after, nil
}

// Refund implements payment.Provider. The refund's own out_trade_no is the
// idempotency key: it is queried first, and a repeated request (1102, 2011)
// is answered from a query, so a retry never refunds twice.
func (p *Provider) Refund(ctx context.Context, r payment.RefundRequest) (payment.RefundResult, error) {
	if err := r.Check(); err != nil {
		return payment.RefundResult{}, err
	}
	res := payment.RefundResult{State: payment.RefundUnknown, RefundNo: r.RefundNo, AmountFen: r.AmountFen}
	if prior, found, err := p.refundState(ctx, r); err != nil || found {
		if err != nil {
			res.Detail = detail(err)
		} else {
			res = prior
		}
		return res, err
	}
	sysSN := r.Attempt.ProviderTradeNo
	if sysSN == "" {
		out, err := p.Query(ctx, r.Attempt)
		if err != nil {
			res.Detail = detail(err)
			return res, err
		}
		if out.State != payment.Paid {
			res.State, res.Detail = payment.RefundFailed, "the payment is not paid ("+out.Detail+")"
			return res, nil
		}
		sysSN = out.ProviderTradeNo
	}
	rep, err := p.c.Refund(ctx, RefundRequest{SysSN: sysSN, OutTradeNo: r.RefundNo, AmountFen: int64(r.AmountFen), At: p.c.now()})
	res.ProviderRefundNo = rep.SysSN
	switch code := Respcd(err); {
	case err == nil:
		res.State, res.Detail = payment.RefundDone, "respcd 0000"
		return res, nil
	case code == "1102" || code == "2011" || provider.IsTransport(err):
		// It may have landed: the refund's own record decides.
		if prior, found, qerr := p.refundState(ctx, r); qerr == nil && found {
			return prior, nil
		}
		res.Detail = detail(err)
		return res, err
	case code == "1125":
		res.State, res.Detail = payment.RefundFailed, "respcd 1125 (already refunded under another refund number)"
		return res, nil
	case code == "1143" || code == "1145":
		res.State, res.Detail = payment.RefundPending, detail(err)
		return res, nil
	case Classify(code) == Retry:
		res.Detail = detail(err) // e.g. 1265 at night, 1269 takings too small: retry later
		return res, nil
	case code != "":
		res.State, res.Detail = payment.RefundFailed, detail(err)
		return res, nil
	default:
		res.Detail = detail(err)
		return res, err
	}
}

// refundState looks the refund up by its own out_trade_no.
func (p *Provider) refundState(ctx context.Context, r payment.RefundRequest) (payment.RefundResult, bool, error) {
	txs, err := p.c.Query(ctx, QueryRequest{OutTradeNo: r.RefundNo, Since: r.Attempt.CreatedAt})
	if err != nil {
		return payment.RefundResult{}, false, err
	}
	for _, tx := range txs {
		if tx.OutTradeNo != r.RefundNo || tx.OrderType != "refund" {
			continue
		}
		res := payment.RefundResult{RefundNo: r.RefundNo, ProviderRefundNo: tx.SysSN, AmountFen: order.Fen(tx.AmountFen), Detail: "respcd " + tx.Respcd}
		switch Classify(tx.Respcd) {
		case Success:
			res.State = payment.RefundDone
		case Pending:
			res.State = payment.RefundPending
		case Retry:
			res.State = payment.RefundUnknown
		default:
			res.State = payment.RefundFailed
		}
		return res, true, nil
	}
	return payment.RefundResult{}, false, nil
}

// ConfirmNotification implements payment.Provider: X-QF-SIGN over the raw
// body, then our own signed query decides.
func (p *Provider) ConfirmNotification(ctx context.Context, n payment.Notification, lookup payment.AttemptLookup) (payment.Outcome, error) {
	nt, err := ParseNotification(n.Body, n.Header.Get("X-QF-SIGN"), p.c.cfg.ClientKey)
	if err != nil {
		if errors.Is(err, ErrBadNotification) {
			return payment.Outcome{}, payment.ErrBadSignature
		}
		return payment.Outcome{}, fmt.Errorf("%w: %v", payment.ErrNothingToApply, err)
	}
	if nt.NotifyType != NotifyPayment {
		return payment.Outcome{}, fmt.Errorf("%w: a %s notification for %s", payment.ErrNothingToApply, nt.NotifyType, nt.OutTradeNo)
	}
	a, err := lookup(ctx, nt.OutTradeNo)
	if err != nil {
		return payment.Outcome{}, err
	}
	return p.Query(ctx, a)
}

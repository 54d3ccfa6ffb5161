package shouqianba

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/provider"
)

// Name is 收钱吧's takeout.pay_mch.
const Name = "sqb"

// Provider is 收钱吧 as a payment.Provider.
type Provider struct{ c *Client }

var _ payment.Provider = (*Provider)(nil)

// NewProvider adapts c.
func NewProvider(c *Client) *Provider { return &Provider{c: c} }

// Name implements payment.Provider.
func (p *Provider) Name() string { return Name }

// NotificationAck implements payment.Provider.
func (p *Provider) NotificationAck() string { return "success" }

// Create implements payment.Provider: the WAP cashier URL (no openid needed:
// 收钱吧's page does WeChat's OAuth itself). The order exists at 收钱吧 only
// once the customer opens it.
func (p *Provider) Create(ctx context.Context, r payment.CreateRequest) (payment.Checkout, error) {
	if err := r.Check(); err != nil {
		return payment.Checkout{}, err
	}
	subject := strings.TrimSpace(r.ShopName + " " + r.Description)
	link, err := p.c.WAPURL(ctx, WAPRequest{ClientSN: r.TradeNo, AmountFen: int64(r.AmountFen), Subject: subject,
		Description: r.Description, NotifyURL: r.NotifyURL, ReturnURL: r.ReturnURL})
	if errors.Is(err, ErrBadWAPRequest) {
		return payment.Checkout{}, fmt.Errorf("%w: %v", payment.ErrInvalidRequest, err)
	}
	if err != nil {
		return payment.Checkout{}, err
	}
	return payment.Checkout{
		Attempt: payment.Attempt{Provider: Name, OrderID: r.OrderID, TradeNo: r.TradeNo, AmountFen: r.AmountFen, CreatedAt: p.c.now()},
		PayURL:  link,
	}, nil
}

func notFound(err error) bool {
	switch ErrCode(err) {
	case "UPAY_ORDER_NOT_EXISTS", "TRADE_NOT_EXIST":
		return true
	}
	return false
}

func detail(err error) string {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e.Layer + " " + e.ResultCode + " " + e.Code
	case provider.IsTransport(err):
		return "no answer"
	default:
		return err.Error()
	}
}

// Query implements payment.Provider.
func (p *Provider) Query(ctx context.Context, a payment.Attempt) (payment.Outcome, error) {
	o, err := p.c.Query(ctx, a.ProviderTradeNo, a.TradeNo)
	switch {
	case notFound(err):
		// Nobody opened the cashier yet (the order is made there).
		return payment.Outcome{State: payment.Pending, TradeNo: a.TradeNo, Detail: "not opened yet (" + ErrCode(err) + ")"}, nil
	case err != nil:
		return payment.Outcome{State: payment.Unknown, TradeNo: a.TradeNo, Detail: detail(err)}, err
	}
	return outcome(a, o)
}

// outcome reads order_status (the final ones: PAID, PAY_CANCELED, REFUNDED,
// PARTIAL_REFUNDED, CANCELED; everything else means query again).
func outcome(a payment.Attempt, o Order) (payment.Outcome, error) {
	out := payment.Outcome{TradeNo: a.TradeNo, ProviderTradeNo: o.SN, AmountFen: order.Fen(o.TotalFen),
		Detail: "order_status " + o.OrderStatus + " status " + o.Status}
	if o.ClientSN != "" && o.ClientSN != a.TradeNo {
		out.State = payment.Unknown
		return out, fmt.Errorf("shouqianba: the reply is for client_sn %s, not %s", o.ClientSN, a.TradeNo)
	}
	switch o.OrderStatus {
	case "PAID", "REFUNDED", "PARTIAL_REFUNDED", "REFUND_ERROR":
		// Paid (and perhaps refunded since): the payment happened.
		if out.AmountFen != a.AmountFen {
			out.State = payment.Unknown
			return out, fmt.Errorf("%w: 收钱吧 has %d fen for %s, the attempt %d", payment.ErrAmountMismatch, o.TotalFen, a.TradeNo, a.AmountFen)
		}
		out.State, out.ChannelTransactionID = payment.Paid, o.TradeNo
		out.PaidAt = o.ChannelAt
		if out.PaidAt.IsZero() {
			out.PaidAt = o.FinishedAt
		}
	case "CREATED":
		out.State = payment.Pending
	case "PAY_CANCELED", "CANCELED":
		out.State = payment.Failed
	default: // PAY_ERROR, CANCEL_ERROR, CANCEL_INPROGRESS, INVALID_STATUS_CODE, new values
		out.State = payment.Unknown
	}
	return out, nil
}

// Close implements payment.Provider: query, cancel what is still CREATED.
func (p *Provider) Close(ctx context.Context, a payment.Attempt) (payment.Outcome, error) {
	out, err := p.Query(ctx, a)
	if err != nil || out.State == payment.Paid || out.State == payment.Failed {
		return out, err
	}
	if strings.HasPrefix(out.Detail, "not opened yet") {
		// Nothing at 收钱吧 to cancel. The link may still be opened later; a
		// payment then arrives for a closed order and is refunded.
		out.State = payment.Failed
		return out, nil
	}
	res, err := p.c.Cancel(ctx, a.ProviderTradeNo, a.TradeNo)
	if err != nil {
		out.State, out.Detail = payment.Unknown, detail(err)
		return out, err
	}
	switch res.ResultCode {
	case "CANCEL_SUCCESS":
		out.State, out.Detail = payment.Failed, "cancelled"
		if res.Order.SN != "" {
			out.ProviderTradeNo = res.Order.SN
		}
		return out, nil
	default:
		// CANCEL_ERROR, *_IN_PROGRESS, or FAIL (e.g. paid meanwhile): the order's own state decides.
		return p.Query(ctx, a)
	}
}

// Refund implements payment.Provider; 收钱吧 keeps refund_request_no, so a
// retry with the same RefundNo never refunds twice.
func (p *Provider) Refund(ctx context.Context, r payment.RefundRequest) (payment.RefundResult, error) {
	if err := r.Check(); err != nil {
		return payment.RefundResult{}, err
	}
	res := payment.RefundResult{State: payment.RefundUnknown, RefundNo: r.RefundNo, AmountFen: r.AmountFen}
	act, err := p.c.Refund(ctx, RefundRequest{SN: r.Attempt.ProviderTradeNo, ClientSN: r.Attempt.TradeNo, RefundRequestNo: r.RefundNo, AmountFen: int64(r.AmountFen)})
	if err != nil {
		res.Detail = detail(err)
		return res, err
	}
	res.Detail = strings.TrimSpace(act.ResultCode + " " + act.ErrorCode)
	switch act.ResultCode {
	case "REFUND_SUCCESS":
		res.State = payment.RefundDone
	case "REFUND_IN_PROGRESS":
		res.State = payment.RefundPending
	case "REFUND_ERROR":
		res.State = payment.RefundUnknown // the channel's state is unclear: query, then staff
	default: // REFUND_FAIL, FAIL
		res.State = payment.RefundFailed
	}
	return res, nil
}

// ConfirmNotification implements payment.Provider: the signature when a
// public key is configured, then, always, our own signed query.
func (p *Provider) ConfirmNotification(ctx context.Context, n payment.Notification, lookup payment.AttemptLookup) (payment.Outcome, error) {
	ref, err := p.c.ParseNotification(n.Header.Get("Authorization"), n.Body)
	if errors.Is(err, ErrBadNotification) {
		return payment.Outcome{}, payment.ErrBadSignature
	}
	if err != nil {
		return payment.Outcome{}, fmt.Errorf("%w: %v", payment.ErrNothingToApply, err)
	}
	a, err := lookup(ctx, ref.ClientSN)
	if err != nil {
		return payment.Outcome{}, err
	}
	return p.Query(ctx, a)
}

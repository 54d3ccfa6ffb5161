package payment

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/posbridge/posbridge/order"
)

// State is what a provider says of one payment attempt.
type State string

const (
	// Pending: created and not paid (yet); it may still be paid.
	Pending State = "pending"
	// Paid: the money is in; AmountFen matched the attempt.
	Paid State = "paid"
	// Failed: final, it will never be paid (failed, cancelled, closed, expired).
	Failed State = "failed"
	// Unknown: the provider could not tell now (busy, timeout, unclear
	// channel state): ask again later, never treat as failed.
	Unknown State = "unknown"
)

// Attempt is one try at paying one order: what the channel stores and hands
// back for every later call. TradeNo is the idempotency key at the provider
// (钱方 out_trade_no, 收钱吧 client_sn); a new try after a failure needs a
// new one.
type Attempt struct {
	Provider        string // Provider.Name()
	OrderID         string
	TradeNo         string
	AmountFen       order.Fen
	ProviderTradeNo string    // 钱方 syssn, 收钱吧 sn; "" until known
	CreatedAt       time.Time // when Create ran (钱方's query window starts there)
}

// CreateRequest asks for a pay page for one attempt.
type CreateRequest struct {
	OrderID     string
	TradeNo     string // NewTradeNo(); ≤ 32 characters of [A-Za-z0-9]
	AmountFen   order.Fen
	Description string // shown to the payer (钱方 goods_name, 收钱吧 subject)
	ShopName    string // shown on 钱方's page (mchntnm)
	NotifyURL   string // our …/payments/{provider}/notify (behind public_url)
	ReturnURL   string // the page's result view ?rid=&oid=
	OpenID      string // the payer's openid: required by 钱方 (sub_openid), unused by 收钱吧
}

// Checkout is where to send the customer's browser.
type Checkout struct {
	Attempt Attempt
	PayURL  string
	// Params are provider parameters a page could use itself (钱方's
	// pay_params for WeixinJSBridge); informational.
	Params map[string]string
}

// Outcome is the provider's answer about an attempt, from a query we signed.
type Outcome struct {
	State           State
	TradeNo         string
	ProviderTradeNo string // 钱方 syssn, 收钱吧 sn
	// ChannelTransactionID is WeChat Pay's transaction number (钱方 chnlsn,
	// 收钱吧 trade_no), what the WeChat Pay sync and the customer's receipt name.
	ChannelTransactionID string
	PaidAt               time.Time
	AmountFen            order.Fen
	// Detail is the provider's own status for logs and the console
	// ("respcd 1143", "order_status CREATED").
	Detail string
}

// RefundRequest refunds (part of) a paid attempt.
type RefundRequest struct {
	Attempt Attempt
	// RefundNo identifies this refund: the same on every retry of it, a new
	// one for the next partial refund. NewRefundNo(); ≤ 20 characters.
	RefundNo  string
	AmountFen order.Fen
}

// RefundState is what a provider says of one refund.
type RefundState string

const (
	RefundDone    RefundState = "done"
	RefundPending RefundState = "pending" // accepted, in progress: ask again
	RefundFailed  RefundState = "failed"  // refused: staff must act (Detail says why)
	RefundUnknown RefundState = "unknown" // no verdict: retry with the same RefundNo
)

// RefundResult is a provider's answer about a refund.
type RefundResult struct {
	State            RefundState
	RefundNo         string
	ProviderRefundNo string
	AmountFen        order.Fen
	Detail           string
}

// Notification is an asynchronous notification as received: the exact bytes
// (signatures cover them) and the headers.
type Notification struct {
	Header http.Header
	Query  url.Values
	Body   []byte
}

// AttemptLookup finds our attempt by trade number; it answers
// ErrUnknownAttempt for a number we never issued.
type AttemptLookup func(ctx context.Context, tradeNo string) (Attempt, error)

// Provider is one online payment provider for one restaurant.
type Provider interface {
	// Name is "qf", "sqb" or "sandbox" (takeout.pay_mch).
	Name() string
	// Create prepares the attempt at the provider and returns the pay page.
	// Give every call a new TradeNo: 钱方 refuses one it has seen (respcd
	// 1102), and after a failed payment 收钱吧 does too (CLIENT_SN_CONFLICT).
	Create(ctx context.Context, r CreateRequest) (Checkout, error)
	// Query asks the provider about an attempt (read-only, safe to repeat).
	Query(ctx context.Context, a Attempt) (Outcome, error)
	// Refund refunds a paid attempt; retry with the same RefundNo.
	Refund(ctx context.Context, r RefundRequest) (RefundResult, error)
	// Close ends an unpaid attempt at the provider (expiry). The outcome says
	// what it is afterwards: Failed when closed, Paid when the customer paid
	// meanwhile (then refund it), Unknown when the provider could not tell.
	Close(ctx context.Context, a Attempt) (Outcome, error)
	// ConfirmNotification verifies a notification where the provider
	// documents how, finds the attempt it names through lookup, and answers
	// the outcome of a signed query of our own: the notification's own claims
	// never become an outcome. A forged one gives ErrBadSignature, one for a
	// number we never issued ErrUnknownAttempt, one with nothing to apply
	// (a refund notification) ErrNothingToApply.
	ConfirmNotification(ctx context.Context, n Notification, lookup AttemptLookup) (Outcome, error)
	// NotificationAck is the body to answer a notification that was taken
	// (verified, or a valid one for a refund): 钱方 "SUCCESS", 收钱吧 "success".
	NotificationAck() string
}

var (
	// ErrBadSignature: a notification that fails its signature check.
	ErrBadSignature = errors.New("payment: notification signature does not verify")
	// ErrUnknownAttempt: a trade number we never issued.
	ErrUnknownAttempt = errors.New("payment: unknown trade number")
	// ErrNothingToApply: a genuine notification that changes no payment.
	ErrNothingToApply = errors.New("payment: notification has nothing to apply")
	// ErrAmountMismatch: the provider reports another amount than the
	// attempt's: never treated as paid; staff must look.
	ErrAmountMismatch = errors.New("payment: amount differs from the attempt")
	// ErrInvalidRequest: a request we refuse to send (our bug).
	ErrInvalidRequest = errors.New("payment: invalid request")
)

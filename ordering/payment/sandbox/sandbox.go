// Package sandbox is a payment provider without a provider: a simulated pay
// page (支付 / 支付失败 buttons) served by posbridge itself, so the whole
// online-payment flow — pay page, notification, query, refund, expiry — can
// be tried with no credentials and no money. It implements payment.Provider
// exactly like 钱方 and 收钱吧: notifications are signed, and only a query
// turns one into an outcome.
package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/payment"
)

// Name is the provider name of the sandbox.
const Name = "sandbox"

// SignatureHeader carries the HMAC of a sandbox notification body.
const SignatureHeader = "X-Sandbox-Signature"

// Options configure the simulated provider.
type Options struct {
	// BaseURL is where Handler is reachable from the customer's phone, e.g.
	// https://shop.example.com/sandbox-pay (mount Handler there with
	// http.StripPrefix).
	BaseURL    string
	Key        []byte // signs links and notifications; random when nil
	HTTPClient *http.Client
	Logger     *slog.Logger
	Now        func() time.Time
	// NotifyRetries is how often a notification is re-sent until the
	// channel answers the ack (default 3), NotifyDelay the pause (default 1s).
	NotifyRetries int
	NotifyDelay   time.Duration
}

// Provider is the simulated provider. Safe for concurrent use.
type Provider struct {
	opts Options
	log  *slog.Logger
	now  func() time.Time
	hc   *http.Client
	done chan struct{}
	wg   sync.WaitGroup
	once sync.Once

	mu       sync.Mutex
	attempts map[string]*attempt
	refunds  map[string]payment.RefundResult
}

type attempt struct {
	req      payment.CreateRequest
	state    payment.State
	sn       string
	txn      string
	paidAt   time.Time
	refunded order.Fen
	created  time.Time
}

var _ payment.Provider = (*Provider)(nil)

// New returns a simulated provider.
func New(o Options) (*Provider, error) {
	if o.BaseURL == "" {
		return nil, errors.New("sandbox payment: BaseURL (where the simulated pay page is served) is required")
	}
	if len(o.Key) == 0 {
		o.Key = make([]byte, 32)
		_, _ = rand.Read(o.Key)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	if o.NotifyRetries <= 0 {
		o.NotifyRetries = 3
	}
	if o.NotifyDelay <= 0 {
		o.NotifyDelay = time.Second
	}
	return &Provider{
		opts: o, log: o.Logger, now: o.Now, hc: o.HTTPClient, done: make(chan struct{}),
		attempts: map[string]*attempt{}, refunds: map[string]payment.RefundResult{},
	}, nil
}

// Shutdown stops notification senders and waits for them.
func (p *Provider) Shutdown() {
	p.once.Do(func() { close(p.done) })
	p.wg.Wait()
}

// Name implements payment.Provider.
func (p *Provider) Name() string { return Name }

// NotificationAck implements payment.Provider.
func (p *Provider) NotificationAck() string { return "success" }

func (p *Provider) mac(kind, s string) string {
	m := hmac.New(sha256.New, p.opts.Key)
	m.Write([]byte(kind + ":" + s))
	return hex.EncodeToString(m.Sum(nil))
}

// Create implements payment.Provider.
func (p *Provider) Create(_ context.Context, r payment.CreateRequest) (payment.Checkout, error) {
	if err := r.Check(); err != nil {
		return payment.Checkout{}, err
	}
	p.mu.Lock()
	a := p.attempts[r.TradeNo]
	if a != nil && (a.req.AmountFen != r.AmountFen || a.req.OrderID != r.OrderID) {
		p.mu.Unlock()
		return payment.Checkout{}, fmt.Errorf("%w: trade number %s was used for another payment", payment.ErrInvalidRequest, r.TradeNo)
	}
	if a == nil {
		a = &attempt{req: r, state: payment.Pending, sn: "SB" + r.TradeNo, created: p.now()}
		p.attempts[r.TradeNo] = a
	}
	created := a.created
	p.mu.Unlock()
	link := strings.TrimRight(p.opts.BaseURL, "/") + "/pay/" + r.TradeNo + "?t=" + p.mac("link", r.TradeNo)
	return payment.Checkout{
		Attempt: payment.Attempt{Provider: Name, OrderID: r.OrderID, TradeNo: r.TradeNo, AmountFen: r.AmountFen, ProviderTradeNo: "SB" + r.TradeNo, CreatedAt: created},
		PayURL:  link,
	}, nil
}

// Query implements payment.Provider.
func (p *Provider) Query(_ context.Context, at payment.Attempt) (payment.Outcome, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.attempts[at.TradeNo]
	if a == nil {
		// Attempts live in memory: after a restart of the sandbox nobody can pay it.
		return payment.Outcome{State: payment.Failed, TradeNo: at.TradeNo, Detail: "unknown to the sandbox (restarted?)"}, nil
	}
	return p.outcomeLocked(a, at)
}

func (p *Provider) outcomeLocked(a *attempt, at payment.Attempt) (payment.Outcome, error) {
	out := payment.Outcome{State: a.state, TradeNo: a.req.TradeNo, ProviderTradeNo: a.sn, AmountFen: a.req.AmountFen, Detail: "sandbox " + string(a.state)}
	if a.state == payment.Paid {
		out.ChannelTransactionID, out.PaidAt = a.txn, a.paidAt
	}
	if at.AmountFen != 0 && at.AmountFen != a.req.AmountFen {
		out.State = payment.Unknown
		return out, fmt.Errorf("%w: sandbox has %d fen, the attempt %d", payment.ErrAmountMismatch, a.req.AmountFen, at.AmountFen)
	}
	return out, nil
}

// Refund implements payment.Provider.
func (p *Provider) Refund(_ context.Context, r payment.RefundRequest) (payment.RefundResult, error) {
	if err := r.Check(); err != nil {
		return payment.RefundResult{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if done, ok := p.refunds[r.RefundNo]; ok {
		if done.AmountFen != r.AmountFen {
			return payment.RefundResult{}, fmt.Errorf("%w: refund number %s was used for another refund", payment.ErrInvalidRequest, r.RefundNo)
		}
		return done, nil
	}
	a := p.attempts[r.Attempt.TradeNo]
	res := payment.RefundResult{RefundNo: r.RefundNo, AmountFen: r.AmountFen}
	switch {
	case a == nil || a.state != payment.Paid:
		res.State, res.Detail = payment.RefundFailed, "not paid"
	case a.refunded+r.AmountFen > a.req.AmountFen:
		res.State, res.Detail = payment.RefundFailed, "more than the refundable amount"
	default:
		a.refunded += r.AmountFen
		res.State, res.ProviderRefundNo, res.Detail = payment.RefundDone, "SBR"+r.RefundNo, "sandbox refund"
	}
	p.refunds[r.RefundNo] = res
	return res, nil
}

// Close implements payment.Provider.
func (p *Provider) Close(_ context.Context, at payment.Attempt) (payment.Outcome, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.attempts[at.TradeNo]
	if a == nil {
		return payment.Outcome{State: payment.Failed, TradeNo: at.TradeNo, Detail: "unknown to the sandbox"}, nil
	}
	if a.state == payment.Pending {
		a.state = payment.Failed
	}
	return p.outcomeLocked(a, at)
}

type notice struct {
	TradeNo string `json:"trade_no"`
	State   string `json:"state"`
}

// ConfirmNotification implements payment.Provider.
func (p *Provider) ConfirmNotification(ctx context.Context, n payment.Notification, lookup payment.AttemptLookup) (payment.Outcome, error) {
	sig := n.Header.Get(SignatureHeader)
	if sig == "" || !hmac.Equal([]byte(sig), []byte(p.mac("notify", string(n.Body)))) {
		return payment.Outcome{}, payment.ErrBadSignature
	}
	var nt notice
	if err := json.Unmarshal(n.Body, &nt); err != nil || nt.TradeNo == "" {
		return payment.Outcome{}, fmt.Errorf("%w: sandbox notification without trade_no", payment.ErrBadSignature)
	}
	at, err := lookup(ctx, nt.TradeNo)
	if err != nil {
		return payment.Outcome{}, err
	}
	return p.Query(ctx, at)
}

// decision is what a click on the pay page did.
type decision struct {
	state     payment.State
	changed   bool // false: paid, failed or closed already; a second click changes nothing
	notifyURL string
	returnURL string
}

// decide is the pay page's button.
func (p *Provider) decide(tradeNo string, pay bool) (decision, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.attempts[tradeNo]
	if a == nil {
		return decision{}, errors.New("unknown payment")
	}
	d := decision{changed: a.state == payment.Pending, notifyURL: a.req.NotifyURL, returnURL: a.req.ReturnURL}
	if d.changed && pay {
		a.state, a.paidAt, a.txn = payment.Paid, p.now(), "4200"+strings.TrimPrefix(a.req.TradeNo, "P")
	} else if d.changed {
		a.state = payment.Failed
	}
	d.state = a.state
	return d, nil
}

// notify posts the signed notification, retrying until acknowledged.
func (p *Provider) notify(url, tradeNo string, state payment.State) {
	if url == "" {
		return
	}
	body, _ := json.Marshal(notice{TradeNo: tradeNo, State: string(state)})
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for try := 0; try <= p.opts.NotifyRetries; try++ {
			if try > 0 {
				select {
				case <-p.done:
					return
				case <-time.After(p.opts.NotifyDelay):
				}
			}
			if p.postNotify(url, body) {
				return
			}
		}
		p.log.Warn("sandbox payment notification not acknowledged", "trade_no", tradeNo)
	}()
}

func (p *Provider) postNotify(url string, body []byte) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		select {
		case <-p.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, p.mac("notify", string(body)))
	resp, err := p.hc.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var b [64]byte
	n, _ := resp.Body.Read(b[:])
	return resp.StatusCode == http.StatusOK && strings.TrimSpace(string(b[:n])) == p.NotificationAck()
}

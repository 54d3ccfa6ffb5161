package shouqianba

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"unicode/utf8"
)

// PaywayWeChat is payway 3.
const PaywayWeChat = "3"

// WAPRequest is one WAP cashier order.
type WAPRequest struct {
	ClientSN    string // ours, unique, ≤ 32 bytes; a new one after a failed payment
	AmountFen   int64
	Subject     string // ≤ 64 characters, shown to the payer
	Description string
	NotifyURL   string // ≤ 128 bytes
	ReturnURL   string // ≤ 128 bytes, required
	Reflect     string // echoed back, ≤ 64 bytes
}

// ErrBadWAPRequest is a cashier request 收钱吧 would refuse.
var ErrBadWAPRequest = errors.New("shouqianba: bad WAP request")

// WAPURL is the link to 收钱吧's WAP cashier (opened in WeChat, which does
// the OAuth and the payment there). It checks in first when due; otherwise
// it makes no network call.
func (c *Client) WAPURL(ctx context.Context, r WAPRequest) (string, error) {
	switch {
	case r.ClientSN == "" || len(r.ClientSN) > 32:
		return "", fmt.Errorf("%w: client_sn must be 1 to 32 bytes", ErrBadWAPRequest)
	case r.AmountFen <= 0 || r.AmountFen > 9_999_999_999:
		return "", fmt.Errorf("%w: total_amount must be 1 to 10 digits of fen", ErrBadWAPRequest)
	case r.ReturnURL == "" || len(r.ReturnURL) > 128:
		return "", fmt.Errorf("%w: return_url is required and at most 128 bytes (shorten public_url)", ErrBadWAPRequest)
	case len(r.NotifyURL) > 128:
		return "", fmt.Errorf("%w: notify_url is at most 128 bytes (shorten public_url)", ErrBadWAPRequest)
	case len(r.Reflect) > 64:
		return "", fmt.Errorf("%w: reflect is at most 64 bytes", ErrBadWAPRequest)
	}
	st, err := c.ensureTerminal(ctx)
	if err != nil {
		return "", err
	}
	subject := r.Subject
	if utf8.RuneCountInString(subject) > 64 {
		subject = string([]rune(subject)[:64])
	}
	if subject == "" {
		subject = "点单"
	}
	desc := r.Description
	if utf8.RuneCountInString(desc) > 256 {
		desc = string([]rune(desc)[:256])
	}
	p := url.Values{
		"terminal_sn": {st.TerminalSN}, "client_sn": {r.ClientSN}, "total_amount": {strconv.FormatInt(r.AmountFen, 10)},
		"subject": {subject}, "payway": {PaywayWeChat}, "operator": {Operator}, "description": {desc},
		"notify_url": {r.NotifyURL}, "return_url": {r.ReturnURL}, "reflect": {r.Reflect},
	}
	for k, v := range p {
		if v[0] == "" {
			delete(p, k) // empty parameters are neither signed nor sent
		}
	}
	sign := SignWAP(p, st.TerminalKey)
	return c.cfg.WAPBaseURL + "?" + p.Encode() + "&sign=" + sign, nil
}

// Query asks for an order by sn (wins) or client_sn. A business "not
// found" is an *Error with Code UPAY_ORDER_NOT_EXISTS (or TRADE_NOT_EXIST).
func (c *Client) Query(ctx context.Context, sn, clientSN string) (Order, error) {
	body := map[string]string{}
	if sn != "" {
		body["sn"] = sn
	}
	if clientSN != "" {
		body["client_sn"] = clientSN
	}
	if len(body) == 0 {
		return Order{}, errors.New("shouqianba query: sn or client_sn is required")
	}
	biz, err := c.upay(ctx, "query", "/upay/v2/query", body)
	if err != nil {
		return Order{}, err
	}
	if biz.ResultCode != "SUCCESS" {
		return Order{}, &Error{Op: "query", Layer: "business", ResultCode: biz.ResultCode, Code: biz.ErrorCode, Message: biz.ErrorMessage}
	}
	return biz.Data.order()
}

// RefundRequest refunds (part of) a paid order.
type RefundRequest struct {
	SN              string
	ClientSN        string
	RefundRequestNo string // ≤ 20; the same on retries of this refund, new for the next one
	AmountFen       int64
}

// ActionResult is the business result of refund, cancel and revoke: the
// result_code (REFUND_SUCCESS, CANCEL_SUCCESS, …), its error, and the order after it.
type ActionResult struct {
	ResultCode   string
	ErrorCode    string
	ErrorMessage string
	Order        Order // when 收钱吧 sent data
}

// Refund asks for a refund; retry with the same RefundRequestNo.
func (c *Client) Refund(ctx context.Context, r RefundRequest) (ActionResult, error) {
	if r.RefundRequestNo == "" || len(r.RefundRequestNo) > 20 || r.AmountFen <= 0 || (r.SN == "" && r.ClientSN == "") {
		return ActionResult{}, errors.New("shouqianba refund: sn or client_sn, a refund_request_no of at most 20 characters and a positive amount are required")
	}
	body := map[string]string{"refund_request_no": r.RefundRequestNo, "operator": Operator, "refund_amount": strconv.FormatInt(r.AmountFen, 10)}
	if r.SN != "" {
		body["sn"] = r.SN
	}
	if r.ClientSN != "" {
		body["client_sn"] = r.ClientSN
	}
	return c.action(ctx, "refund", "/upay/v2/refund", body)
}

// Cancel (自动撤单) ends an unpaid or unclear order.
func (c *Client) Cancel(ctx context.Context, sn, clientSN string) (ActionResult, error) {
	return c.action(ctx, "cancel", "/upay/v2/cancel", orderRef(sn, clientSN))
}

// Revoke (手动撤单) refunds a paid order in full on its day, once, no fee.
func (c *Client) Revoke(ctx context.Context, sn, clientSN string) (ActionResult, error) {
	return c.action(ctx, "revoke", "/upay/v2/revoke", orderRef(sn, clientSN))
}

func orderRef(sn, clientSN string) map[string]string {
	m := map[string]string{}
	if sn != "" {
		m["sn"] = sn
	}
	if clientSN != "" {
		m["client_sn"] = clientSN
	}
	return m
}

func (c *Client) action(ctx context.Context, op, path string, body map[string]string) (ActionResult, error) {
	if body["sn"] == "" && body["client_sn"] == "" {
		return ActionResult{}, fmt.Errorf("shouqianba %s: sn or client_sn is required", op)
	}
	biz, err := c.upay(ctx, op, path, body)
	if err != nil {
		return ActionResult{}, err
	}
	res := ActionResult{ResultCode: biz.ResultCode, ErrorCode: biz.ErrorCode, ErrorMessage: biz.ErrorMessage}
	if biz.Data != nil {
		if res.Order, err = biz.Data.order(); err != nil {
			return res, err
		}
	}
	c.log.Info("shouqianba "+op, "result_code", biz.ResultCode, "error_code", biz.ErrorCode, "order_status", res.Order.OrderStatus)
	return res, nil
}

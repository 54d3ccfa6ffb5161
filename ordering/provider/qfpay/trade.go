package qfpay

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// PayTypeWeChatJSAPI is WeChat official-account payment.
const PayTypeWeChatJSAPI = "800207"

// PayRequest is a JSAPI payment (pay_type 800207).
type PayRequest struct {
	OutTradeNo string // unique for every payment and refund of the merchant
	AmountFen  int64
	OpenID     string // sub_openid: from OpenID (QFPay's account)
	GoodsName  string // ≤ 20 characters; shortened and cleaned here
	NotifyURL  string // optional: QFPay support registers one per app_code
	At         time.Time
}

// PayParams are the arguments of WeChat's getBrandWCPayRequest.
type PayParams struct {
	AppID     string `json:"appId"`
	TimeStamp string `json:"timeStamp"`
	NonceStr  string `json:"nonceStr"`
	Package   string `json:"package"`
	SignType  string `json:"signType"`
	PaySign   string `json:"paySign"`
}

// PayReply is the payment's reply: the prepay order exists, nobody paid yet.
type PayReply struct {
	SysSN      string
	OutTradeNo string
	AmountFen  int64
	ChnlSN     string
	PayParams  PayParams
}

type payReply struct {
	common
	SysSN      string    `json:"syssn"`
	OutTradeNo string    `json:"out_trade_no"`
	Txamt      str       `json:"txamt"`
	ChnlSN     string    `json:"chnlsn"`
	PayParams  PayParams `json:"pay_params"`
}

// Pay creates the JSAPI payment.
func (c *Client) Pay(ctx context.Context, r PayRequest) (PayReply, error) {
	if r.OutTradeNo == "" || r.AmountFen <= 0 || r.OpenID == "" {
		return PayReply{}, fmt.Errorf("qfpay payment: out_trade_no, a positive amount and the payer's openid are required")
	}
	p := url.Values{
		"txamt": {strconv.FormatInt(r.AmountFen, 10)}, "txcurrcd": {"CNY"}, "pay_type": {PayTypeWeChatJSAPI},
		"out_trade_no": {r.OutTradeNo}, "txdtm": {c.stamp(r.At)}, "sub_openid": {r.OpenID},
		"goods_name": {GoodsName(r.GoodsName)}, "notify_url": {r.NotifyURL},
	}
	var rep payReply
	if err := c.sendForm(ctx, "payment", http.MethodPost, "/trade/v1/payment", p, c.payTimeout, &rep); err != nil {
		return PayReply{}, err
	}
	amt, err := rep.Txamt.fen()
	if err != nil {
		return PayReply{}, err
	}
	if rep.SysSN == "" || rep.PayParams.Package == "" || rep.PayParams.PaySign == "" {
		return PayReply{}, fmt.Errorf("qfpay payment: reply lacks syssn or pay_params")
	}
	if amt != 0 && amt != r.AmountFen {
		return PayReply{}, fmt.Errorf("qfpay payment: QFPay answered txamt %d for %d fen", amt, r.AmountFen)
	}
	return PayReply{SysSN: rep.SysSN, OutTradeNo: rep.OutTradeNo, AmountFen: r.AmountFen, ChnlSN: rep.ChnlSN, PayParams: rep.PayParams}, nil
}

// GoodsName fits goods_name: at most 20 characters, no special characters
// (QFPay refuses them), never empty.
func GoodsName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune("&=?#%+\"'<>\\|\r\n\t", r) || r < 0x20 {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if utf8.RuneCountInString(s) > 20 {
		s = string([]rune(s)[:20])
	}
	if s == "" {
		s = "点单"
	}
	return s
}

// HostedPageURL is QFPay's hosted WeChat pay page for a prepay (what seed
// §6.6 returns for qf): shop name, amount, goods, where to return, and the
// six pay_params. Nothing of ours is signed here.
func (c *Client) HostedPageURL(p PayParams, shopName string, amountFen int64, goodsName, redirectURL string) string {
	q := url.Values{
		"mchntnm": {shopName}, "txamt": {strconv.FormatInt(amountFen, 10)}, "currency": {"CNY"},
		"goods_name": {GoodsName(goodsName)}, "redirect_url": {redirectURL},
		"package": {p.Package}, "timeStamp": {p.TimeStamp}, "signType": {p.SignType},
		"paySign": {p.PaySign}, "appId": {p.AppID}, "nonceStr": {p.NonceStr},
	}
	return c.cfg.PayPageURL + "?" + q.Encode()
}

// Transaction is one item of a query reply.
type Transaction struct {
	SysSN      string
	OutTradeNo string
	ChnlSN     string
	OrderType  string // payment | refund
	OrigSysSN  string // refunds: the paid transaction
	PayType    string
	AmountFen  int64
	Respcd     string // the transaction's status: 0000 paid, 1143/1145 in progress, others failed
	Cancel     int    // 0 none, 1 reversed/refunded (CPM), 2 cancelled (MPM), 3 refunded, 4 pre-auth done, 5 partly refunded
	TxTime     time.Time
	SysTime    time.Time
	PaidAt     time.Time
	ErrMsg     string
}

type queryReply struct {
	common
	Data []struct {
		SysSN      string `json:"syssn"`
		OutTradeNo string `json:"out_trade_no"`
		ChnlSN     string `json:"chnlsn"`
		OrderType  string `json:"order_type"`
		OrigSSN    string `json:"origssn"`
		PayType    str    `json:"pay_type"`
		Txamt      str    `json:"txamt"`
		Respcd     str    `json:"respcd"`
		Cancel     str    `json:"cancel"`
		Txdtm      string `json:"txdtm"`
		Sysdtm     string `json:"sysdtm"`
		Paydtm     string `json:"paydtm"`
		ErrMsg     string `json:"errmsg"`
	} `json:"data"`
}

// QueryRequest finds transactions by our number or QFPay's. Since is when
// the transaction was made; the query window runs from 10 minutes before it
// to now (QFPay searches the current month by default and a window must
// stay within a month).
type QueryRequest struct {
	OutTradeNo string
	SysSN      string
	Since      time.Time
}

// Query lists the matching transactions (empty: QFPay does not know it).
func (c *Client) Query(ctx context.Context, r QueryRequest) ([]Transaction, error) {
	p := url.Values{}
	switch {
	case r.SysSN != "":
		p.Set("syssn", r.SysSN) // QFPay ignores the window with syssn
	case r.OutTradeNo != "":
		p.Set("out_trade_no", r.OutTradeNo)
		// Margins on both sides: QFPay stamps sysdtm with its own clock.
		end := c.now().Add(5 * time.Minute)
		start := r.Since.Add(-10 * time.Minute)
		if earliest := end.AddDate(0, -1, 0).Add(time.Minute); r.Since.IsZero() || start.Before(earliest) {
			start = earliest
		}
		p.Set("start_time", c.stamp(start))
		p.Set("end_time", c.stamp(end))
	default:
		return nil, fmt.Errorf("qfpay query: out_trade_no or syssn is required")
	}
	p.Set("page_size", "100")
	var rep queryReply
	if err := c.sendForm(ctx, "query", http.MethodPost, "/trade/v1/query", p, c.queryTimeout, &rep); err != nil {
		return nil, err
	}
	out := make([]Transaction, 0, len(rep.Data))
	for _, d := range rep.Data {
		amt, err := d.Txamt.fen()
		if err != nil {
			return nil, err
		}
		cancel, _ := strconv.Atoi(string(d.Cancel))
		out = append(out, Transaction{
			SysSN: d.SysSN, OutTradeNo: d.OutTradeNo, ChnlSN: d.ChnlSN, OrderType: d.OrderType, OrigSysSN: d.OrigSSN,
			PayType: string(d.PayType), AmountFen: amt, Respcd: string(d.Respcd), Cancel: cancel,
			TxTime: c.parseTime(d.Txdtm), SysTime: c.parseTime(d.Sysdtm), PaidAt: c.parseTime(d.Paydtm), ErrMsg: d.ErrMsg,
		})
	}
	return out, nil
}

// RefundRequest refunds a paid transaction.
type RefundRequest struct {
	SysSN      string // the paid transaction
	OutTradeNo string // a new number for this refund; the same on its retries
	AmountFen  int64
	At         time.Time
}

// RefundReply is a refund's reply.
type RefundReply struct {
	SysSN     string // the refund transaction
	OrigSysSN string
	AmountFen int64
}

type refundReply struct {
	common
	SysSN     string `json:"syssn"`
	OrigSysSN string `json:"orig_syssn"`
	Txamt     str    `json:"txamt"`
}

// Refund asks for a refund; 0000 means accepted. Query it (order_type
// refund) before retrying after a failure.
func (c *Client) Refund(ctx context.Context, r RefundRequest) (RefundReply, error) {
	if r.SysSN == "" || r.OutTradeNo == "" || r.AmountFen <= 0 {
		return RefundReply{}, fmt.Errorf("qfpay refund: syssn, out_trade_no and a positive amount are required")
	}
	p := url.Values{"syssn": {r.SysSN}, "out_trade_no": {r.OutTradeNo}, "txamt": {strconv.FormatInt(r.AmountFen, 10)}, "txdtm": {c.stamp(r.At)}}
	var rep refundReply
	err := c.sendForm(ctx, "refund", http.MethodPost, "/trade/v1/refund", p, c.payTimeout, &rep)
	amt, _ := rep.Txamt.fen()
	return RefundReply{SysSN: rep.SysSN, OrigSysSN: rep.OrigSysSN, AmountFen: amt}, err
}

// ReversalRequest cancels an unpaid payment.
type ReversalRequest struct {
	OutTradeNo string
	SysSN      string
	AmountFen  int64
	At         time.Time
}

// Reversal cancels a payment that was not paid (paid ones are refunded).
func (c *Client) Reversal(ctx context.Context, r ReversalRequest) error {
	p := url.Values{"txamt": {strconv.FormatInt(r.AmountFen, 10)}, "txdtm": {c.stamp(r.At)}}
	switch {
	case r.SysSN != "":
		p.Set("syssn", r.SysSN)
	case r.OutTradeNo != "":
		p.Set("out_trade_no", r.OutTradeNo)
	default:
		return fmt.Errorf("qfpay reversal: out_trade_no or syssn is required")
	}
	var rep common
	return c.sendForm(ctx, "reversal", http.MethodPost, "/trade/v1/reversal", p, c.queryTimeout, &rep)
}

package qfpay

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Notification types.
const (
	NotifyPayment = "payment"
	NotifyRefund  = "refund"
)

// ErrBadNotification is a notification whose X-QF-SIGN does not verify or
// that is not a QFPay notification at all.
var ErrBadNotification = errors.New("qfpay: notification signature does not verify")

// Notification is a verified asynchronous notification. Its claims are a
// trigger only: confirm them with Query.
type Notification struct {
	NotifyType string // payment | refund
	Status     string // "1" = success
	OutTradeNo string
	SysSN      string // for refunds: the refund transaction
	AmountFen  int64
	Respcd     string
	ChnlSN     string
	PayType    string
	Paydtm     string
}

// ParseNotification verifies sign (the X-QF-SIGN header) over the raw body
// and decodes it. Unknown fields are ignored (QFPay adds some over time).
func ParseNotification(body []byte, sign, clientKey string) (Notification, error) {
	if !VerifyNotification(body, sign, clientKey) {
		return Notification{}, ErrBadNotification
	}
	var n struct {
		NotifyType string `json:"notify_type"`
		Status     str    `json:"status"`
		OutTradeNo string `json:"out_trade_no"`
		SysSN      string `json:"syssn"`
		Txamt      str    `json:"txamt"`
		Respcd     str    `json:"respcd"`
		ChnlSN     string `json:"chnlsn"`
		PayType    str    `json:"pay_type"`
		Paydtm     string `json:"paydtm"`
	}
	if err := json.Unmarshal(body, &n); err != nil {
		return Notification{}, fmt.Errorf("qfpay notification: signed but not JSON: %w", err)
	}
	amt, err := n.Txamt.fen()
	if err != nil {
		return Notification{}, err
	}
	if n.OutTradeNo == "" || (n.NotifyType != NotifyPayment && n.NotifyType != NotifyRefund) {
		return Notification{}, fmt.Errorf("qfpay notification: no out_trade_no or unknown notify_type %q", n.NotifyType)
	}
	return Notification{NotifyType: n.NotifyType, Status: string(n.Status), OutTradeNo: n.OutTradeNo, SysSN: n.SysSN,
		AmountFen: amt, Respcd: string(n.Respcd), ChnlSN: n.ChnlSN, PayType: string(n.PayType), Paydtm: n.Paydtm}, nil
}

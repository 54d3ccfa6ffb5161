package shouqianba

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Error is a refusal at the second layer (top-level result_code 400 or
// 500: the request itself) or the third (biz_response.result_code FAIL or
// a *_FAIL / *_ERROR of the action).
type Error struct {
	Op string
	// Layer is "request" (result_code 400/500) or "business" (biz_response).
	Layer      string
	ResultCode string // "400", "500", or the business result_code
	Code       string // error_code
	Message    string // error_message
}

func (e *Error) Error() string {
	s := fmt.Sprintf("shouqianba %s: %s %s %s: %s", e.Op, e.Layer, e.ResultCode, e.Code, e.Message)
	switch e.Code {
	case "ILLEGAL_SIGN":
		s += " (check sqb.vendor_sn and vendor_key; for a terminal, its key may have expired: posbridge checks in daily)"
	case "INVALID_TERMINAL", "UPAY_TERMINAL_NOT_EXISTS", "UPAY_TERMINAL_STATUS_ABNORMAL", "TERMINAL_NOT_EXISTS":
		s += " (the terminal is unknown or disabled at 收钱吧: ask 收钱吧 for a new activation code and set sqb.activation_code)"
	}
	return s
}

// Retryable reports a server-side failure (result_code 500) worth a retry.
func (e *Error) Retryable() bool { return e.Layer == "request" && e.ResultCode == "500" }

// ErrCode is err's error_code ("" when err is not a 收钱吧 refusal).
func ErrCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// envelope is the top layer of every reply.
type envelope struct {
	ResultCode   string          `json:"result_code"`
	ErrorCode    string          `json:"error_code"`
	ErrorMessage string          `json:"error_message"`
	BizResponse  json.RawMessage `json:"biz_response"`
}

// bizReply is the business layer of the upay calls.
type bizReply struct {
	ResultCode   string     `json:"result_code"`
	ErrorCode    string     `json:"error_code"`
	ErrorMessage string     `json:"error_message"`
	Data         *orderData `json:"data"`
}

// orderData is biz_response.data (every value a string).
type orderData struct {
	SN                string `json:"sn"`
	ClientSN          string `json:"client_sn"`
	ClientTSN         string `json:"client_tsn"`
	TradeNo           string `json:"trade_no"`
	Status            string `json:"status"`
	OrderStatus       string `json:"order_status"`
	Payway            string `json:"payway"`
	SubPayway         string `json:"sub_payway"`
	TotalAmount       string `json:"total_amount"`
	NetAmount         string `json:"net_amount"`
	FinishTime        string `json:"finish_time"`
	ChannelFinishTime string `json:"channel_finish_time"`
	Subject           string `json:"subject"`
	Operator          string `json:"operator"`
	PayerUID          string `json:"payer_uid"`
	TerminalSN        string `json:"terminal_sn"`
}

// Order is 收钱吧's view of one order.
type Order struct {
	SN          string
	ClientSN    string
	TradeNo     string // WeChat Pay's transaction number
	Status      string // of the latest transaction (流水)
	OrderStatus string
	Payway      string
	TotalFen    int64
	NetFen      int64 // total minus refunds
	FinishedAt  time.Time
	ChannelAt   time.Time
	PayerUID    string
}

func (d *orderData) order() (Order, error) {
	if d == nil {
		return Order{}, errors.New("shouqianba: reply without data")
	}
	total, err := fen(d.TotalAmount)
	if err != nil {
		return Order{}, err
	}
	net, err := fen(d.NetAmount)
	if err != nil {
		return Order{}, err
	}
	return Order{
		SN: d.SN, ClientSN: d.ClientSN, TradeNo: d.TradeNo, Status: d.Status, OrderStatus: d.OrderStatus, Payway: d.Payway,
		TotalFen: total, NetFen: net, FinishedAt: millis(d.FinishTime), ChannelAt: millis(d.ChannelFinishTime), PayerUID: d.PayerUID,
	}, nil
}

func fen(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("shouqianba: amount %q is not integer fen", s)
	}
	return n, nil
}

func millis(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(n)
}

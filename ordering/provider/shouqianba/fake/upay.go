package fake

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

var fenRE = regexp.MustCompile(`^[1-9][0-9]{0,9}$`)

// upayRequest authenticates a terminal call and decodes its body.
func (s *Server) upayRequest(w http.ResponseWriter, r *http.Request, body []byte) (map[string]string, string, bool) {
	var req map[string]string
	if err := json.Unmarshal(body, &req); err != nil {
		s.top(w, "400", "INVALID_PARAMS", "body must be a JSON object of strings (amounts too)")
		return nil, "", false
	}
	s.mu.Lock()
	keys := s.terminalKeysLocked(req["terminal_sn"])
	s.mu.Unlock()
	if keys == nil {
		s.top(w, "400", "INVALID_TERMINAL", "不存在这个终端")
		return nil, "", false
	}
	sn, ok := s.checkAuth(w, r, body, keys...)
	if !ok {
		return nil, "", false
	}
	if sn != req["terminal_sn"] {
		s.top(w, "400", "ILLEGAL_SIGN", "Authorization names another terminal")
		return nil, "", false
	}
	return req, sn, true
}

// findLocked looks an order up: sn wins, then client_sn.
func (s *Server) findLocked(req map[string]string, terminalSN string) *sqbOrder {
	o := s.bySN[req["sn"]]
	if o == nil {
		o = s.orders[req["client_sn"]]
	}
	if o == nil || o.terminalSN != terminalSN {
		return nil
	}
	s.expireLocked(o)
	return o
}

// expireLocked cancels an unpaid cashier order after WAPTTL, as 收钱吧 does.
func (s *Server) expireLocked(o *sqbOrder) {
	if o.orderStatus == "CREATED" && s.opts.Now().Sub(o.created) > s.opts.WAPTTL {
		o.orderStatus, o.status, o.finished = "CANCELED", "SUCCESS", s.opts.Now()
	}
}

func ms(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

func (o *sqbOrder) data() map[string]string {
	return map[string]string{
		"sn": o.sn, "client_sn": o.clientSN, "terminal_sn": o.terminalSN, "trade_no": o.tradeNo, "status": o.status,
		"order_status": o.orderStatus, "payway": "3", "sub_payway": "3", "total_amount": strconv.FormatInt(o.total, 10),
		"net_amount": strconv.FormatInt(o.net, 10), "finish_time": ms(o.finished), "channel_finish_time": ms(o.finished),
		"subject": o.subject, "operator": o.operator, "ctime": ms(o.created),
	}
}

func notExists() map[string]any {
	return map[string]any{"result_code": "FAIL", "error_code": "UPAY_ORDER_NOT_EXISTS", "error_message": "订单不存在"}
}

func (s *Server) query(w http.ResponseWriter, r *http.Request, body []byte) {
	req, sn, ok := s.upayRequest(w, r, body)
	if !ok {
		return
	}
	if req["sn"] == "" && req["client_sn"] == "" {
		s.top(w, "400", "INVALID_PARAMS", "sn与client_sn不能同时为空")
		return
	}
	s.mu.Lock()
	o := s.findLocked(req, sn)
	var d map[string]string
	if o != nil {
		d = o.data()
	}
	s.mu.Unlock()
	if o == nil {
		s.biz(w, notExists())
		return
	}
	s.biz(w, map[string]any{"result_code": "SUCCESS", "data": d})
}

func (s *Server) refund(w http.ResponseWriter, r *http.Request, body []byte) {
	req, sn, ok := s.upayRequest(w, r, body)
	if !ok {
		return
	}
	no := req["refund_request_no"]
	switch {
	case no == "" || len(no) > 20:
		s.top(w, "400", "INVALID_PARAMS", "refund_request_no 不可以为空，且不超过20位")
		return
	case !fenRE.MatchString(req["refund_amount"]):
		s.top(w, "400", "INVALID_PARAMS", "refund_amount 必须是以分为单位的整数字符串")
		return
	case req["operator"] == "":
		s.top(w, "400", "INVALID_PARAMS", "operator 不可以为空")
		return
	}
	amt, _ := strconv.ParseInt(req["refund_amount"], 10, 64)
	s.mu.Lock()
	o := s.findLocked(req, sn)
	if o == nil {
		s.mu.Unlock()
		s.biz(w, notExists())
		return
	}
	if prev, seen := s.refunds[o.sn+"/"+no]; seen {
		s.mu.Unlock()
		if prev.amount != amt {
			s.biz(w, map[string]any{"result_code": "REFUND_FAIL", "error_code": "UPAY_REFUND_ORDER_NOOP", "error_message": "退款序列号已被另一笔退款使用"})
			return
		}
		s.biz(w, prev.reply) // a retry of the same refund: answered again, refunded once
		return
	}
	var reply map[string]any
	switch {
	case o.orderStatus != "PAID" && o.orderStatus != "PARTIAL_REFUNDED":
		reply = map[string]any{"result_code": "FAIL", "error_code": "UPAY_REFUND_INVALID_ORDER_STATE", "error_message": "当前订单状态不可退款"}
	case amt > o.net:
		reply = map[string]any{"result_code": "FAIL", "error_code": "REFUNDABLE_AMOUNT_NOT_ENOUGH", "error_message": "订单可退金额不足"}
	default:
		o.net -= amt
		o.orderStatus, o.status, o.finished = "PARTIAL_REFUNDED", "SUCCESS", s.opts.Now()
		if o.net == 0 {
			o.orderStatus = "REFUNDED"
		}
		reply = map[string]any{"result_code": "REFUND_SUCCESS", "data": o.data()}
		s.refunds[o.sn+"/"+no] = refundRecord{amount: amt, reply: reply}
	}
	s.mu.Unlock()
	s.biz(w, reply)
}

func (s *Server) cancel(w http.ResponseWriter, r *http.Request, body []byte) {
	req, sn, ok := s.upayRequest(w, r, body)
	if !ok {
		return
	}
	s.mu.Lock()
	o := s.findLocked(req, sn)
	var reply map[string]any
	switch {
	case o == nil:
		reply = notExists()
	case o.orderStatus == "CANCELED" || o.orderStatus == "PAY_CANCELED":
		reply = map[string]any{"result_code": "FAIL", "error_code": "UPAY_CANCEL_ORDER_NOOP", "error_message": "无效操作，订单已经是撤单状态了"}
	case o.orderStatus != "CREATED":
		reply = map[string]any{"result_code": "FAIL", "error_code": "UPAY_CANCEL_INVALID_ORDER_STATE", "error_message": "当前订单状态不可撤销"}
	default:
		o.orderStatus, o.status, o.finished = "CANCELED", "SUCCESS", s.opts.Now()
		reply = map[string]any{"result_code": "CANCEL_SUCCESS", "data": o.data()}
	}
	s.mu.Unlock()
	s.biz(w, reply)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request, body []byte) {
	req, sn, ok := s.upayRequest(w, r, body)
	if !ok {
		return
	}
	s.mu.Lock()
	o := s.findLocked(req, sn)
	var reply map[string]any
	switch {
	case o == nil:
		reply = notExists()
	case o.orderStatus != "PAID" || o.net != o.total:
		reply = map[string]any{"result_code": "FAIL", "error_code": "UPAY_CANCEL_INVALID_ORDER_STATE", "error_message": "当前订单状态不可撤销"}
	case !sameDay(o.finished, s.opts.Now()):
		reply = map[string]any{"result_code": "FAIL", "error_code": "UPAY_CANCEL_INVALID_ORDER_STATE", "error_message": "只能撤销当天的交易"}
	default:
		o.net = 0
		o.orderStatus, o.status, o.finished = "CANCELED", "SUCCESS", s.opts.Now()
		reply = map[string]any{"result_code": "CANCEL_SUCCESS", "data": o.data()}
	}
	s.mu.Unlock()
	s.biz(w, reply)
}

var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

func sameDay(a, b time.Time) bool {
	return a.In(shanghai).Format("20060102") == b.In(shanghai).Format("20060102")
}

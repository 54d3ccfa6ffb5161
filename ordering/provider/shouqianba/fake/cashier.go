package fake

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// wapSign recomputes the WAP sign as the document describes it.
func wapSign(q url.Values, key string) string {
	var names []string
	for n, v := range q {
		if n != "sign" && n != "sign_type" && len(v) > 0 && v[0] != "" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + q.Get(n)
	}
	sum := md5.Sum([]byte(strings.Join(parts, "&") + "&key=" + key))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func (s *Server) gatewayError(w http.ResponseWriter, code, msg string) {
	s.mu.Lock()
	s.refused[code]++
	s.mu.Unlock()
	http.Error(w, "收钱吧: "+code+" "+msg, http.StatusBadRequest)
}

// gateway is the WAP cashier's entry: it checks the signed query, makes (or
// finds) the order and sends the browser to the cashier page.
func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	keys := s.terminalKeysLocked(q.Get("terminal_sn"))
	s.mu.Unlock()
	if keys == nil {
		s.gatewayError(w, "INVALID_TERMINAL", "终端错误")
		return
	}
	signed := false
	for _, k := range keys {
		signed = signed || strings.EqualFold(q.Get("sign"), wapSign(q, k))
	}
	ret, rerr := url.Parse(q.Get("return_url"))
	switch {
	case !signed:
		s.gatewayError(w, "ILLEGAL_SIGN", "签名错误")
		return
	case q.Get("client_sn") == "" || len(q.Get("client_sn")) > 32:
		s.gatewayError(w, "INVALID_PARAMS", "client_sn 不可以为空，且不超过32字节")
		return
	case !fenRE.MatchString(q.Get("total_amount")):
		s.gatewayError(w, "INVALID_PARAMS", "total_amount 必须是以分为单位、不超过10位的数字")
		return
	case q.Get("subject") == "" || utf8.RuneCountInString(q.Get("subject")) > 64:
		s.gatewayError(w, "INVALID_PARAMS", "subject 不可以为空，且不超过64字符")
		return
	case q.Get("operator") == "" || len(q.Get("operator")) > 32:
		s.gatewayError(w, "INVALID_PARAMS", "operator 不可以为空")
		return
	case rerr != nil || ret.Host == "" || len(q.Get("return_url")) > 128:
		s.gatewayError(w, "INVALID_PARAMS", "return_url 必须是不超过128字节的网址")
		return
	case len(q.Get("notify_url")) > 128:
		s.gatewayError(w, "INVALID_PARAMS", "notify_url 不超过128字节")
		return
	case (q.Get("longitude") == "") != (q.Get("latitude") == ""):
		s.gatewayError(w, "INVALID_PARAMS", "经纬度必须同时出现")
		return
	}
	total, _ := strconv.ParseInt(q.Get("total_amount"), 10, 64)
	s.mu.Lock()
	o := s.orders[q.Get("client_sn")]
	if o != nil {
		s.expireLocked(o)
		if o.orderStatus != "CREATED" || o.total != total || o.terminalSN != q.Get("terminal_sn") {
			s.mu.Unlock()
			s.bounce(w, r, q.Get("return_url"), url.Values{"is_success": {"F"}, "error_code": {"CLIENT_SN_CONFLICT"}, "error_message": {"client_sn在系统中已存在"}})
			return
		}
	} else {
		s.seq++
		o = &sqbOrder{
			sn: fmt.Sprintf("78942592%08d", s.seq), clientSN: q.Get("client_sn"), terminalSN: q.Get("terminal_sn"),
			total: total, net: total, subject: q.Get("subject"), operator: q.Get("operator"), reflect: q.Get("reflect"),
			status: "CREATED", orderStatus: "CREATED", notifyURL: q.Get("notify_url"), returnURL: q.Get("return_url"),
			created: s.opts.Now(), token: wire.Nonce(24),
		}
		s.orders[o.clientSN] = o
		s.bySN[o.sn] = o
	}
	target := "/cashier/" + o.sn + "?t=" + o.token
	s.mu.Unlock()
	http.Redirect(w, r, target, http.StatusFound)
}

func (s *Server) bounce(w http.ResponseWriter, r *http.Request, returnURL string, q url.Values) {
	sep := "?"
	if strings.Contains(returnURL, "?") {
		sep = "&"
	}
	http.Redirect(w, r, returnURL+sep+q.Encode(), http.StatusFound)
}

var cashierTmpl = template.Must(template.New("c").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>收钱吧</title></head>
<body><p>{{.Subject}}</p><p id="amount">{{.Amount}}</p>
<form method="post" action="/cashier/{{.SN}}"><input type="hidden" name="t" value="{{.Token}}">
<button id="pay" name="action" value="pay">支付</button>
<button id="cancel" name="action" value="cancel">取消</button>
</form></body></html>`))

func (s *Server) cashierOrder(sn, token string) *sqbOrder {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.bySN[sn]
	if o == nil || token == "" || token != o.token {
		return nil
	}
	s.expireLocked(o)
	return o
}

func (s *Server) cashier(w http.ResponseWriter, r *http.Request) {
	o := s.cashierOrder(r.PathValue("sn"), r.URL.Query().Get("t"))
	if o == nil {
		http.Error(w, "订单不存在", http.StatusNotFound)
		return
	}
	s.mu.Lock()
	view := map[string]any{"Subject": o.subject, "Amount": fmt.Sprintf("￥%d.%02d", o.total/100, o.total%100), "SN": o.sn, "Token": o.token}
	open := o.orderStatus == "CREATED"
	s.mu.Unlock()
	if !open {
		http.Error(w, "订单已关闭或已支付", http.StatusConflict)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = cashierTmpl.Execute(w, view)
}

func (s *Server) cashierSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	_ = r.ParseForm()
	o := s.cashierOrder(r.PathValue("sn"), r.PostForm.Get("t"))
	if o == nil {
		http.Error(w, "订单不存在", http.StatusNotFound)
		return
	}
	pay := r.PostForm.Get("action") == "pay"
	s.mu.Lock()
	if o.orderStatus != "CREATED" {
		s.mu.Unlock()
		http.Error(w, "订单已关闭或已支付", http.StatusConflict)
		return
	}
	q := url.Values{"is_success": {"T"}, "terminal_sn": {o.terminalSN}, "sn": {o.sn}, "client_sn": {o.clientSN},
		"total_amount": {strconv.FormatInt(o.total, 10)}, "subject": {o.subject}, "operator": {o.operator}, "reflect": {o.reflect}}
	if pay {
		s.payLocked(o)
		q.Set("status", "SUCCESS")
		q.Set("trade_no", o.tradeNo)
	} else {
		q.Set("status", "FAIL")
		q.Set("result_code", "get_brand_wcpay_request:cancel")
		q.Set("result_message", "get_brand_wcpay_request:cancel")
	}
	keys := s.terminalKeysLocked(o.terminalSN)
	ret := o.returnURL
	s.mu.Unlock()
	if len(keys) > 0 {
		q.Set("sign", wapSign(q, keys[0]))
	}
	if pay {
		s.notify(o)
	}
	s.bounce(w, r, ret, q)
}

func (s *Server) payLocked(o *sqbOrder) {
	s.seq++
	now := s.opts.Now()
	o.orderStatus, o.status, o.finished = "PAID", "SUCCESS", now
	o.tradeNo = fmt.Sprintf("4200%s%010d", now.In(shanghai).Format("20060102150405"), s.seq)
}

// Pay marks an opened cashier order paid (as its 支付 button does) and
// notifies; false for an unknown or closed order.
func (s *Server) Pay(clientSN string) bool {
	s.mu.Lock()
	o := s.orders[clientSN]
	if o == nil {
		s.mu.Unlock()
		return false
	}
	s.expireLocked(o)
	if o.orderStatus != "CREATED" {
		s.mu.Unlock()
		return false
	}
	s.payLocked(o)
	s.mu.Unlock()
	s.notify(o)
	return true
}

// SetTotal changes an order's amount (to test amount checks).
func (s *Server) SetTotal(clientSN string, fen int64) {
	s.mu.Lock()
	if o := s.orders[clientSN]; o != nil {
		o.total, o.net = fen, fen
	}
	s.mu.Unlock()
}

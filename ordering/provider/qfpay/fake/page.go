package fake

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

var pageTmpl = template.Must(template.New("o2").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Shop}}</title></head>
<body><h1>{{.Shop}}</h1><p>{{.Goods}}</p><p id="amount">{{.Amount}}</p>
<form method="post" action="/q/direct">
<input type="hidden" name="prepay" value="{{.Prepay}}"><input type="hidden" name="redirect_url" value="{{.Redirect}}">
<button id="pay" name="action" value="pay">支付</button>
<button id="cancel" name="action" value="cancel">取消</button>
</form></body></html>`))

// page is QFPay's hosted pay page: it checks the pay_params it issued.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pkg := q.Get("package")
	prepay := strings.TrimPrefix(pkg, "prepay_id=")
	s.mu.Lock()
	var t *tx
	for _, c := range s.txs {
		if c.Prepay == prepay && c.OrderType == "payment" {
			t = c
		}
	}
	var amount int64
	var closed bool
	if t != nil {
		amount, closed = t.Txamt, t.Cancel != 0 || t.Respcd == "0000"
	}
	s.mu.Unlock()
	ru, err := url.Parse(q.Get("redirect_url"))
	problem := ""
	switch {
	case t == nil:
		problem = "unknown prepay"
	case q.Get("paySign") != paySign(q.Get("appId"), q.Get("nonceStr"), pkg, q.Get("signType"), q.Get("timeStamp")):
		problem = "paySign does not verify"
	case q.Get("txamt") != strconv.FormatInt(amount, 10) || q.Get("currency") != "CNY":
		problem = "txamt or currency differs from the payment"
	case err != nil || ru.Host == "" || (ru.Scheme != "http" && ru.Scheme != "https"):
		problem = "redirect_url must be an absolute URL"
	case closed:
		problem = "订单已关闭或已支付"
	}
	if problem != "" {
		http.Error(w, "支付失败: "+problem, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pageTmpl.Execute(w, map[string]any{
		"Shop": q.Get("mchntnm"), "Goods": q.Get("goods_name"), "Amount": fmt.Sprintf("￥%d.%02d", amount/100, amount%100),
		"Prepay": prepay, "Redirect": q.Get("redirect_url"),
	})
}

// pageSubmit is the customer's choice: pay, or cancel WeChat's pay sheet
// (the payment then stays unpaid, as with WeChat).
func (s *Server) pageSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	out := ""
	for _, c := range s.txs {
		if c.Prepay == r.PostForm.Get("prepay") && c.OrderType == "payment" {
			out = c.OutTradeNo
		}
	}
	s.mu.Unlock()
	if out == "" {
		http.Error(w, "unknown prepay", http.StatusBadRequest)
		return
	}
	if r.PostForm.Get("action") == "pay" && !s.Pay(out) {
		http.Error(w, "支付失败: 订单已关闭或已支付", http.StatusConflict)
		return
	}
	http.Redirect(w, r, r.PostForm.Get("redirect_url"), http.StatusSeeOther)
}

package sandbox

import (
	"crypto/hmac"
	"html/template"
	"net/http"
	"strings"

	"github.com/posbridge/posbridge/ordering/payment"
)

var pageTmpl = template.Must(template.New("pay").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>模拟支付</title>
<style>
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f5f5;color:#222}
main{max-width:420px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border-radius:12px;padding:24px;text-align:center}
.amount{font-size:36px;font-weight:600;margin:12px 0}
.note{color:#b26a00;background:#fff4e0;border-radius:8px;padding:8px;font-size:13px;margin:16px 0}
button{display:block;width:100%;font-size:17px;padding:14px;border:0;border-radius:8px;margin-top:12px}
#pay{background:#07c160;color:#fff}#fail{background:#eee;color:#c00}
</style></head>
<body><main><div class="card">
<div>{{.Shop}}</div>
<div>{{.Description}}</div>
<div class="amount" id="amount">{{.Amount}}</div>
{{if .Pending}}
<div class="note">沙盒模式：这是模拟支付页面，不会真实扣款。</div>
<form method="post"><input type="hidden" name="t" value="{{.Token}}">
<button id="pay" name="action" value="pay">确认支付</button>
<button id="fail" name="action" value="fail">支付失败</button>
</form>
{{else}}
<div id="state">{{.StateText}}</div>
<p><a href="{{.ReturnURL}}">返回</a></p>
{{end}}
</div></main></body></html>`))

var stateText = map[payment.State]string{
	payment.Paid:   "已支付",
	payment.Failed: "支付未成功",
}

// Handler serves the simulated pay page at /pay/{trade number}.
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pay/{trade}", p.page)
	mux.HandleFunc("POST /pay/{trade}", p.submit)
	return mux
}

func (p *Provider) checkLink(r *http.Request, token string) (string, bool) {
	trade := r.PathValue("trade")
	return trade, hmac.Equal([]byte(token), []byte(p.mac("link", trade)))
}

func (p *Provider) page(w http.ResponseWriter, r *http.Request) {
	trade, ok := p.checkLink(r, r.URL.Query().Get("t"))
	if !ok {
		http.Error(w, "支付链接无效", http.StatusForbidden)
		return
	}
	p.mu.Lock()
	a := p.attempts[trade]
	var view map[string]any
	if a != nil {
		view = map[string]any{
			"Shop": a.req.ShopName, "Description": a.req.Description, "Amount": a.req.AmountFen.String(),
			"Pending": a.state == payment.Pending, "Token": r.URL.Query().Get("t"),
			"StateText": stateText[a.state], "ReturnURL": a.req.ReturnURL,
		}
	}
	p.mu.Unlock()
	if a == nil {
		http.Error(w, "支付订单不存在", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = pageTmpl.Execute(w, view)
}

func (p *Provider) submit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "请求无效", http.StatusBadRequest)
		return
	}
	trade, ok := p.checkLink(r, r.PostForm.Get("t"))
	if !ok {
		http.Error(w, "支付链接无效", http.StatusForbidden)
		return
	}
	action := r.PostForm.Get("action")
	if action != "pay" && action != "fail" {
		http.Error(w, "请求无效", http.StatusBadRequest)
		return
	}
	d, err := p.decide(trade, action == "pay")
	if err != nil {
		http.Error(w, "支付订单不存在", http.StatusNotFound)
		return
	}
	p.log.Info("sandbox payment decided", "trade_no", trade, "state", d.state, "changed", d.changed)
	if d.changed && d.state == payment.Paid {
		p.notify(d.notifyURL, trade, d.state)
	}
	ret := d.returnURL
	if ret == "" || !(strings.HasPrefix(ret, "http://") || strings.HasPrefix(ret, "https://")) {
		ret = r.URL.Path + "?t=" + r.PostForm.Get("t")
	}
	http.Redirect(w, r, ret, http.StatusSeeOther)
}

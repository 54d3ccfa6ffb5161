package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/ordering/checkout"
	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/payment/sandbox"
	"github.com/posbridge/posbridge/ordering/provider/sms"
	smsfake "github.com/posbridge/posbridge/ordering/provider/sms/fake"
	"github.com/posbridge/posbridge/ordering/provider/wechat"
	wxfake "github.com/posbridge/posbridge/ordering/provider/wechat/fake"
	"github.com/posbridge/posbridge/store"
)

// sandboxPayRig is the listener with logins (SMS at the gateway's fake),
// delivery and WeChat payment through the sandbox's simulated pay page,
// mounted on the listener as the daemon does.
func sandboxPayRig(t *testing.T, mod ...func(*Options)) (*rig, *smsfake.Gateway) {
	t.Helper()
	gw, err := smsfake.Start("127.0.0.1:0", "gateway-token-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close() })
	sender, err := sms.New(sms.Config{WebhookURL: gw.URL(), Token: "gateway-token-0123456789"}, sms.Options{})
	if err != nil {
		t.Fatal(err)
	}
	y := strings.NewReplacer(
		"eat_types_enable: [true, false, true, true]", "eat_types_enable: [true, true, true, true]",
		"    - {value: 1, label: 线下支付}", "    - {value: 1, label: 线下支付}\n    - {value: 2, label: 微信支付}",
	).Replace(string(menu.Example()))
	m, err := menu.Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	var listener http.Handler
	fwd := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { listener.ServeHTTP(w, r) }))
	t.Cleanup(fwd.Close)
	sb, err := sandbox.New(sandbox.Options{BaseURL: fwd.URL + "/sandbox-pay", NotifyDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Shutdown)
	var srv *Server
	r := newRig(t, "", func(o *Options) {
		tokens, err := customers.NewTokens([]byte("0123456789abcdef0123456789abcdef"), time.Hour, o.Now)
		if err != nil {
			t.Fatal(err)
		}
		o.Tokens = tokens
		o.Customers = customers.NewService(o.DB, sender, tokens, customers.Limits{}, nil)
		o.Restaurants[0].Menu = func() *menu.Menu { return m }
		o.Payments = checkout.New(checkout.Options{DB: o.DB, Restaurants: []int64{1}, Now: o.Now,
			Provider:  func(rid int64, name string) (payment.Provider, bool) { return sb, rid == 1 && name == sandbox.Name },
			NotifyURL: func(name string) string { return fwd.URL + prefix + "payments/" + name + "/notify" },
			Paid:      func(ctx context.Context, o *store.OrderingOrder) { srv.PlacePaid(ctx, o) },
		})
		o.Mount = map[string]http.Handler{"/sandbox-pay/": http.StripPrefix("/sandbox-pay", sb.Handler())}
		for _, f := range mod {
			f(o)
		}
	})
	srv, listener = r.srv, r.srv
	return r, gw
}

// A customer at the takeout QR logs in by SMS code, adds an address,
// orders a delivery paid by WeChat, pays on the (sandbox) provider's page
// and comes back to the order, paid and waiting for the store.
func TestPhoneDeliveryLoginAndOnlinePayment(t *testing.T) {
	r, gw := sandboxPayRig(t)
	p := newPhone(t)
	p.do(chromedp.Navigate(r.http.URL + "/?rid=1&tid=-1&ver=1"))
	p.wait("menu", `document.querySelectorAll('.item').length === 6`, 10*time.Second)
	p.click(`.item[data-product="105"] button.add`)
	p.wait("options", `!document.getElementById('sheet').hidden`, 3*time.Second)
	p.click("#sheet-plus")
	p.click("#sheet-plus")
	p.click("#sheet-plus")
	p.click("#sheet-add")
	p.click("#go")
	p.wait("the eat type choice", `!document.getElementById('eat-row').hidden`, 5*time.Second)
	p.do(chromedp.Evaluate[chromedp.Void](`(s => { s.value = '1'; s.dispatchEvent(new Event('change')); })(document.getElementById('eat'))`))
	p.wait("the login", `!document.getElementById('login-box').hidden && document.getElementById('login-wx').hidden`, 3*time.Second)
	if evalJS[bool](p, `!document.getElementById('submit').disabled`) {
		t.Fatal("a delivery without an address can be submitted")
	}
	p.fitsPhone("login")
	p.shot("20-login")
	p.do(chromedp.SendKeys(chromedp.ID("login-phone"), "13812345678"))
	p.click("#login-send")
	p.wait("code sent", `document.getElementById('login-error').textContent === '验证码已发送'`, 5*time.Second)
	code := gw.LastCode("13812345678")
	p.do(chromedp.SendKeys(chromedp.ID("login-code"), code))
	p.click("#login-go")
	p.wait("the address form", `!document.getElementById('address-box').hidden && !document.getElementById('address-form').hidden`, 5*time.Second)
	p.do(chromedp.SendKeys(chromedp.ID("addr-name"), "王先生"), chromedp.SendKeys(chromedp.ID("addr-phone"), "13812345678"),
		chromedp.SendKeys(chromedp.ID("addr-text"), "科技园 2 号"), chromedp.SendKeys(chromedp.ID("addr-lon"), "113.9547"),
		chromedp.SendKeys(chromedp.ID("addr-lat"), "22.5605"))
	p.click("#addr-save")
	p.wait("the address chosen and priced", `document.getElementById('address').value !== '' && document.getElementById('totals').textContent.includes('配送费￥4.00')`, 5*time.Second)
	p.do(chromedp.Evaluate[chromedp.Void](`(s => { s.value = '2'; s.dispatchEvent(new Event('change')); })(document.getElementById('paid'))`))
	p.wait("the total", `document.querySelector('#totals dd.total').textContent === '￥30.00' && !document.getElementById('submit').disabled`, 5*time.Second)
	p.fitsPhone("checkout")
	p.shot("21-delivery-checkout")
	p.click("#submit")
	// the provider's pay page
	p.wait("the pay page", `location.pathname.startsWith('/sandbox-pay/pay/') && !!document.getElementById('pay')`, 10*time.Second)
	p.shot("22-pay-page")
	if r.placed.count() != 0 {
		t.Fatal("an unpaid order went to the flow")
	}
	p.click("#pay")
	// back at the order: paid, waiting for the store
	p.wait("the order, paid", `(document.getElementById('shop') || {}).textContent === '茶语时光' && new URLSearchParams(location.search).get('oid') && document.getElementById('state') && document.getElementById('state').textContent === '等待商家确认' && document.getElementById('pay-state').textContent.includes('已支付')`, 10*time.Second)
	p.fitsPhone("paid order")
	p.shot("23-paid")
	r.placed.waitPlaced(t, 1)
	if e := p.jsErrors(); e != "" {
		t.Fatal(e)
	}
}

// wechatBridge stands in for WeChat's in-app WeixinJSBridge, which the
// JS-SDK talks to: it records each call (wx.config's preVerifyJSAPI with its
// signature) and answers as WeChat does.
const wechatBridge = `window.__bridge = { calls: [] };
window.WeixinJSBridge = {
  invoke: function (name, args, cb) {
    window.__bridge.calls.push({ name: name, args: JSON.parse(JSON.stringify(args)) });
    setTimeout(function () {
      if (name === 'preVerifyJSAPI') cb({ err_msg: 'config:ok' });
      else if (name === 'geoLocation') cb({ err_msg: 'getLocation:ok', latitude: 22.5505, longitude: 113.9547, speed: 0, accuracy: 30 });
      else if (name === 'getNetworkType') cb({ err_msg: 'network_type:wifi' });
      else cb({ err_msg: name + ':fail' });
    }, 0);
  },
  on: function () {}
};`

// In WeChat's browser (a MicroMessenger user agent) the login offers
// 微信登录: authorize-url opens WeChat's consent page, which comes back with
// a code and posbridge's signed state; access-token logs the customer in
// and the page goes on to the address book.
func TestPhoneWeChatLogin(t *testing.T) {
	wx, err := wxfake.Start("127.0.0.1:0", wxfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wx.Close() })
	wc, err := wechat.New(wechat.Config{AppID: wx.AppID(), AppSecret: wx.AppSecret(), APIBaseURL: wx.URL(), OAuthBaseURL: wx.URL()}, wechat.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, gw := sandboxPayRig(t, func(o *Options) {
		oauth, err := o.Customers.NewOAuth(wc, nil, o.Now)
		if err != nil {
			t.Fatal(err)
		}
		o.OAuth = oauth
	})
	p := newPhone(t, chromedp.UserAgent("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Mobile Safari/537.36 MicroMessenger/8.0.50.2701"))
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: wechatBridge})
		return err
	}))
	p.do(chromedp.Navigate(r.http.URL + "/?rid=1&tid=-1&ver=1"))
	p.wait("menu", `document.querySelectorAll('.item').length === 6`, 10*time.Second)
	p.click(`.item[data-product="105"] button.add`)
	p.wait("options", `!document.getElementById('sheet').hidden`, 3*time.Second)
	p.click("#sheet-add")
	p.click("#go")
	p.wait("the eat type choice", `!document.getElementById('eat-row').hidden`, 5*time.Second)
	p.do(chromedp.Evaluate[chromedp.Void](`(s => { s.value = '1'; s.dispatchEvent(new Event('change')); })(document.getElementById('eat'))`))
	p.wait("微信登录", `!document.getElementById('login-wx').hidden`, 3*time.Second)
	p.shot("24-wechat-login")
	p.click("#login-wx")
	// WeChat's page sends the browser back; the page logs in and cleans the URL
	p.wait("logged in", `!!localStorage.getItem('pb-login-1') && !new URLSearchParams(location.search).get('code') && document.querySelectorAll('.item').length === 6`, 10*time.Second)
	tok := evalJS[string](p, `localStorage.getItem('pb-login-1')`)
	me := r.want(r.do("GET", prefix+"users/me", "", "Authorization", "Bearer "+tok), 200).body
	if me["id"] == nil || me["phone"] != "" {
		t.Fatalf("the WeChat customer: %v", me)
	}
	ids, err := r.db.CustomerIdentities(context.Background(), mustInt(t, num(me["id"])))
	if err != nil || len(ids) != 1 || !strings.HasSuffix(ids[0].Subject, wxfake.DefaultUser.OpenID) || ids[0].AccessToken == "" {
		t.Fatalf("the identity kept for the WeChat Pay sync: %+v %v", ids, err)
	}
	// §3.6: no phone yet, so delivery asks to bind one before the address book
	p.click(`.item[data-product="105"] button.add`)
	p.wait("options", `!document.getElementById('sheet').hidden`, 3*time.Second)
	p.click("#sheet-add")
	p.click("#go")
	p.wait("the eat type choice", `!document.getElementById('eat-row').hidden`, 5*time.Second)
	p.do(chromedp.Evaluate[chromedp.Void](`(s => { s.value = '1'; s.dispatchEvent(new Event('change')); })(document.getElementById('eat'))`))
	p.wait("bind-phone step", `!document.getElementById('bind-box').hidden && document.getElementById('address-box').hidden`, 5*time.Second)
	p.shot("25-bind-phone")
	p.do(chromedp.SendKeys(chromedp.ID("bind-phone"), "13955556666"))
	p.click("#bind-send")
	p.wait("code sent", `document.getElementById('bind-error').textContent === '验证码已发送'`, 5*time.Second)
	code := gw.LastCode("13955556666")
	if len(code) != 6 {
		t.Fatalf("the gateway got no code: %+v", gw.Messages())
	}
	p.do(chromedp.SendKeys(chromedp.ID("bind-code"), "000000"))
	p.click("#bind-go")
	p.wait("a wrong code refused", `document.getElementById('bind-error').textContent !== '' && document.getElementById('bind-error').textContent !== '验证码已发送' && !document.getElementById('bind-box').hidden`, 5*time.Second)
	p.do(chromedp.SetValue(chromedp.ID("bind-code"), code))
	p.click("#bind-go")
	p.wait("the address book", `document.getElementById('bind-box').hidden && !document.getElementById('address-box').hidden`, 5*time.Second)
	if me := r.want(r.do("GET", prefix+"users/me", "", "Authorization", "Bearer "+tok), 200).body; me["phone"] != "13955556666" {
		t.Fatalf("the phone bound: %v", me)
	}

	// WeChat-only: 使用微信定位 loads the JS-SDK from posbridge (vendored),
	// configures it with jssdk-config's signature and asks WeChat (its
	// in-app bridge, faked below) for the location.
	p.wait("the address form", `!document.getElementById('address-form').hidden && !document.getElementById('addr-locate').hidden`, 5*time.Second)
	p.click("#addr-locate")
	p.wait("the location filled", `document.getElementById('addr-lon').value === '113.9547' && document.getElementById('addr-lat').value === '22.5505'`, 10*time.Second)
	if src := evalJS[string](p, `(document.querySelector('script[src*="jweixin"]') || {}).src || ''`); src != r.http.URL+"/static/jweixin-1.6.0.js" {
		t.Fatalf("the JS-SDK came from %q, not posbridge", src)
	}
	type verify struct {
		AppID     string `json:"verifyAppId"`
		Timestamp string `json:"verifyTimestamp"`
		Nonce     string `json:"verifyNonceStr"`
		Signature string `json:"verifySignature"`
	}
	cfg := evalJS[verify](p, `window.__bridge.calls.find(c => c.name === 'preVerifyJSAPI').args`)
	pageURL := evalJS[string](p, `location.href.split('#')[0]`)
	ts, _ := strconv.ParseInt(cfg.Timestamp, 10, 64)
	if cfg.AppID != wx.AppID() || cfg.Signature != wechat.Signature(wx.Ticket(), cfg.Nonce, ts, pageURL) {
		t.Fatalf("wx.config as WeChat sees it: %+v (page %s)", cfg, pageURL)
	}
	if n := evalJS[int](p, `window.__bridge.calls.filter(c => c.name === 'geoLocation').length`); n != 1 {
		t.Fatalf("getLocation asked %d times", n)
	}
	if e := p.jsErrors(); e != "" {
		t.Fatal(e)
	}
}

package api

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/checkout"
	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/provider/qfpay"
	qffake "github.com/posbridge/posbridge/ordering/provider/qfpay/fake"
	"github.com/posbridge/posbridge/ordering/provider/sms"
	smsfake "github.com/posbridge/posbridge/ordering/provider/sms/fake"
	"github.com/posbridge/posbridge/store"
)

// onlineMenu is the example menu with delivery, WeChat payment through 钱方.
func onlineMenu(t *testing.T) *menu.Menu {
	t.Helper()
	y := strings.NewReplacer(
		"eat_types_enable: [true, false, true, true]", "eat_types_enable: [true, true, true, true]",
		`pay_mch: ""`, "pay_mch: qf",
		"    - {value: 1, label: 线下支付}", "    - {value: 1, label: 线下支付}\n    - {value: 2, label: 微信支付}",
	).Replace(string(menu.Example()))
	m, err := menu.Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// customerRig is the listener with logins, the SMS gateway's fake and
// 钱方's fake, whose notifications come to the listener itself.
type customerRig struct {
	*rig
	sms *smsfake.Gateway
	qf  *qffake.Server
	pay *checkout.Payments
}

func newCustomerRig(t *testing.T, more ...func(*Options)) *customerRig {
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
	m := onlineMenu(t)
	cr := &customerRig{sms: gw}
	// the notify URL is the listener's, known once it runs: a forwarder
	var listener http.Handler
	fwd := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { listener.ServeHTTP(w, r) }))
	t.Cleanup(fwd.Close)
	qf, err := qffake.Start("127.0.0.1:0", qffake.Options{TimeScale: 1e6})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { qf.Close() })
	cr.qf = qf
	qc, err := qfpay.New(qfpay.Config{AppCode: qf.AppCode(), ClientKey: qf.ClientKey(), APIBaseURL: qf.URL(), PayPageURL: qf.PayPageURL()},
		qfpay.Options{PayTimeout: 2 * time.Second, QueryTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	prov := qfpay.NewProvider(qc)
	var srv *Server
	r := newRig(t, "", func(o *Options) {
		tokens, err := customers.NewTokens([]byte("0123456789abcdef0123456789abcdef"), time.Hour, o.Now)
		if err != nil {
			t.Fatal(err)
		}
		o.Tokens = tokens
		o.Customers = customers.NewService(o.DB, sender, tokens, customers.Limits{}, nil)
		o.Restaurants[0].Menu = func() *menu.Menu { return m }
		cr.pay = checkout.New(checkout.Options{DB: o.DB, Restaurants: []int64{1}, Now: o.Now,
			Provider:  func(rid int64, name string) (payment.Provider, bool) { return prov, rid == 1 && name == "qf" },
			NotifyURL: func(name string) string { return fwd.URL + prefix + "payments/" + name + "/notify" },
			Paid:      func(ctx context.Context, o *store.OrderingOrder) { srv.PlacePaid(ctx, o) },
		})
		o.Payments = cr.pay
		o.QFPay = func(rid int64) (*qfpay.Client, bool) { return qc, rid == 1 }
		for _, f := range more {
			f(o)
		}
	})
	srv = r.srv
	listener = r.srv
	r.menu = m
	cr.rig = r
	return cr
}

// smsLogin logs phone in through the gateway's fake and returns the token.
func (c *customerRig) smsLogin(phone string) string {
	c.t.Helper()
	got := c.want(c.do("POST", prefix+"users/send-phone-token", `{"res_id": 1, "phone": "+86`+phone+`", "context": "login"}`), 200)
	if got.body["send"] != true {
		c.t.Fatalf("send: %s", got.raw)
	}
	code := c.sms.LastCode(phone)
	if len(code) != 6 {
		c.t.Fatalf("the gateway got no code for %s: %+v", phone, c.sms.Messages())
	}
	c.want(c.do("POST", prefix+"users/login", `{"res_id": 1, "username": "`+phone+`", "password": "000000x"}`), 403)
	got = c.want(c.do("POST", prefix+"users/login", `{"res_id": 1, "username": "`+phone+`", "password": "`+code+`"}`), 200)
	if num(got.body["ttl"]) != "3600" || got.body["token"] == "" {
		c.t.Fatalf("login: %s", got.raw)
	}
	return got.body["token"].(string)
}

// deliveryBody is a delivery order of two egg tarts to address, paid by WeChat.
func deliveryBody(address, fee, total string) string {
	return `{"restaurant": 1, "table_id": -1, "eat_type": 1, "paid_type": 2, "ver": 1, "user_address": ` + address +
		`, "ignore_extra_price": true, "products": [{"product": 105, "item_id": 105, "pu": 0, "unit": "个", "qty": 4, "price": 6, "total_price": 24, "box_fee": 0.5}],
		"total_price": 24, "total_box_fee": 2, "delivery_fee": ` + fee + `, "total_fee": ` + total + `, "total_fee_cny": ` + total + `, "discounts": [], "services": []}`
}

func TestCustomerLoginAddressesAndPrivacy(t *testing.T) {
	c := newCustomerRig(t)
	tok := c.smsLogin("13812345678")
	auth := []string{"Authorization", "Bearer " + tok}
	me := c.want(c.do("GET", prefix+"users/me", "", auth...), 200).body
	if me["phone"] != "13812345678" || me["member_card"] != nil || len(me["addresses"].([]any)) != 0 {
		t.Fatalf("me: %v", me)
	}
	c.want(c.do("POST", prefix+"users/me", `{"nick_name": "小王", "avatar": "javascript:alert(1)"}`, auth...), 400)
	if got := c.want(c.do("PATCH", prefix+"users/me", `{"nick_name": "小王"}`, auth...), 200).body; got["nick_name"] != "小王" {
		t.Fatalf("nick: %v", got)
	}
	// bind-phone: this login has one
	c.want(c.do("POST", prefix+"users/bind-phone", `{"phone": "13911112222", "token": "123456"}`, auth...), 403)

	// addresses: 201, the server's distance (about 1.1 km north of the store), one default
	near := c.want(c.do("POST", prefix+"user-addresses", `{"name": "王先生", "gender": 1, "phone": "13812345678", "address": "科技园 2 号",
		"longitude": 113.9547, "latitude": 22.5505, "distance": 0.01, "is_default": true}`, auth...), 201).body
	if d := num(near["distance"]); d != "1.112" {
		t.Fatalf("distance %s, want the server's 1.112 km", d)
	}
	far := c.want(c.do("POST", prefix+"user-addresses", `{"name": "王先生", "gender": 1, "phone": "13812345678", "address": "机场",
		"longitude": 113.8206, "latitude": 22.6329, "is_default": true}`, auth...), 201).body
	list := c.want(c.do("GET", prefix+"user-addresses", "", auth...), 200).body
	if num(list["count"]) != "2" {
		t.Fatalf("list: %v", list)
	}
	defaults := 0
	for _, a := range list["results"].([]any) {
		if a.(map[string]any)["is_default"] == true {
			defaults++
		}
	}
	if defaults != 1 {
		t.Fatalf("%d defaults", defaults)
	}
	nearID := num(near["id"])
	c.want(c.do("POST", prefix+"user-addresses/"+nearID+"/set-default", "", auth...), 200)
	if got := c.want(c.do("PATCH", prefix+"user-addresses/"+nearID, `{"address": "科技园 3 号"}`, auth...), 200).body; got["address"] != "科技园 3 号" || got["name"] != "王先生" {
		t.Fatalf("patch: %v", got)
	}
	c.want(c.do("PUT", prefix+"user-addresses/"+nearID, `{"address": "科技园 3 号"}`, auth...), 400)

	// another customer sees none of it
	other := []string{"Authorization", "Bearer " + c.smsLogin("13900001111")}
	c.want(c.do("GET", prefix+"user-addresses/"+nearID, "", other...), 404)
	c.want(c.do("DELETE", prefix+"user-addresses/"+nearID, "", other...), 404)
	c.want(c.do("POST", prefix+"orders?res_id=1", deliveryBody(nearID, "0", "24"), other...), 400)
	// nobody without a login
	c.want(c.do("GET", prefix+"user-addresses", ""), 401)
	c.want(c.do("GET", prefix+"user-addresses", "", "Authorization", "Bearer "+tok+"x"), 401)

	// delivery: out of range from the airport, in range and free within 1.5 km
	c.want(c.do("POST", prefix+"orders?res_id=1", deliveryBody(num(far["id"]), "0", "24"), auth...), 400)
	got := c.want(c.do("POST", prefix+"orders?res_id=1", deliveryBody(nearID, "0", "26"), auth...), 200).body
	if num(got["user_address"]) != nearID || got["customer_address"] != "科技园 3 号" || num(got["status"]) != "0" || got["is_paid"] != false {
		t.Fatalf("delivery order: %v", got)
	}
	id := num(got["id"])
	// the owner reads it by login, the other login does not
	c.want(c.do("GET", prefix+"orders/"+id+"?res_id=1", "", auth...), 200)
	c.want(c.do("GET", prefix+"orders/"+id+"?res_id=1", "", other...), 404)
	mine := c.want(c.do("GET", prefix+"orders?res_id=1&table_id=-1", "", auth...), 200).body
	theirs := c.want(c.do("GET", prefix+"orders?res_id=1&table_id=-1", "", other...), 200).body
	if num(mine["count"]) != "1" || num(theirs["count"]) != "0" {
		t.Fatalf("takeout lists: mine %v theirs %v", mine["count"], theirs["count"])
	}
	c.want(c.do("DELETE", prefix+"user-addresses/"+nearID, "", auth...), 204)
	if c.placed.count() != 0 {
		t.Fatal("an unpaid order went to the flow")
	}
}

func TestOnlinePaymentThroughTheListener(t *testing.T) {
	c := newCustomerRig(t)
	auth := []string{"Authorization", "Bearer " + c.smsLogin("13812345678")}
	addr := c.want(c.do("POST", prefix+"user-addresses", `{"name": "王先生", "gender": 1, "phone": "13812345678", "address": "科技园 2 号",
		"longitude": 113.9547, "latitude": 22.5605}`, auth...), 201).body
	// 2.2 km: the 4 yuan tier
	order := c.want(c.do("POST", prefix+"orders?res_id=1", deliveryBody(num(addr["id"]), "4", "30"), auth...), 200).body
	id, token := num(order["id"]), order["view_token"].(string)

	// §8: the openid through 钱方's OAuth
	au := c.want(c.do("GET", prefix+"qfpay/authorize-url?res_id=1&table_id=-1", ""), 200).body["url"].(string)
	if !strings.HasPrefix(au, c.qf.URL()+"/tool/v1/get_weixin_oauth_code?") {
		t.Fatalf("authorize-url: %s", au)
	}
	c.want(c.do("POST", prefix+"qfpay/get-weixin-openid?res_id=1", `{"code": "nope"}`), 400)
	openid := c.want(c.do("POST", prefix+"qfpay/get-weixin-openid?res_id=1", `{"code": "`+c.qf.IssueCode()+`"}`), 200).body["openid"].(string)

	// §6.6's 403s
	c.want(c.do("GET", prefix+"orders/"+id+"/pay-url?res_id=1&method=wechat&token="+token, ""), 403) // 钱方 without openid
	c.want(c.do("GET", prefix+"orders/"+id+"/pay-url?res_id=1&method=member&token="+token, ""), 403)
	c.want(c.do("GET", prefix+"orders/"+id+"/pay-url?res_id=1&method=wechat&openid="+openid, ""), 404) // no token, no login
	pay := c.want(c.do("GET", prefix+"orders/"+id+"/pay-url?res_id=1&method=wechat&openid="+openid+"&token="+token, ""), 200).body["url"].(string)
	if !strings.HasPrefix(pay, c.qf.PayPageURL()) {
		t.Fatalf("pay url: %s", pay)
	}
	if got := c.want(c.do("GET", prefix+"orders/"+id+"/is-paid?res_id=1&token="+token, ""), 200).body; got["is_paid"] != false {
		t.Fatalf("is-paid before paying: %v", got)
	}
	atts, _ := c.db.OrderingPayments(context.Background(), mustInt(t, id))
	if len(atts) != 1 || atts[0].AmountFen != 3000 {
		t.Fatalf("attempts: %+v", atts)
	}
	// a forged notification at the listener changes nothing
	forged := `{"status":"1","notify_type":"payment","out_trade_no":"` + atts[0].TradeNo + `","txamt":"2800","respcd":"0000"}`
	res := post(t, c.http.URL+prefix+"payments/qf/notify", forged, "X-QF-SIGN", "00000000000000000000000000000000")
	if res != 400 {
		t.Fatalf("forged notification: %d", res)
	}
	if c.placed.count() != 0 {
		t.Fatal("a forged notification placed the order")
	}
	// paid at 钱方: its signed notification comes to the listener
	if !c.qf.Pay(atts[0].TradeNo) {
		t.Fatal("the fake refused to pay")
	}
	c.placed.waitPlaced(t, 1)
	got := c.want(c.do("GET", prefix+"orders/"+id+"?res_id=1&token="+token, ""), 200).body
	if num(got["status"]) != "1" || got["is_paid"] != true || got["paid_time"] == nil {
		t.Fatalf("after paying: %v", got)
	}
	if got := c.want(c.do("GET", prefix+"orders/"+id+"/is-paid?res_id=1", "", auth...), 200).body; got["is_paid"] != true {
		t.Fatalf("is-paid: %v", got)
	}
	// the notification replayed: paid once, handed over once. The fake
	// records its delivery when our reply is back, after the order was
	// placed: wait for it.
	deadline := time.Now().Add(10 * time.Second)
	for len(c.qf.Deliveries()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(c.qf.Deliveries()) == 0 {
		t.Fatal("钱方's fake never delivered its notification")
	}
	d := c.qf.Deliveries()[0]
	if res := post(t, c.http.URL+prefix+"payments/qf/notify", string(d.Body), "X-QF-SIGN", d.Header.Get("X-Qf-Sign")); res != 200 {
		t.Fatalf("replayed notification: %d", res)
	}
	c.want(c.do("GET", prefix+"orders/"+id+"/pay-url?res_id=1&method=wechat&openid="+openid+"&token="+token, ""), 403)
	time.Sleep(50 * time.Millisecond)
	if c.placed.count() != 1 {
		t.Fatalf("placed %d times", c.placed.count())
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, ch := range s {
		if ch < '0' || ch > '9' {
			t.Fatalf("not an id: %q", s)
		}
		n = n*10 + int64(ch-'0')
	}
	return n
}

func post(t *testing.T, url, body string, headers ...string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// A login sent as a form, as DRF's parsers would take it, logs in as JSON does.
func TestLoginAsAForm(t *testing.T) {
	c := newCustomerRig(t)
	form := []string{"Content-Type", "application/x-www-form-urlencoded"}
	got := c.want(c.do("POST", prefix+"users/send-phone-token", "res_id=1&phone=%2B8613812345670&context=login", form...), 200)
	if got.body["send"] != true {
		t.Fatalf("send: %s", got.raw)
	}
	code := c.sms.LastCode("13812345670")
	got = c.want(c.do("POST", prefix+"users/login", "res_id=1&username=13812345670&password="+code, form...), 200)
	if got.body["token"] == "" {
		t.Fatalf("login: %s", got.raw)
	}
}

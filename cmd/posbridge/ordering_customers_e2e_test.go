package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	qffake "github.com/posbridge/posbridge/ordering/provider/qfpay/fake"
	smsfake "github.com/posbridge/posbridge/ordering/provider/sms/fake"
)

// Issue 16 against the real binary: an SMS login through the store's
// gateway (a fake that checks the Bearer token), an address, a delivery
// order paid online through 钱方 (a fake that checks our signatures and
// signs its notification), the notification → paid → the console's prompt
// → accept → the kitchen ticket.
func TestOrderingOnlinePaymentAgainstTheBinary(t *testing.T) {
	gw, err := smsfake.Start("127.0.0.1:0", "e2e-gateway-token-0001")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close() })
	qf, err := qffake.Start("127.0.0.1:0", qffake.Options{TimeScale: 1e6})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { qf.Close() })
	menuFile := onlineMenuFile(t, "qf")
	e := startOrderingDaemon(t,
		"    - { id: 3, store_id: \"1862\", menu_file: "+menuFile+" }\n",
		"  sms: { webhook_url: \""+gw.URL()+"\", token: e2e-gateway-token-0001 }\n",
		"  payment: { qf: { app_code: "+qf.AppCode()+", client_key: "+qf.ClientKey()+", api_base_url: \""+qf.URL()+"\", pay_page_url: \""+qf.PayPageURL()+"\" } }\n")

	// SMS login
	auth := e.smsLogin(gw, "+8613812345678")
	if code, me := e.api("GET", "users/me?res_id=3", "", auth...); code != 200 || me["phone"] != "13812345678" {
		t.Fatalf("me: %d %v", code, me)
	}
	// a delivery order 1.1 km from the shop, paid by WeChat through 钱方
	addrID := e.deliveryAddress(auth)
	body := deliveryOrderBody(addrID)
	code, o := e.api("POST", "orders?res_id=3", body, auth...)
	if code != 200 || fmt.Sprint(o["status"]) != "0" {
		t.Fatalf("create: %d %v", code, o)
	}
	id, tradeNo := fmt.Sprint(o["id"]), o["trade_no"].(string)
	if st := e.consoleStatus(tradeNo); st == "new" {
		t.Fatalf("an unpaid order reached the console: %s", st)
	}
	code, oid := e.api("POST", "qfpay/get-weixin-openid?res_id=3", `{"code": "`+qf.IssueCode()+`"}`)
	if code != 200 {
		t.Fatalf("openid: %d %v", code, oid)
	}
	code, pay := e.api("GET", "orders/"+id+"/pay-url?res_id=3&method=wechat&openid="+oid["openid"].(string), "", auth...)
	payURL, _ := pay["url"].(string)
	if code != 200 || !strings.HasPrefix(payURL, qf.PayPageURL()) {
		t.Fatalf("pay-url: %d %v", code, pay)
	}
	// the customer pays on 钱方's page
	u, _ := url.Parse(payURL)
	if res, err := http.Get(payURL); err != nil || res.StatusCode != 200 {
		t.Fatalf("pay page: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.PostForm(qf.PayPageURL(), url.Values{"prepay": {strings.TrimPrefix(u.Query().Get("package"), "prepay_id=")},
		"redirect_url": {u.Query().Get("redirect_url")}, "action": {"pay"}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay: %v %v", res, err)
	}
	res.Body.Close()
	if back := res.Header.Get("Location"); !strings.Contains(back, "oid="+id) {
		t.Fatalf("钱方 sends the browser back to %q", back)
	}
	// notified → paid → the console's prompt
	e.waitFor("the console's prompt of the paid order", func() bool { return e.consoleStatus(tradeNo) == "new" })
	_, paid := e.api("GET", "orders/"+id+"/is-paid?res_id=3", "", auth...)
	if paid["is_paid"] != true {
		t.Fatalf("is-paid: %v", paid)
	}
	if code, v := e.call("POST", e.console+"/api/orders/"+tradeNo+"/accept", "{}"); code >= 300 {
		t.Fatalf("accept: %d %v", code, v)
	}
	gb := func(s string) []byte { b, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s)); return b }
	e.waitFor("the kitchen ticket", func() bool { return e.kitchen.has(gb("科技园 2 号")) || e.kitchen.has(gb("蛋挞")) })
	e.waitFor("the phone sees 2", func() bool {
		_, v := e.api("GET", "orders/"+id+"?res_id=3", "", auth...)
		return fmt.Sprint(v["status"]) == "2"
	})
	if n := len(qf.Deliveries()); n == 0 {
		t.Fatal("钱方 sent no notification")
	}

	// a second paid order the store rejects is refunded at 钱方, once
	code, o2 := e.api("POST", "orders?res_id=3", body, auth...)
	if code != 200 {
		t.Fatalf("second create: %d %v", code, o2)
	}
	id2, trade2 := fmt.Sprint(o2["id"]), o2["trade_no"].(string)
	_, pay2 := e.api("GET", "orders/"+id2+"/pay-url?res_id=3&method=wechat&openid="+oid["openid"].(string), "", auth...)
	u2, _ := url.Parse(pay2["url"].(string))
	res, err = noRedirect.PostForm(qf.PayPageURL(), url.Values{"prepay": {strings.TrimPrefix(u2.Query().Get("package"), "prepay_id=")},
		"redirect_url": {u2.Query().Get("redirect_url")}, "action": {"pay"}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second pay: %v %v", res, err)
	}
	res.Body.Close()
	e.waitFor("the second order prompted", func() bool { return e.consoleStatus(trade2) == "new" })
	if code, v := e.call("POST", e.console+"/api/orders/"+trade2+"/reject", `{"reason": "蛋挞卖完了"}`); code >= 300 {
		t.Fatalf("reject: %d %v", code, v)
	}
	e.waitFor("the refund at 钱方", func() bool { return qf.Calls("/trade/v1/refund") >= 1 })
	time.Sleep(200 * time.Millisecond)
	if n := qf.Calls("/trade/v1/refund"); n != 1 {
		t.Fatalf("%d refunds sent, want 1", n)
	}

	// the sandbox's restaurant 1 (no pay_mch): WeChat payment opens the
	// simulated pay page on the listener itself
	sb := strings.NewReplacer(`"restaurant": 3`, `"restaurant": 1`, `"eat_type": 1`, `"eat_type": 2`, `"user_address": `+addrID+`,`, ``,
		`"delivery_fee": 0, "total_fee": 26, "total_fee_cny": 26`, `"delivery_fee": 0, "total_fee": 26, "total_fee_cny": 26`).Replace(body)
	code, o3 := e.api("POST", "orders?res_id=1", sb)
	if code != 200 {
		t.Fatalf("sandbox create: %d %v", code, o3)
	}
	_, pay3 := e.api("GET", "orders/"+fmt.Sprint(o3["id"])+"/pay-url?res_id=1&method=wechat&token="+o3["view_token"].(string), "")
	sbURL, _ := pay3["url"].(string)
	if !strings.HasPrefix(sbURL, e.ordering+"/sandbox-pay/pay/") {
		t.Fatalf("sandbox pay-url: %v", pay3)
	}
	if res, err := http.Get(sbURL); err != nil || res.StatusCode != 200 {
		t.Fatalf("sandbox pay page: %v %v", res, err)
	} else {
		res.Body.Close()
	}
}

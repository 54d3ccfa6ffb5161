package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	sqbfake "github.com/posbridge/posbridge/ordering/provider/shouqianba/fake"
	smsfake "github.com/posbridge/posbridge/ordering/provider/sms/fake"
)

// Issue 16 through 收钱吧, against the real binary: an SMS login, an
// address, a delivery order paid on 收钱吧's WAP cashier (the fake activates
// the terminal, checks the WAP sign, signs its notification with its RSA
// key; the daemon confirms it by a signed query) → paid → the console's
// prompt → accept → staff cancel → refunded at 收钱吧 once, and the console
// says 已退款. A forged notification and a replayed one change nothing; an
// order left unpaid expires, closed at 收钱吧 and here, never prompted.
func TestOrderingShouqianbaAgainstTheBinary(t *testing.T) {
	gw, err := smsfake.Start("127.0.0.1:0", "e2e-gateway-token-0002")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close() })
	sqb, err := sqbfake.Start("127.0.0.1:0", sqbfake.Options{TimeScale: 1e6})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqb.Close() })
	pub := filepath.Join(t.TempDir(), "sqb-public.pem")
	if err := os.WriteFile(pub, sqb.PublicKeyPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	menuFile := onlineMenuFile(t, "sqb")
	e := startOrderingDaemon(t,
		"    - { id: 3, store_id: \"1862\", menu_file: "+menuFile+" }\n",
		"  sms: { webhook_url: \""+gw.URL()+"\", token: e2e-gateway-token-0002 }\n",
		"  payment:\n    expire: 8s\n    sqb: { vendor_sn: \""+sqb.VendorSN()+"\", vendor_key: \""+sqb.VendorKey()+"\", app_id: \""+sqb.AppID()+
			"\", activation_code: \""+sqb.IssueActivationCode(3)+"\", api_base_url: \""+sqb.URL()+"\", wap_base_url: \""+sqb.WAPURL()+
			"\", public_key_file: \""+pub+"\" }\n")

	// SMS login, an address 1.1 km from the shop
	auth := e.smsLogin(gw, "13812345678")
	body := deliveryOrderBody(e.deliveryAddress(auth))
	create := func() (id, tradeNo string) {
		t.Helper()
		code, o := e.api("POST", "orders?res_id=3", body, auth...)
		if code != 200 || fmt.Sprint(o["status"]) != "0" {
			t.Fatalf("create: %d %v", code, o)
		}
		return fmt.Sprint(o["id"]), o["trade_no"].(string)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// openCashier follows pay-url to 收钱吧's gateway, which makes the order
	// there and sends the browser to its cashier page; it returns the
	// attempt's client_sn and the cashier page's address.
	openCashier := func(id string) (clientSN, cashier string) {
		t.Helper()
		code, pay := e.api("GET", "orders/"+id+"/pay-url?res_id=3&method=wechat", "", auth...)
		payURL, _ := pay["url"].(string)
		if code != 200 || !strings.HasPrefix(payURL, sqb.WAPURL()) {
			t.Fatalf("pay-url: %d %v", code, pay)
		}
		u, _ := url.Parse(payURL)
		res, err := noRedirect.Get(payURL)
		if err != nil || res.StatusCode != http.StatusFound {
			t.Fatalf("收钱吧's gateway: %v %v", res, err)
		}
		res.Body.Close()
		return u.Query().Get("client_sn"), sqb.URL() + res.Header.Get("Location")
	}

	// An order left unpaid (its cashier opened) expires meanwhile.
	expID, expTrade := create()
	expSN, _ := openCashier(expID)
	if o, ok := sqb.Order(expSN); !ok || o.OrderStatus != "CREATED" {
		t.Fatalf("the unpaid order at 收钱吧: %+v %v", o, ok)
	}

	// The paid order: the customer pays on the cashier page.
	id, tradeNo := create()
	if st := e.consoleStatus(tradeNo); st == "new" {
		t.Fatalf("an unpaid order reached the console: %s", st)
	}
	clientSN, cashier := openCashier(id)
	res, err := http.Get(cashier)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("cashier page: %v %v", res, err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="t" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no token on the cashier page:\n%s", page)
	}
	cu, _ := url.Parse(cashier)
	res, err = noRedirect.PostForm(sqb.URL()+cu.Path, url.Values{"t": {string(m[1])}, "action": {"pay"}})
	if err != nil || res.StatusCode != http.StatusFound {
		t.Fatalf("pay: %v %v", res, err)
	}
	res.Body.Close()
	if back := res.Header.Get("Location"); !strings.Contains(back, "oid="+id) || !strings.Contains(back, "is_success=T") {
		t.Fatalf("收钱吧 sends the browser back to %q", back)
	}
	e.waitFor("the console's prompt of the paid order", func() bool { return e.consoleStatus(tradeNo) == "new" })
	if _, paid := e.api("GET", "orders/"+id+"/is-paid?res_id=3", "", auth...); paid["is_paid"] != true {
		t.Fatalf("is-paid: %v", paid)
	}
	var note sqbfake.Delivery
	e.waitFor("收钱吧's notification acknowledged", func() bool {
		for _, d := range sqb.Deliveries() {
			if d.Acked && bytes.Contains(d.Body, []byte(clientSN)) {
				note = d
				return true
			}
		}
		return false
	})

	// The same notification again: acknowledged, nothing changes.
	replay := func(b []byte, sig string) int {
		req, _ := http.NewRequest("POST", e.ordering+"/api/v1/frontend/payments/sqb/notify", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", sig)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := replay(note.Body, note.Header.Get("Authorization")); st != 200 {
		t.Fatalf("a replayed notification: HTTP %d", st)
	}
	// A forged one for the unpaid order (the paid one's signature, another
	// body): refused, the order stays unpaid.
	forged := bytes.ReplaceAll(note.Body, []byte(clientSN), []byte(expSN))
	if st := replay(forged, note.Header.Get("Authorization")); st == 200 {
		t.Fatal("a forged notification was acknowledged")
	}
	if _, v := e.api("GET", "orders/"+expID+"?res_id=3", "", auth...); fmt.Sprint(v["status"]) != "0" {
		t.Fatalf("the forged notification moved the unpaid order: %v", v["status"])
	}

	// accept, then staff cancel it: refunded at 收钱吧 once
	if code, v := e.call("POST", e.console+"/api/orders/"+tradeNo+"/accept", "{}"); code >= 300 {
		t.Fatalf("accept: %d %v", code, v)
	}
	e.waitFor("the phone sees 2", func() bool {
		_, v := e.api("GET", "orders/"+id+"?res_id=3", "", auth...)
		return fmt.Sprint(v["status"]) == "2"
	})
	if st := e.consoleStatus(tradeNo); st != "accepted" {
		t.Fatalf("the replayed notification moved the order: %s", st)
	}
	if code, v := e.call("POST", e.console+"/api/orders/"+tradeNo+"/cancel", `{"reason": "骑手无法配送"}`); code >= 300 {
		t.Fatalf("cancel: %d %v", code, v)
	}
	e.waitFor("the refund at 收钱吧", func() bool { o, _ := sqb.Order(clientSN); return o.OrderStatus == "REFUNDED" })
	e.waitFor("the console's 已退款", func() bool {
		_, v := e.call("GET", e.console+"/api/orders/"+tradeNo+"/online-refunds", "")
		list, _ := v["refunds"].([]any)
		return len(list) == 1 && list[0].(map[string]any)["state_label"] == "已退款"
	})
	if n := sqb.Calls("/upay/v2/refund"); n != 1 {
		t.Fatalf("%d refunds sent, want 1", n)
	}

	// the unpaid order: closed at 收钱吧 and here, never prompted
	deadline := time.Now().Add(40 * time.Second)
	for {
		_, v := e.api("GET", "orders/"+expID+"?res_id=3", "", auth...)
		if fmt.Sprint(v["status"]) == "-1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the unpaid order did not expire: %v", v)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if o, _ := sqb.Order(expSN); o.OrderStatus == "CREATED" || o.OrderStatus == "PAID" {
		t.Fatalf("the expired order at 收钱吧: %+v", o)
	}
	if st := e.consoleStatus(expTrade); st == "new" || st == "accepted" {
		t.Fatalf("an expired order reached the console: %s", st)
	}
}

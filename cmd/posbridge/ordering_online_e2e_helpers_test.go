package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/ordering/menu"
	smsfake "github.com/posbridge/posbridge/ordering/provider/sms/fake"
)

// onlineMenuFile writes the example menu with delivery and 微信支付 through
// payMch (qf, sqb) and returns its path: the online-payment e2e tests'.
func onlineMenuFile(t *testing.T, payMch string) string {
	t.Helper()
	online := strings.NewReplacer(
		"eat_types_enable: [true, false, true, true]", "eat_types_enable: [true, true, true, true]",
		`pay_mch: ""`, "pay_mch: "+payMch,
		"    - {value: 1, label: 线下支付}", "    - {value: 1, label: 线下支付}\n    - {value: 2, label: 微信支付}",
	).Replace(string(menu.Example()))
	f := filepath.Join(t.TempDir(), "menu-"+payMch+".yaml")
	if err := os.WriteFile(f, []byte(online), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// smsLogin logs phone (as the page sends it) in at restaurant 3 through the
// gateway's fake and returns the Authorization header.
func (e *e2e) smsLogin(gw *smsfake.Gateway, phone string) []string {
	e.t.Helper()
	if code, v := e.api("POST", "users/send-phone-token", `{"res_id": 3, "phone": "`+phone+`", "context": "login"}`); code != 200 || v["send"] != true {
		e.t.Fatalf("send-phone-token: %d %v", code, v)
	}
	local := strings.TrimPrefix(phone, "+86")
	sms := gw.LastCode(local)
	if len(sms) != 6 {
		e.t.Fatalf("the gateway got no code: %+v", gw.Messages())
	}
	code, login := e.api("POST", "users/login", `{"res_id": 3, "username": "`+local+`", "password": "`+sms+`"}`)
	if code != 200 || login["token"] == nil {
		e.t.Fatalf("login: %d %v", code, login)
	}
	return []string{"Authorization", "Bearer " + login["token"].(string)}
}

// deliveryAddress adds an address 1.1 km from the shop and returns its id.
func (e *e2e) deliveryAddress(auth []string) string {
	e.t.Helper()
	code, addr := e.api("POST", "user-addresses", `{"name": "王先生", "gender": 1, "phone": "13812345678", "address": "科技园 2 号",
		"longitude": 113.9547, "latitude": 22.5505}`, auth...)
	if code != 201 {
		e.t.Fatalf("address: %d %v", code, addr)
	}
	return fmt.Sprint(addr["id"])
}

// deliveryOrderBody is four egg tarts delivered to addressID, paid by WeChat.
func deliveryOrderBody(addressID string) string {
	return `{"restaurant": 3, "table_id": -1, "eat_type": 1, "paid_type": 2, "ver": 1, "user_address": ` + addressID +
		`, "ignore_extra_price": true, "products": [{"product": 105, "item_id": 105, "pu": 0, "unit": "个", "qty": 4, "price": 6, "total_price": 24, "box_fee": 0.5}],
		"total_price": 24, "total_box_fee": 2, "delivery_fee": 0, "total_fee": 26, "total_fee_cny": 26, "discounts": [], "services": []}`
}

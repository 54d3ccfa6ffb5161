package config

import (
	"strings"
	"testing"
	"time"
)

func TestCustomersKeysDefaultsAndOverride(t *testing.T) {
	c := orderingConfig(t, map[string]string{
		"restaurants": `[ { id: 1, store_id: "1862", menu_file: menu-1.yaml, payment: { qf: { app_code: OWNCODE0000000000000000000000001, client_key: own-client-key-0000000000000001 } } } ]`,
		"payment":     `{ qf: { app_code: SHAREDCODE00000000000000000000001, client_key: shared-client-key-00000000001 } }`,
	})
	if ps := orderingProblems(c.Validate()); len(ps) != 0 {
		t.Fatalf("want no problems:%s", problemLines(ps))
	}
	o := c.Ordering
	if o.Payment.Expire != 15*time.Minute || o.WeChat.APIBaseURL != "https://api.weixin.qq.com" || o.Facebook.GraphVersion != "v21.0" {
		t.Fatalf("defaults: %+v %+v %+v", o.Payment, o.WeChat, o.Facebook)
	}
	if got := o.QFPayOf(1).AppCode; got != "OWNCODE0000000000000000000000001" {
		t.Fatalf("restaurant 1's own account: %s", got)
	}
	if got := o.QFPayOf(7).AppCode; got != "SHAREDCODE00000000000000000000001" {
		t.Fatalf("the shared account: %s", got)
	}
	if c.JWTSecretPath() == "" || !strings.HasPrefix(c.JWTSecretPath(), c.DataDir) {
		t.Fatalf("jwt secret path %q not in the data folder %q", c.JWTSecretPath(), c.DataDir)
	}
}

func TestCustomersKeysProblemsAtTheirLines(t *testing.T) {
	for _, tc := range []struct{ name, key, value, problemKey, want string }{
		{"qf key without code", "payment", "{ qf: { client_key: abcdefabcdefabcdef } }", "ordering.payment.qf.app_code", "is empty"},
		{"expire", "payment", "{ expire: 5h }", "ordering.payment.expire", "two hours"},
		{"sms url", "sms", "{ webhook_url: ftp://x, token: t0123456789 }", "ordering.sms.webhook_url", ""},
		{"wechat secret missing", "wechat", "{ app_id: wx1234567890abcdef }", "ordering.wechat.app_secret", ""},
		{"override", "restaurants", `[ { id: 1, store_id: "1862", menu_file: menu-1.yaml, payment: { qf: { client_key: abcdefabcdefabcdef } } } ]`,
			"ordering.restaurants[0].payment.qf.app_code", "is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := orderingConfig(t, map[string]string{tc.key: tc.value})
			ps := c.Validate()
			p, ok := findProblem(ps, tc.problemKey, tc.want)
			if !ok {
				t.Fatalf("no %s problem:%s", tc.problemKey, problemLines(ps))
			}
			if !strings.Contains(p.String(), "line ") {
				t.Errorf("%s: no line: %s", tc.problemKey, p)
			}
		})
	}
}

func TestCustomersSecretsMasked(t *testing.T) {
	secrets := map[string]string{
		"sms":      "{ webhook_url: https://sms.example.com/send, token: sms-token-SECRET-0001 }",
		"wechat":   "{ app_id: wx1234567890abcdef, app_secret: wechat-SECRET-00000000000001 }",
		"facebook": "{ app_id: \"1234567890\", app_secret: facebook-SECRET-0000000001 }",
		"payment": "{ qf: { app_code: SHAREDCODE00000000000000000000001, client_key: qf-SECRET-0000000000001 }, " +
			"sqb: { vendor_sn: \"91800000\", vendor_key: sqb-vendor-SECRET-000001, app_id: \"2020000000000001\", activation_code: \"SECRET-ACT-1\" } }",
		"restaurants": `[ { id: 1, store_id: "1862", menu_file: menu-1.yaml, payment: { qf: { app_code: OWNCODE0000000000000000000000001, client_key: own-SECRET-00000000000001 } } } ]`,
	}
	c := orderingConfig(t, secrets)
	dump := c.MaskedYAML()
	if strings.Contains(dump, "SECRET") {
		t.Fatalf("a secret in the dump:\n%s", dump)
	}
	if !strings.Contains(dump, "wx1234567890abcdef") {
		t.Fatal("the dump lost what is not secret")
	}
}

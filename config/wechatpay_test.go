package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// The WeChat Pay section is read from the file, checked by the wechatpay
// package with each problem pointed at its line, its key files resolved
// beside the config, its dish types read as a map, and its APIv3 key never
// printed.
func TestWeChatPaySection(t *testing.T) {
	c := loadYAML(t, minimalYAML+`
wechatpay:
  enabled: true
  sp_mchid: "19000001x"
  sp_appid: wx8888888888888888
  merchant_serial_no: 1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C
  private_key_file: keys/apiclient_key.pem
  apiv3_key: 0123456789abcdef0123456789abcdef
  restaurants:
    - id: 1
      sub_mchid: "1900000109"
      out_shop_no: shop-1
      dish_types: { "3": FAST_FOOD, "7": [not, a, type] }
`)
	ps := c.Validate()
	p, ok := findProblem(ps, "wechatpay.sp_mchid", "not a merchant id")
	if !ok || p.Source != "line 5" {
		t.Errorf("a bad sp_mchid: %+v%s", p, problemLines(ps))
	}
	if want := filepath.Join(filepath.Dir(c.File), "keys", "apiclient_key.pem"); c.WeChatPay.PrivateKeyFile != want {
		t.Errorf("private_key_file %q, want %q beside the config", c.WeChatPay.PrivateKeyFile, want)
	}
	if _, ok := findProblem(ps, "wechatpay.private_key_file", ""); !ok {
		t.Errorf("a missing key file is not reported:%s", problemLines(ps))
	}
	if got := c.WeChatPay.Restaurants[0].DishTypes; got["3"] != "FAST_FOOD" || len(got) != 1 {
		t.Errorf("dish_types %v: want 3 → FAST_FOOD and the list refused", got)
	}
	if _, ok := findProblem(ps, "wechatpay.restaurants[0].dish_types.7", "single value"); !ok {
		t.Errorf("a list as a dish type is not reported:%s", problemLines(ps))
	}
	masked := c.MaskedYAML()
	if strings.Contains(masked, "0123456789abcdef") {
		t.Errorf("the APIv3 key is printed:\n%s", masked)
	}
	if !strings.Contains(masked, "FAST_FOOD") {
		t.Errorf("the dish types are not printed:\n%s", masked)
	}
}

// Off by default, and then nothing in the section is checked.
func TestWeChatPayOffByDefault(t *testing.T) {
	c := loadYAML(t, minimalYAML)
	if c.WeChatPay.Enabled || c.WeChatPay.BaseURL != "https://api.mch.weixin.qq.com" || c.WeChatPay.Mode != "service_provider" {
		t.Fatalf("defaults: %+v", c.WeChatPay)
	}
	for _, p := range c.Validate() {
		if strings.HasPrefix(p.Key, "wechatpay") {
			t.Errorf("a section that is off was checked: %s", p)
		}
	}
}

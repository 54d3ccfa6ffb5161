package wechatpay

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestValidConfigHasNoProblems(t *testing.T) {
	c := validConfig(t)
	if ps := c.Validate(); len(ps) > 0 {
		t.Fatalf("problems:%s", problemLines(ps))
	}
	ch := validConfig(t)
	ch.Mode, ch.SpMchID, ch.SpAppID, ch.ChannelID = ModeChannel, "", "", testChannelID
	if ps := ch.Validate(); len(ps) > 0 {
		t.Fatalf("channel mode problems:%s", problemLines(ps))
	}
	if ch.MerchantID() != testChannelID || c.MerchantID() != testSpMchID {
		t.Errorf("MerchantID: channel %q, sp %q", ch.MerchantID(), c.MerchantID())
	}
}

func TestDisabledSectionIsNotChecked(t *testing.T) {
	c := Defaults()
	if ps := c.Validate(); len(ps) > 0 {
		t.Fatalf("defaults (disabled) have problems:%s", problemLines(ps))
	}
	c.Enabled = true
	if ps := c.Validate(); len(ps) < 3 {
		t.Fatalf("an enabled empty section reports only:%s", problemLines(ps))
	}
}

func TestValidateNamesKeyAndFix(t *testing.T) {
	dir := t.TempDir()
	m, _ := testKeys(t)
	tests := []struct {
		name    string
		edit    func(c *Config)
		key     string
		message string
		warning bool
	}{
		{"mode", func(c *Config) { c.Mode = "isv" }, "wechatpay.mode", "service_provider", false},
		{"sp_mchid empty", func(c *Config) { c.SpMchID = "" }, "wechatpay.sp_mchid", "required", false},
		{"sp_mchid letters", func(c *Config) { c.SpMchID = "19000x" }, "wechatpay.sp_mchid", "digits only", false},
		{"sp_appid", func(c *Config) { c.SpAppID = "8888" }, "wechatpay.sp_appid", "wx followed by 16", false},
		{"channel without id", func(c *Config) { c.Mode = ModeChannel }, "wechatpay.channel_id", "required", false},
		{"serial", func(c *Config) { c.MerchantSerialNo = "not-hex" }, "wechatpay.merchant_serial_no", "hexadecimal", false},
		{"key missing", func(c *Config) { c.PrivateKeyFile = filepath.Join(dir, "nope.pem") }, "wechatpay.private_key_file", "cannot read", false},
		{"public key as private", func(c *Config) { c.PrivateKeyFile = c.PublicKeyFile }, "wechatpay.private_key_file", "this is a public key", false},
		{"private key as public", func(c *Config) { c.PublicKeyFile = writeFile(t, dir, "k.pem", privatePEM(m)) }, "wechatpay.public_key_file", "is a private key", false},
		{"public key id format", func(c *Config) { c.PublicKeyID = "0114232134912410000000000000" }, "wechatpay.public_key_id", "PUB_KEY_ID_", false},
		{"id without file", func(c *Config) { c.PublicKeyFile = "" }, "wechatpay.public_key_file", "required with public_key_id", false},
		{"no way to verify", func(c *Config) { c.PublicKeyID, c.PublicKeyFile = "", "" }, "wechatpay.apiv3_key", "required when no public key", false},
		{"apiv3 length", func(c *Config) { c.APIv3Key = "short" }, "wechatpay.apiv3_key", "exactly 32", false},
		{"http base", func(c *Config) { c.BaseURL = "http://api.mch.weixin.qq.com" }, "wechatpay.base_url", "https only", false},
		{"no restaurants", func(c *Config) { c.Restaurants = nil }, "wechatpay.restaurants", "no restaurant", false},
		{"duplicate restaurant", func(c *Config) { c.Restaurants = append(c.Restaurants, c.Restaurants[0]) }, "wechatpay.restaurants[1].id", "listed twice", false},
		{"sub_mchid", func(c *Config) { c.Restaurants[0].SubMchID = "" }, "wechatpay.restaurants[0].sub_mchid", "required", false},
		{"sub_appid in channel mode", func(c *Config) {
			c.Mode, c.ChannelID, c.Restaurants[0].SubAppID = ModeChannel, testChannelID, ""
		}, "wechatpay.restaurants[0].sub_appid", "required in mode channel", false},
		{"sub_appid empty warns", func(c *Config) { c.Restaurants[0].SubAppID = "" }, "wechatpay.restaurants[0].sub_appid", "only customers who logged in under sp_appid", true},
		{"out_shop_no long", func(c *Config) { c.Restaurants[0].OutShopNo = strings.Repeat("9", 33) }, "wechatpay.restaurants[0].out_shop_no", "at most 32", false},
		{"dish type spelling", func(c *Config) { c.Restaurants[0].DishTypes["30"] = "GUANGDONG_CUISINE" }, "wechatpay.restaurants[0].dish_types.30", "GUAGNDONG_CUISINE", false},
		{"dish type case", func(c *Config) { c.Restaurants[0].DishTypes["20"] = "drink" }, "wechatpay.restaurants[0].dish_types.20", "capitals: DRINK", false},
		{"dish type unknown", func(c *Config) { c.Restaurants[0].DishTypes["20"] = "TEA" }, "wechatpay.restaurants[0].dish_types.20", "not a documented dish type", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig(t)
			tt.edit(c)
			ps := c.Validate()
			p, ok := findProblem(ps, tt.key, tt.message)
			if !ok {
				t.Fatalf("want %s: …%s…, got:%s", tt.key, tt.message, problemLines(ps))
			}
			if p.Warning != tt.warning {
				t.Errorf("warning = %v, want %v", p.Warning, tt.warning)
			}
		})
	}
}

func TestMaskedHidesAPIv3Key(t *testing.T) {
	c := validConfig(t)
	c.APIv3Key = testAPIv3Key
	m := c.Masked()
	if m.APIv3Key == testAPIv3Key || m.APIv3Key == "" {
		t.Errorf("masked apiv3_key = %q", m.APIv3Key)
	}
	if c.APIv3Key != testAPIv3Key {
		t.Error("Masked changed the original")
	}
}

func TestDishTypeLookupIgnoresCase(t *testing.T) {
	r := Restaurant{DishTypes: map[string]string{"drinks": "DRINK"}}
	if got, ok := r.DishType("Drinks"); !ok || got != "DRINK" {
		t.Errorf("dishType(Drinks) = %q, %v", got, ok)
	}
	if _, ok := r.DishType(""); ok {
		t.Error("empty category mapped")
	}
}

package wxconfig

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/posbridge/posbridge/internal/rsakeys"
)

// Problem is one thing wrong with the section, in words an installer can
// act on. Key is the full key, like "wechatpay.restaurants[0].sub_mchid".
type Problem struct {
	Key     string
	Message string
	Warning bool // worth fixing, but syncing can run
}

func (p Problem) String() string {
	if p.Warning {
		return p.Key + ": warning: " + p.Message
	}
	return p.Key + ": " + p.Message
}

var (
	mchIDPattern     = regexp.MustCompile(`^[0-9]{1,32}$`)
	appIDPattern     = regexp.MustCompile(`^wx[0-9a-zA-Z]{16}$`)
	serialPattern    = regexp.MustCompile(`^[0-9A-Fa-f]{1,64}$`)
	publicKeyPattern = regexp.MustCompile(`^PUB_KEY_ID_[0-9A-Za-z]{1,64}$`)
)

// apiv3KeyLen is the length of the APIv3 key: the AES-256 key itself.
const apiv3KeyLen = 32

// Validate checks every key of the section and returns every problem. It
// reads the key files it names but never reaches the network. A disabled
// section is not checked.
func (c *Config) Validate() []Problem {
	if !c.Enabled {
		return nil
	}
	v := &validation{}
	switch c.Mode {
	case ModeServiceProvider:
		v.mchID("sp_mchid", c.SpMchID, "the 服务商 merchant id (商户号) WeChat Pay gave the service provider")
		v.appID("sp_appid", c.SpAppID, true, "the APPID of the service provider's official account")
		if c.ChannelID != "" {
			v.warn("channel_id", "is ignored in mode service_provider; set mode: channel if you are a 渠道商")
		}
	case ModeChannel:
		v.mchID("channel_id", c.ChannelID, "the 渠道商 merchant id WeChat Pay gave the channel")
		if c.SpMchID != "" || c.SpAppID != "" {
			v.warn("sp_mchid", "sp_mchid and sp_appid are ignored in mode channel; set mode: service_provider if you are a 服务商")
		}
	default:
		v.err("mode", "%q is not a mode: write service_provider (服务商, with sp_mchid and sp_appid) or channel (渠道商, with channel_id)", c.Mode)
	}
	v.credentials(c)
	v.baseURL(c.BaseURL)
	v.restaurants(c)
	return v.problems
}

type validation struct{ problems []Problem }

func (v *validation) add(warning bool, key, format string, args ...any) {
	v.problems = append(v.problems, Problem{Key: ConfigSection + "." + key, Message: fmt.Sprintf(format, args...), Warning: warning})
}
func (v *validation) err(key, format string, args ...any)  { v.add(false, key, format, args...) }
func (v *validation) warn(key, format string, args ...any) { v.add(true, key, format, args...) }

func (v *validation) mchID(key, val, what string) {
	switch val = strings.TrimSpace(val); {
	case val == "":
		v.err(key, "required: %s", what)
	case !mchIDPattern.MatchString(val):
		v.err(key, "%q is not a merchant id: WeChat Pay merchant ids are digits only, like 1900000100", val)
	}
}

func (v *validation) appID(key, val string, required bool, what string) {
	switch val = strings.TrimSpace(val); {
	case val == "" && required:
		v.err(key, "required: %s", what)
	case val != "" && !appIDPattern.MatchString(val):
		v.err(key, "%q is not an APPID: an APPID is wx followed by 16 letters or digits, like wx8888888888888888", val)
	}
}

func (v *validation) credentials(c *Config) {
	switch s := strings.TrimSpace(c.MerchantSerialNo); {
	case s == "":
		v.err("merchant_serial_no", "required: the serial of the merchant API certificate (商户API证书序列号), shown in the merchant platform under 账户中心 › API安全")
	case !serialPattern.MatchString(s):
		v.err("merchant_serial_no", "%q is not a certificate serial: it is hexadecimal, like 1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", s)
	}
	if strings.TrimSpace(c.PrivateKeyFile) == "" {
		v.err("private_key_file", "required: the merchant API private key apiclient_key.pem of the 服务商/渠道商 (never the restaurant's)")
	} else if msg := checkPrivateKeyFile(c.PrivateKeyFile); msg != "" {
		v.err("private_key_file", "%s", msg)
	}
	id, file := strings.TrimSpace(c.PublicKeyID), strings.TrimSpace(c.PublicKeyFile)
	switch {
	case id != "" && !publicKeyPattern.MatchString(id):
		v.err("public_key_id", "%q is not a WeChat Pay public key id: it looks like PUB_KEY_ID_0114232134912410000000000000 (merchant platform › 账户中心 › API安全 › 微信支付公钥)", id)
	case id != "" && file == "":
		v.err("public_key_file", "required with public_key_id: the file pub_key.pem downloaded with that id")
	case id == "" && file != "":
		v.err("public_key_id", "required with public_key_file: the id (PUB_KEY_ID_…) shown next to the public key in the merchant platform")
	}
	if file != "" {
		if msg := checkPublicKeyFile(file); msg != "" {
			v.err("public_key_file", "%s", msg)
		}
	}
	switch n := len(c.APIv3Key); {
	case n == 0 && id == "":
		v.err("apiv3_key", "required when no public key is configured: the 32-character APIv3 key (APIv3密钥) that decrypts the platform certificates; or set public_key_id and public_key_file")
	case n != 0 && n != apiv3KeyLen:
		v.err("apiv3_key", "has %d characters; the APIv3 key has exactly %d: copy it again from the merchant platform (账户中心 › API安全 › 设置APIv3密钥)", n, apiv3KeyLen)
	}
}

// checkPrivateKeyFile returns what is wrong with a merchant private key
// file, or "".
func checkPrivateKeyFile(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("cannot read the key file: %v (relative paths start at the config file's folder)", err)
	}
	k, err := rsakeys.ParsePrivate(data)
	if err != nil {
		hint := "use apiclient_key.pem from the merchant API certificate download"
		if _, perr := rsakeys.ParsePublic(data); perr == nil {
			hint = "this is a public key or certificate: put apiclient_key.pem here"
		}
		return fmt.Sprintf("%s is not an RSA private key (%v): %s", path, err, hint)
	}
	if k.N.BitLen() < rsakeys.MinBits {
		return fmt.Sprintf("%s holds a %d-bit key; WeChat Pay merchant keys have %d bits: use apiclient_key.pem", path, k.N.BitLen(), rsakeys.MinBits)
	}
	return ""
}

// checkPublicKeyFile returns what is wrong with a WeChat Pay public key
// file, or "".
func checkPublicKeyFile(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("cannot read the key file: %v (relative paths start at the config file's folder)", err)
	}
	if _, err := rsakeys.ParsePrivate(data); err == nil {
		return fmt.Sprintf("%s is a private key: never share it; put the WeChat Pay public key pub_key.pem here", path)
	}
	if _, err := rsakeys.ParsePublic(data); err != nil {
		return fmt.Sprintf("%s is not an RSA public key (%v): download the WeChat Pay public key (pub_key.pem) from the merchant platform", path, err)
	}
	return ""
}

func (v *validation) baseURL(raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		v.err("base_url", "%q is not a web address: use %s", raw, DefaultBaseURL)
		return
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		v.err("base_url", "must be only scheme and host, like %s", DefaultBaseURL)
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		v.err("base_url", "uses http: WeChat Pay is reached over https only; use %s", DefaultBaseURL)
	}
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (v *validation) restaurants(c *Config) {
	if len(c.Restaurants) == 0 {
		v.err("restaurants", "lists no restaurant: add one entry per scan-to-order restaurant with its sub_mchid and out_shop_no")
	}
	seen := map[int64]int{}
	for i, r := range c.Restaurants {
		key := fmt.Sprintf("restaurants[%d]", i)
		switch prev, dup := seen[r.ID]; {
		case r.ID <= 0:
			v.err(key+".id", "must be the scan-to-order restaurant id (a number from 1)")
		case dup:
			v.err(key+".id", "restaurant %d is listed twice (also restaurants[%d]): keep one entry", r.ID, prev)
		}
		seen[r.ID] = i
		v.mchID(key+".sub_mchid", r.SubMchID, "the restaurant's sub-merchant id (子商户号) under your 服务商/渠道商 account")
		if c.Mode == ModeChannel {
			v.appID(key+".sub_appid", r.SubAppID, true, "the APPID of the restaurant's official account (required in mode channel)")
		} else {
			v.appID(key+".sub_appid", r.SubAppID, false, "")
			if strings.TrimSpace(r.SubAppID) == "" {
				v.warn(key+".sub_appid", "is empty: only customers who logged in under sp_appid are synced; set the restaurant's official-account APPID to sync its own logins too")
			}
		}
		switch s := strings.TrimSpace(r.OutShopNo); {
		case s == "":
			v.err(key+".out_shop_no", "required: your number for this restaurant (up to 32 characters)")
		case len(s) > 32:
			v.err(key+".out_shop_no", "has %d bytes; WeChat Pay takes at most 32", len(s))
		}
		v.dishTypes(key+".dish_types", r.DishTypes)
	}
}

func (v *validation) dishTypes(key string, m map[string]string) {
	cats := make([]string, 0, len(m))
	for k := range m {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	lower := map[string]string{}
	for _, cat := range cats {
		t := m[cat]
		if prev, dup := lower[strings.ToLower(cat)]; dup {
			v.err(key+"."+cat, "category %q and %q differ only in case: keep one", prev, cat)
		}
		lower[strings.ToLower(cat)] = cat
		if IsDishType(t) {
			continue
		}
		hint := "use one of the documented dish types, like FAST_FOOD, DRINK, SNACK or HOT_POT"
		if strings.EqualFold(t, "GUANGDONG_CUISINE") {
			hint = "WeChat Pay spells 粤菜 GUAGNDONG_CUISINE (two letters swapped): write it that way"
		} else if IsDishType(strings.ToUpper(strings.TrimSpace(t))) {
			hint = fmt.Sprintf("write it in capitals: %s", strings.ToUpper(strings.TrimSpace(t)))
		}
		v.err(key+"."+cat, "%q is not a documented dish type: %s (an unmapped category is simply sent without a type)", t, hint)
	}
}

// APIv3KeyLen is the length of the APIv3 key (the client decrypts with it).
const APIv3KeyLen = apiv3KeyLen

// CheckPrivateKeyFile returns what is wrong with a merchant private key
// file, or "" (the doctor checks the file the same way).
func CheckPrivateKeyFile(path string) string { return checkPrivateKeyFile(path) }

// CheckPublicKeyFile returns what is wrong with a WeChat Pay public key
// file, or "".
func CheckPublicKeyFile(path string) string { return checkPublicKeyFile(path) }

// ValidPublicKeyID reports an id shaped as WeChat Pay's PUB_KEY_ID_….
func ValidPublicKeyID(id string) bool { return publicKeyPattern.MatchString(id) }

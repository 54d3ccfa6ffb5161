package fake

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"time"
)

var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// expectedSign recomputes a request signature the way QFPay's documents
// describe it (written apart from the client's code on purpose).
func expectedSign(params url.Values, key, signType string) string {
	var names []string
	for name, values := range params {
		if name != "sign" && len(values) > 0 && values[0] != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	pairs := make([]string, len(names))
	for i, n := range names {
		pairs[i] = n + "=" + params.Get(n)
	}
	msg := strings.Join(pairs, "&") + key
	if strings.EqualFold(signType, "SHA256") {
		sum := sha256.Sum256([]byte(msg))
		return hex.EncodeToString(sum[:])
	}
	sum := md5.Sum([]byte(msg))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// bodySign is the notification signature: MD5(body + key), upper-case hex.
func bodySign(body []byte, key string) string {
	sum := md5.Sum(append(append([]byte(nil), body...), key...))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// wxKey signs the fake WeChat pay_params (paySign), as WeChat's v2 JSAPI does.
const wxKey = "FakeWeChatMerchantKey0123456789A"

func paySign(appID, nonce, pkg, signType, ts string) string {
	msg := "appId=" + appID + "&nonceStr=" + nonce + "&package=" + pkg + "&signType=" + signType + "&timeStamp=" + ts + "&key=" + wxKey
	sum := md5.Sum([]byte(msg))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

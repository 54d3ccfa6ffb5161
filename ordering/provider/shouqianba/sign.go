package shouqianba

import (
	"crypto/md5"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// SignBody is the API signature: lower-case hex MD5 of the exact body bytes
// followed by the key (vendor_key for activation, terminal_key after).
func SignBody(body []byte, key string) string {
	h := md5.New()
	h.Write(body)
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil))
}

// Authorization is the header of a signed API call: "<sn> <sign>".
func Authorization(sn string, body []byte, key string) string {
	return sn + " " + SignBody(body, key)
}

// WAPSignString is what the WAP cashier URL signs: every non-empty parameter
// except sign and sign_type, sorted by name, name=value joined by &, raw
// values, then "&key=" and the terminal key.
func WAPSignString(params url.Values, terminalKey string) string {
	return wire.SortedPairs(params, "sign", "sign_type") + "&key=" + terminalKey
}

// SignWAP is the WAP URL's sign: upper-case hex MD5 of WAPSignString.
func SignWAP(params url.Values, terminalKey string) string {
	sum := md5.Sum([]byte(WAPSignString(params, terminalKey)))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

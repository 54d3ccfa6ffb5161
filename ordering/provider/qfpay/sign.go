package qfpay

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// SignString is what is signed: every non-empty parameter except sign,
// sorted by name (byte order), joined as name=value with &, raw values.
func SignString(params url.Values) string { return wire.SortedPairs(params, "sign") }

// Sign is X-QF-SIGN: upper-case hex MD5 of SignString(params) + clientKey.
func Sign(params url.Values, clientKey string) string {
	sum := md5.Sum([]byte(SignString(params) + clientKey))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// NotificationSign is the X-QF-SIGN of a notification: upper-case hex MD5 of
// the raw body bytes followed by the client key.
func NotificationSign(body []byte, clientKey string) string {
	h := md5.New()
	h.Write(body)
	h.Write([]byte(clientKey))
	return strings.ToUpper(hex.EncodeToString(h.Sum(nil)))
}

// VerifyNotification checks a notification's X-QF-SIGN over the exact bytes
// received (re-serialised JSON would not match), hex case ignored.
func VerifyNotification(body []byte, sign, clientKey string) bool {
	if sign == "" || clientKey == "" {
		return false
	}
	return hmac.Equal([]byte(strings.ToUpper(strings.TrimSpace(sign))), []byte(NotificationSign(body, clientKey)))
}

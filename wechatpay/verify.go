package wechatpay

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Reply signature headers.
const (
	HeaderSerial        = "Wechatpay-Serial"
	HeaderSignature     = "Wechatpay-Signature"
	HeaderTimestamp     = "Wechatpay-Timestamp"
	HeaderNonce         = "Wechatpay-Nonce"
	HeaderSignatureType = "Wechatpay-Signature-Type"
	HeaderRequestID     = "Request-ID"
)

// ReplyWindow is how far a reply's timestamp may be from our clock (the
// official SDK's "five minutes"); older replies are treated as replays.
const ReplyWindow = 5 * time.Minute

// ReplyMessage is the text a reply signature covers: timestamp, nonce and
// the raw body, each followed by a newline.
func ReplyMessage(timestamp, nonce string, body []byte) []byte {
	m := make([]byte, 0, len(timestamp)+len(nonce)+len(body)+3)
	m = append(m, timestamp...)
	m = append(m, '\n')
	m = append(m, nonce...)
	m = append(m, '\n')
	m = append(m, body...)
	return append(m, '\n')
}

// hasSignatureHeaders reports whether a reply carries any of the signature
// headers.
func hasSignatureHeaders(h http.Header) bool {
	for _, k := range []string{HeaderSerial, HeaderSignature, HeaderTimestamp, HeaderNonce} {
		if h.Get(k) != "" {
			return true
		}
	}
	return false
}

// keyLookup finds the public key that belongs to a Wechatpay-Serial.
type keyLookup func(ctx context.Context, serial string) (*rsa.PublicKey, error)

// verifyReply checks a reply's signature headers against body. Every
// failure is a *VerifyError.
func verifyReply(ctx context.Context, h http.Header, body []byte, now time.Time, lookup keyLookup) error {
	serial := strings.TrimSpace(h.Get(HeaderSerial))
	sig := strings.TrimSpace(h.Get(HeaderSignature))
	ts := strings.TrimSpace(h.Get(HeaderTimestamp))
	nonce := strings.TrimSpace(h.Get(HeaderNonce))
	fail := func(reason VerifyReason, format string, args ...any) error {
		return &VerifyError{Reason: reason, Serial: serial, Detail: fmt.Sprintf(format, args...), RequestID: h.Get(HeaderRequestID)}
	}
	if serial == "" || sig == "" || ts == "" || nonce == "" {
		return fail(VerifyMissingHeaders, "the reply lacks Wechatpay-Serial, -Signature, -Timestamp or -Nonce")
	}
	if t := h.Get(HeaderSignatureType); t != "" && t != AuthScheme {
		return fail(VerifyBadSignature, "signature type %q is not %s", t, AuthScheme)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fail(VerifyStale, "Wechatpay-Timestamp %q is not a number of seconds", ts)
	}
	if skew := now.Sub(time.Unix(sec, 0)); skew.Abs() >= ReplyWindow {
		return fail(VerifyStale, "the reply's timestamp is %s from this PC's clock (more than %s)", skew.Abs().Round(time.Second), ReplyWindow)
	}
	key, err := lookup(ctx, serial)
	if err != nil {
		return fail(VerifyUnknownSerial, "%v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return fail(VerifyBadSignature, "Wechatpay-Signature is not base64")
	}
	sum := sha256.Sum256(ReplyMessage(ts, nonce, body))
	if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], raw); err != nil {
		return fail(VerifyBadSignature, "the signature does not match the reply (altered on the way, or signed with another key)")
	}
	return nil
}

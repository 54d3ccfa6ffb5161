package wechatpay

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math/big"
	"strconv"
	"strings"
)

// AuthScheme is the Authorization scheme and the signature type of replies.
const AuthScheme = "WECHATPAY2-SHA256-RSA2048"

// Signer signs APIv3 requests with the merchant API key of the 服务商 or
// 渠道商.
type Signer struct {
	MchID    string // Authorization mchid: sp_mchid or channel_id
	SerialNo string // merchant API certificate serial
	Key      *rsa.PrivateKey
}

// RequestMessage is the text an APIv3 request signature covers: method,
// request URI (path and query, no host), timestamp, nonce and body, each
// followed by a newline — the last one too, also for an empty body.
func RequestMessage(method, uri string, timestamp int64, nonce string, body []byte) []byte {
	var b strings.Builder
	b.Grow(len(method) + len(uri) + len(nonce) + len(body) + 16)
	b.WriteString(strings.ToUpper(method))
	b.WriteByte('\n')
	b.WriteString(uri)
	b.WriteByte('\n')
	b.WriteString(strconv.FormatInt(timestamp, 10))
	b.WriteByte('\n')
	b.WriteString(nonce)
	b.WriteByte('\n')
	b.Write(body)
	b.WriteByte('\n')
	return []byte(b.String())
}

// Sign returns the base64 SHA256withRSA (PKCS #1 v1.5) signature of message.
// PKCS #1 v1.5 is deterministic: the same key and message give the same
// signature, which is what makes the published test vector checkable.
func (s *Signer) Sign(message []byte) (string, error) {
	if s.Key == nil {
		return "", errors.New("wechatpay: no merchant private key to sign with")
	}
	sum := sha256.Sum256(message)
	sig, err := rsa.SignPKCS1v15(nil, s.Key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// Authorization returns the Authorization header value of one request.
func (s *Signer) Authorization(method, uri string, body []byte, timestamp int64, nonce string) (string, error) {
	if strings.TrimSpace(s.MchID) == "" || strings.TrimSpace(s.SerialNo) == "" {
		return "", errors.New("wechatpay: merchant id and certificate serial are required to sign")
	}
	sig, err := s.Sign(RequestMessage(method, uri, timestamp, nonce, body))
	if err != nil {
		return "", err
	}
	return AuthScheme + ` mchid="` + s.MchID + `",nonce_str="` + nonce + `",timestamp="` +
		strconv.FormatInt(timestamp, 10) + `",serial_no="` + s.SerialNo + `",signature="` + sig + `"`, nil
}

const nonceAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NonceLen is the length of request nonces, as the official SDKs make them.
const NonceLen = 32

// NewNonce returns NonceLen random characters [0-9A-Za-z] from crypto/rand,
// each drawn uniformly.
func NewNonce() (string, error) {
	b := make([]byte, NonceLen)
	limit := big.NewInt(int64(len(nonceAlphabet)))
	for i := range b {
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return "", err
		}
		b[i] = nonceAlphabet[n.Int64()]
	}
	return string(b), nil
}

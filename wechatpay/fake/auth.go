package fake

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const authScheme = "WECHATPAY2-SHA256-RSA2048"

// requestWindow is how far a request's timestamp may be from the server's
// clock.
const requestWindow = 5 * time.Minute

// verifyAuthorization checks the Authorization header as WeChat Pay does:
// the scheme, the five parameters, the merchant and its certificate serial,
// the timestamp window, a nonce not seen before, and the SHA256withRSA
// signature of method, URI, timestamp, nonce and body with the merchant's
// public key. Failures are 401 SIGN_ERROR.
func (s *Server) verifyAuthorization(r *http.Request, body []byte) *apiError {
	signErr := func(message string, signed string) *apiError {
		e := &apiError{status: 401, code: "SIGN_ERROR", message: message}
		if signed != "" {
			// As observed in the field: what the server hashed, for diagnosis.
			e.detail = map[string]any{"detail": map[string]any{"issue": message}, "sign_information": map[string]any{
				"method": r.Method, "url": r.RequestURI, "sign_message_length": len(signed),
				"truncated_sign_message": truncate(signed, 64),
			}}
		}
		return e
	}
	header := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(header, authScheme+" ")
	if !ok {
		return signErr("Authorization 头的认证类型不是 "+authScheme, "")
	}
	params, ok := parseAuthParams(rest)
	if !ok {
		return signErr("Authorization 头格式错误", "")
	}
	for _, k := range []string{"mchid", "nonce_str", "timestamp", "serial_no", "signature"} {
		if params[k] == "" {
			return signErr("Authorization 头缺少 "+k, "")
		}
	}
	if params["mchid"] != s.opts.MchID {
		return signErr("商户号 "+params["mchid"]+" 与证书不匹配", "")
	}
	if upper(params["serial_no"]) != upper(s.opts.MerchantSerial) {
		return signErr("商户证书序列号 "+params["serial_no"]+" 不存在或已失效", "")
	}
	ts, err := strconv.ParseInt(params["timestamp"], 10, 64)
	if err != nil || len(params["timestamp"]) > 10 {
		return signErr("timestamp 不是秒级时间戳", "")
	}
	now := s.now()
	if d := now.Sub(time.Unix(ts, 0)); d > requestWindow || d < -requestWindow {
		return signErr("请求时间戳与服务器时间相差超过5分钟", "")
	}
	nonce := params["nonce_str"]
	if len(nonce) > 32 {
		return signErr("nonce_str 过长", "")
	}
	message := r.Method + "\n" + r.RequestURI + "\n" + params["timestamp"] + "\n" + nonce + "\n" + string(body) + "\n"
	sig, err := base64.StdEncoding.DecodeString(params["signature"])
	if err != nil {
		return signErr("签名不是 base64", message)
	}
	sum := sha256.Sum256([]byte(message))
	if rsa.VerifyPKCS1v15(s.opts.MerchantPublicKey, crypto.SHA256, sum[:], sig) != nil {
		return signErr("签名错误", message)
	}
	if !s.freshNonce(nonce, now) {
		return signErr("nonce_str 重复，请勿重放请求", "")
	}
	return nil
}

// parseAuthParams reads `key="value"` pairs joined by commas. A repeated
// key, a pair without quotes or an empty key makes the header malformed.
func parseAuthParams(s string) (map[string]string, bool) {
	out := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || k == "" || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, false
		}
		if _, dup := out[k]; dup {
			return nil, false
		}
		out[k] = v[1 : len(v)-1]
	}
	return out, true
}

// freshNonce remembers a nonce for the request window and refuses one seen
// within it: a replayed request.
func (s *Server) freshNonce(nonce string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for n, at := range s.nonces {
		if now.Sub(at) > 2*requestWindow {
			delete(s.nonces, n)
		}
	}
	if _, seen := s.nonces[nonce]; seen {
		return false
	}
	s.nonces[nonce] = now
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

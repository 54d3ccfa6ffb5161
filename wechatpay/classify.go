package wechatpay

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Class is what the outbox should do with a failed call.
type Class int

// Classes of Classify.
const (
	// ClassNone: no error.
	ClassNone Class = iota
	// ClassRetry: retry with backoff (5xx, 429, network, unreadable reply).
	// The same body may be sent again: the sync is a full snapshot.
	ClassRetry
	// ClassNever: never retry; the request itself is wrong (400
	// PARAM_ERROR, INVALID_REQUEST, other 4xx, not syncable).
	ClassNever
	// ClassAlert: retry slowly (AlertRetryInterval) and tell the installer:
	// the credentials, the permissions or the clock are wrong (401
	// SIGN_ERROR, 403, a reply that fails verification, certificates that
	// cannot be decrypted). Nothing changes until a person fixes it.
	ClassAlert
)

// AlertRetryInterval is the least delay between attempts of a ClassAlert
// failure: often enough to notice a fix, rare enough not to flood WeChat Pay
// with requests it refuses.
const AlertRetryInterval = 10 * time.Minute

func (c Class) String() string {
	switch c {
	case ClassNone:
		return "none"
	case ClassRetry:
		return "retry"
	case ClassNever:
		return "never"
	case ClassAlert:
		return "alert"
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// ErrBadBody is matched by errors returned when SyncStatus is handed a body
// that is not a sync body built by BuildSyncBody for the given SyncRef.
var ErrBadBody = errors.New("wechatpay: not a sync body for this order and status")

// Classify says how the outbox should treat err.
func Classify(err error) Class {
	if err == nil {
		return ClassNone
	}
	var ns *NotSyncable
	var ce *CertificateError
	var ae *APIError
	var ve *VerifyError
	var te *TransportError
	switch {
	case errors.As(err, &ns), errors.Is(err, ErrBadBody):
		return ClassNever
	case errors.As(err, &ae):
		return classifyAPI(ae)
	case errors.As(err, &te):
		return ClassRetry
	case errors.As(err, &ve):
		return ClassAlert
	case errors.As(err, &ce):
		// A network failure inside the download was caught above; what is
		// left is a wrong APIv3 key or a reply we cannot read.
		return ClassAlert
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return ClassRetry
	}
	return ClassRetry
}

func classifyAPI(e *APIError) Class {
	switch e.Code {
	case "SIGN_ERROR", "NO_AUTH":
		return ClassAlert
	case "RATELIMIT_EXCEEDED", "FREQUENCY_LIMITED", "SYSTEM_ERROR", "SERVICE_UNAVAILABLE":
		return ClassRetry
	}
	switch s := e.HTTPStatus; {
	case s == 401, s == 403:
		return ClassAlert
	case s == 408, s == 429, s >= 500:
		return ClassRetry
	case s >= 400:
		return ClassNever
	}
	// 1xx, 3xx or an unexpected status: nothing says the request was wrong.
	return ClassRetry
}

// RetryAfter is the least delay before the next attempt that the failure
// asks for: WeChat Pay's Retry-After, AlertRetryInterval for ClassAlert, 0
// for "use your backoff".
func RetryAfter(err error) time.Duration {
	var ae *APIError
	d := time.Duration(0)
	if errors.As(err, &ae) {
		d = ae.RetryAfter
	}
	if Classify(err) == ClassAlert {
		d = max(d, AlertRetryInterval)
	}
	return d
}

// InstallerMessage says in Chinese why a sync failed and what to do, with
// WeChat Pay's own message when there is one, for the console and the order
// history. The full error stays in the log.
func InstallerMessage(err error) string {
	var ns *NotSyncable
	var ae *APIError
	var ve *VerifyError
	var te *TransportError
	var ce *CertificateError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ns):
		return ns.Message()
	case errors.As(err, &ae):
		return apiMessage(ae)
	case errors.As(err, &te):
		return "连不上微信支付（请检查本机网络和 wechatpay.base_url），恢复后会自动重试"
	case errors.As(err, &ve):
		return verifyMessage(ve)
	case errors.As(err, &ce):
		return "无法解密微信支付平台证书：请检查 wechatpay.apiv3_key 是否为商户平台设置的32位APIv3密钥；或改用微信支付公钥（public_key_id 与 public_key_file）。修正后会自动重试"
	case errors.Is(err, ErrBadBody):
		return "同步数据不完整（程序错误），不会重试；请联系技术支持"
	}
	return "同步到微信支付失败，会自动重试：" + err.Error()
}

func apiMessage(e *APIError) string {
	said := e.Code
	if e.Message != "" {
		said += "：" + e.Message
	}
	if said == "" {
		said = fmt.Sprintf("HTTP %d", e.HTTPStatus)
	}
	switch classifyAPI(e) {
	case ClassAlert:
		if e.Code == "SIGN_ERROR" || e.HTTPStatus == 401 {
			return "微信支付拒绝了签名（" + said + "）。请检查 wechatpay.private_key_file 与 merchant_serial_no 是否属于同一张商户API证书、商户号是否正确，以及本机时间是否准确；修正后会自动重试"
		}
		return "微信支付拒绝：没有权限（" + said + "）。请确认服务商/渠道商已开通点餐订单信息同步，且该餐厅的子商户号 sub_mchid 已与你绑定；修正后会自动重试"
	case ClassNever:
		return "微信支付认为同步的数据有误（" + said + "），这笔同步不会重试"
	}
	if e.HTTPStatus == 429 || e.Code == "RATELIMIT_EXCEEDED" || e.Code == "FREQUENCY_LIMITED" {
		return "微信支付请求过于频繁（" + said + "），稍后自动重试"
	}
	return "微信支付暂时故障（" + said + "），会自动重试"
}

func verifyMessage(e *VerifyError) string {
	switch e.Reason {
	case VerifyStale:
		return "微信支付应答的时间与本机时间相差超过5分钟：请开启自动同步时间；校准后会自动重试"
	case VerifyUnknownSerial:
		return "微信支付的应答使用了未配置的密钥（" + e.Serial + "）：请在 wechatpay.public_key_id 和 public_key_file 配置微信支付公钥，或配置 apiv3_key 以下载平台证书；修正后会自动重试"
	}
	return "微信支付的应答验签失败（可能被篡改，或微信支付公钥配置有误），这次同步不算成功，会稍后重试"
}

package wechat

import (
	"errors"
	"fmt"
)

// Error codes the package acts on (WeChat's errcode).
const (
	CodeBusy              = -1
	CodeInvalidCredential = 40001 // wrong secret, or an access_token that is not the latest
	CodeInvalidOpenID     = 40003
	CodeInvalidAppID      = 40013
	CodeInvalidToken      = 40014 // invalid access_token
	CodeInvalidCode       = 40029 // OAuth code invalid or expired
	CodeInvalidRefresh    = 40030
	CodeInvalidSecret     = 40125
	CodeCodeUsed          = 40163
	CodeIPNotWhitelisted  = 40164
	CodeTokenExpired      = 42001
	CodeRefreshExpired    = 42002
	CodeUnauthorized      = 48001 // e.g. userinfo with scope snsapi_base
	CodeQuota             = 45009
)

// Error is a reply with a non-zero errcode.
type Error struct {
	Op   string
	Code int
	Msg  string // WeChat's errmsg
}

func (e *Error) Error() string {
	s := fmt.Sprintf("wechat %s: errcode %d: %s", e.Op, e.Code, e.Msg)
	if h := hint(e.Code); h != "" {
		s += " (" + h + ")"
	}
	return s
}

func hint(code int) string {
	switch code {
	case CodeInvalidAppID:
		return "check ordering.wechat.app_id"
	case CodeInvalidSecret, CodeInvalidCredential:
		return "check ordering.wechat.app_secret against 公众号后台 → 基本配置"
	case CodeIPNotWhitelisted:
		return "add this shop's public IP address to the account's IP whitelist (基本配置 → IP白名单); a changing IP breaks the JS-SDK"
	case CodeInvalidCode, CodeCodeUsed:
		return "the page must start the WeChat login again"
	case CodeUnauthorized:
		return "the login used scope snsapi_base, or the account lacks this permission"
	case CodeBusy:
		return "WeChat is busy; try again"
	}
	return ""
}

// IsCodeRejected reports whether an OAuth code exchange failed because of
// the code (invalid, expired, already used): the page restarts the login
// (seed §9.3's 400), it is not a configuration problem.
func IsCodeRejected(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Code == CodeInvalidCode || e.Code == CodeCodeUsed)
}

// ErrCode is err's errcode, 0 when err is not a WeChat reply.
func ErrCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

func tokenRejected(err error) bool {
	switch ErrCode(err) {
	case CodeInvalidCredential, CodeInvalidToken, CodeTokenExpired:
		return true
	}
	return false
}

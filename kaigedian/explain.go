package kaigedian

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Explain says in one Chinese sentence why a call to 开个店 failed and what
// to check, for the staff console. The raw error stays in the log, the
// outbox row and the API's last_error for the installer.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	var pe *PlatformError
	if errors.As(err, &pe) {
		return explainAnswer(pe.Code, pe.HTTPStatus, pe.Message)
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return explainInvalid()
	}
	return ExplainText(err.Error())
}

// answered matches what (*PlatformError).Error writes, so that a stored
// error text (an outbox row's last_error) explains as the error did.
var answered = regexp.MustCompile(`platform answered (?:code (\S+)|HTTP (\d+))(?:: (.*?))?(?: \((?:a required parameter|platform-side failure)[^)]*\))?$`)

// ExplainText is Explain for an error kept as text.
func ExplainText(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	if m := answered.FindStringSubmatch(text); m != nil {
		status, _ := strconv.Atoi(m[2])
		return explainAnswer(m[1], status, m[3])
	}
	e := strings.ToLower(text)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(e, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("invalid request"):
		return explainInvalid()
	case has("unreadable reply"):
		return "平台的回复无法识别（会自动重试；一直失败请联系开个店）"
	case has("connection refused", "actively refused"):
		return "连不上平台：对方拒绝连接。请核对 platform.base_url（地址和端口），平台恢复后会自动重试"
	case has("no such host", "server misbehaving", "lookup "):
		return "连不上平台：找不到平台的服务器（域名解析失败）。请检查这台电脑能否上网、DNS 设置和 platform.base_url"
	case has("network is unreachable", "no route to host", "host is down"):
		return "连不上平台：网络不通。请检查网线、Wi-Fi 和路由器，恢复后会自动重试"
	case has("x509", "certificate", "tls:"):
		return "平台的 HTTPS 证书无法验证：请确认电脑的日期时间正确，并核对 platform.base_url"
	case has("timeout", "deadline exceeded", "timed out"):
		return "平台没有及时回复（超时）：网络慢或平台繁忙，会自动重试"
	case has("connection reset", "broken pipe", "eof", "forcibly closed"):
		return "与平台的连接中断，会自动重试；一直失败请检查网络或代理"
	case has("proxy"):
		return "代理服务器拒绝了到平台的连接：请检查电脑的代理设置"
	}
	return "平台调用失败，会自动重试；一直失败请把「详情」发给安装人员"
}

// explainAnswer explains a refusal the platform sent: its own (Chinese)
// message wins; an HTTP error without an envelope says what it means.
func explainAnswer(code string, status int, msg string) string {
	msg = strings.TrimSpace(msg)
	if code == "" {
		switch {
		case status == 404:
			return "平台地址不对（HTTP 404）：请照开个店给的地址核对 platform.base_url"
		case status == 401 || status == 403:
			return fmt.Sprintf("平台拒绝了这台电脑的凭证（HTTP %d）：请核对 platform.access_token 和 app_id", status)
		case status == 429:
			return "调用太频繁，平台要求稍候（HTTP 429），会自动重试"
		case status >= 500:
			return fmt.Sprintf("平台故障（HTTP %d），会自动重试", status)
		}
		return fmt.Sprintf("平台拒绝（HTTP %d）：请核对 platform.base_url", status)
	}
	if hasHan(msg) {
		if strings.Contains(msg, "签名") {
			return msg + "：请核对 platform.private_key_file，并确认在开个店登记的是它的公钥"
		}
		return msg
	}
	switch code {
	case CodeMissingParam:
		return "平台说请求缺少必要参数（代码 21），重试无用：请联系安装人员"
	case CodeInternal:
		return "平台内部错误（代码 500），会自动重试"
	}
	return "平台拒绝（代码 " + code + "）"
}

func explainInvalid() string {
	return "请求缺少或填错字段，未发给平台：请打开订单核对，仍不行请联系安装人员"
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

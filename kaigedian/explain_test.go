package kaigedian

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// Platform failures reach staff as Chinese sentences that say what to
// check; the same text comes out of the error and of its stored text.
func TestExplainIsChineseAndSaysWhatToCheck(t *testing.T) {
	english := regexp.MustCompile(`(?i)dial|refused|kaigedian|timeout|unreadable|lookup|tcp|bad gateway`)
	refused := &TransportError{Path: PathBatchQuery, Err: errors.New("dial tcp 127.0.0.1:9: connect: connection refused")}
	cases := []struct {
		err  error
		want string
	}{
		{refused, "拒绝连接"},
		{fmt.Errorf("batchQuery store 1862: %w", refused), "platform.base_url"},
		{&TransportError{Path: PathBatchQuery, Err: errors.New("dial tcp: lookup open.example.cn on 127.0.0.53:53: no such host")}, "域名解析"},
		{&TransportError{Path: PathBatchQuery, Err: context.DeadlineExceeded}, "超时"},
		{&TransportError{Path: PathBatchQuery, Err: errors.New("tls: failed to verify certificate: x509: certificate has expired")}, "证书"},
		{&PlatformError{HTTPStatus: 502, Message: "Bad Gateway", Path: PathBatchQuery}, "平台故障（HTTP 502）"},
		{&PlatformError{HTTPStatus: 404, Message: "Not Found", Path: PathBatchQuery}, "platform.base_url"},
		{&PlatformError{Code: "501", Message: "订单已取消", HTTPStatus: 200, Path: PathStatusOperation}, "订单已取消"},
		{&PlatformError{Code: "401", Message: "签名验证失败", HTTPStatus: 200, Path: PathBatchQuery}, "private_key_file"},
		{&PlatformError{Code: "21", HTTPStatus: 200, Path: PathQueryDetail}, "缺少必要参数"},
		{&DecodeError{Path: PathBatchQuery, Err: errors.New("invalid character '<'"), Snippet: "<html>"}, "无法识别"},
		{&ValidationError{Op: "submit", Fields: []FieldError{{Field: "orderItemList", Problem: "required"}}}, "填错字段"},
	}
	for _, c := range cases {
		got := Explain(c.err)
		if !strings.Contains(got, c.want) || english.MatchString(got) {
			t.Errorf("Explain(%v) = %q, want %q and no raw English", c.err, got, c.want)
		}
		if text := ExplainText(c.err.Error()); text != got {
			t.Errorf("ExplainText(%q) = %q, Explain gave %q", c.err.Error(), text, got)
		}
	}
	if Explain(nil) != "" || ExplainText("") != "" {
		t.Error("no error explains as nothing")
	}
}

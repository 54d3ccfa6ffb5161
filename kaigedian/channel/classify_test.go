package channel

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/kaigedian"
)

// Staff read why a platform call failed in Chinese; the platform's own text
// wins when it sent one.
func TestClassifyMessageIsForStaff(t *testing.T) {
	c := New(nil, nil)
	english := regexp.MustCompile(`(?i)dial|refused|kaigedian|timeout|unreadable`)
	cases := []struct {
		err  error
		want string
	}{
		{&kaigedian.PlatformError{Code: "501", Message: "订单已取消", Path: "/order/statusOperation"}, "订单已取消"},
		{fmt.Errorf("call: %w", &kaigedian.PlatformError{HTTPStatus: 502, Path: "/order/statusOperation"}), "平台故障（HTTP 502）"},
		{&kaigedian.TransportError{Path: "/order/statusOperation", Err: errors.New("dial tcp 1.2.3.4:443: connect: connection refused")}, "连不上平台"},
		{&kaigedian.DecodeError{Path: "/order/statusOperation", Err: errors.New("invalid character '<'"), Snippet: "<html>"}, "无法识别"},
	}
	for _, tc := range cases {
		got := c.Classify(tc.err).Message
		if !strings.Contains(got, tc.want) || english.MatchString(got) {
			t.Errorf("Classify(%v).Message = %q, want %q and no raw English", tc.err, got, tc.want)
		}
	}
}

// A refused signature or token is a link being changed, not a bad call:
// retried. A refusal of the call itself is not.
func TestClassifyRetriesAuthRefusals(t *testing.T) {
	c := New(nil, nil)
	cases := []struct {
		err   error
		retry bool
	}{
		{&kaigedian.PlatformError{Code: "401", Message: "unauthorized"}, true},
		{&kaigedian.PlatformError{HTTPStatus: 403}, true},
		{&kaigedian.PlatformError{Code: "501", Message: "签名错误"}, true},
		{&kaigedian.PlatformError{Code: "501", Message: "订单已取消"}, false},
		{&kaigedian.PlatformError{HTTPStatus: 502}, true},
		{&kaigedian.TransportError{Err: errors.New("connection refused")}, true},
	}
	for _, tc := range cases {
		if got := c.Classify(tc.err).Retry; got != tc.retry {
			t.Errorf("Classify(%v).Retry = %v, want %v", tc.err, got, tc.retry)
		}
	}
}

package transport_test

import (
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/printer/transport"
)

// Errors as the OS really produces them get a Chinese sentence that says
// what to check; nothing is left as raw English for staff.
func TestExplainRealTransportErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, refused := net.DialTimeout("tcp", addr, time.Second)
	_, missing := os.OpenFile("/nonexistent/usb/lp0", os.O_WRONLY, 0)
	cases := []struct {
		err  error
		want string
	}{
		{refused, "拒绝连接"},
		{missing, "找不到打印机设备"},
		{os.ErrDeadlineExceeded, "无响应"},
		{errors.New("write tcp 10.0.0.2:50000->10.0.0.9:9100: write: broken pipe"), "连接断开"},
		{errors.New("dial tcp 10.0.0.9:9100: connect: no route to host"), "网络不通"},
		{errors.New("open /dev/usb/lp0: permission denied"), "没有权限"},
		{errors.New("something nobody foresaw"), "通信失败"},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Fatalf("expected an error for %q", c.want)
		}
		if got := transport.Explain(c.err.Error()); !strings.Contains(got, c.want) {
			t.Errorf("Explain(%q) = %q, want it to mention %q", c.err, got, c.want)
		}
	}
	if transport.Explain("") != "" {
		t.Error("no error must explain to nothing")
	}
}

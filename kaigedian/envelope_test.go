package kaigedian

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeResponseShapes(t *testing.T) {
	cases := []struct {
		name, in     string
		code, body   string
		bodyInvalid  bool
		decodeFailed bool
	}{
		{name: "statusCode and JSON string", in: `{"ver":"1","statusCode":"100","message":"success","responseBody":"{\"orderCode\":\"1\"}"}`, code: "100", body: `{"orderCode":"1"}`},
		{name: "code instead of statusCode", in: `{"ver":"1","code":"100","message":"success","responseBody":""}`, code: "100"},
		{name: "numeric code", in: `{"statusCode":100,"responseBody":null}`, code: "100"},
		{name: "empty statusCode falls back to code", in: `{"statusCode":"","code":"21","message":"缺少必要的请求参数"}`, code: "21"},
		{name: "bare object", in: `{"statusCode":"100","responseBody":{"orderCode":"1889943343"}}`, code: "100", body: `{"orderCode":"1889943343"}`},
		{name: "bare array", in: `{"statusCode":"100","responseBody":[{"orderCode":"1"}]}`, code: "100", body: `[{"orderCode":"1"}]`},
		{name: "array in a string", in: `{"statusCode":"100","responseBody":"[{\"orderCode\":\"1\"}]"}`, code: "100", body: `[{"orderCode":"1"}]`},
		{name: "whitespace-only string", in: `{"statusCode":"100","responseBody":"  "}`, code: "100"},
		{name: "single-quoted pseudo JSON", in: `{"statusCode":"100","responseBody":"{'deliveryId':'D1'}"}`, code: "100", body: `{"deliveryId":"D1"}`},
		{name: "trailing comma inside the string", in: `{"statusCode":"100","responseBody":"{\"itemList\":[],\n}"}`, code: "100", body: "{\"itemList\":[]\n}"},
		{name: "trailing comma in the envelope", in: "{\"statusCode\":\"100\",\"responseBody\":\"\",\n}", code: "100"},
		{name: "scalar string body", in: `{"statusCode":"100","responseBody":"1889943343"}`, code: "100", body: `"1889943343"`},
		{name: "broken JSON in the string", in: `{"statusCode":"100","responseBody":"{\"a\":1 \"b\":2}"}`, code: "100", bodyInvalid: true},
		{name: "no code at all", in: `{"message":"success"}`, decodeFailed: true},
		{name: "not JSON", in: `<html>502 Bad Gateway</html>`, decodeFailed: true},
		{name: "truncated", in: `{"ver":"1","statusCode":"100","responseBody":`, decodeFailed: true},
		{name: "null", in: `null`, decodeFailed: true},
		{name: "object code", in: `{"statusCode":{"x":1}}`, decodeFailed: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := DecodeResponse([]byte(c.in))
			if c.decodeFailed {
				if err == nil {
					t.Fatalf("want an error, got %+v", r)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Code != c.code {
				t.Errorf("code %q, want %q", r.Code, c.code)
			}
			if (r.BodyInvalid != nil) != c.bodyInvalid {
				t.Errorf("BodyInvalid = %v", r.BodyInvalid)
			}
			if string(r.Body) != c.body {
				t.Errorf("body %s, want %s", r.Body, c.body)
			}
			if c.body == "" && !c.bodyInvalid {
				var v any
				if err := r.DecodeBody(&v); !errors.Is(err, ErrNoBody) {
					t.Errorf("DecodeBody of an empty body: %v", err)
				}
			}
		})
	}
}

func TestPlatformErrorsAndRetryability(t *testing.T) {
	cases := []struct {
		err       error
		retryable bool
		text      string
	}{
		{&PlatformError{Code: "500", Message: "内部服务异常", HTTPStatus: 200, Path: PathBatchQuery}, true, "内部服务异常"},
		{&PlatformError{Code: "21", Message: "缺少必要的请求参数", HTTPStatus: 200, Path: PathQueryDetail}, false, "code 21"},
		{&PlatformError{Code: "401", Message: "签名验证失败", HTTPStatus: 200, Path: PathBatchQuery}, false, "签名验证失败"},
		{&PlatformError{HTTPStatus: 502, Message: "Bad Gateway", Path: PathBatchQuery}, true, "HTTP 502"},
		{&PlatformError{HTTPStatus: 404, Path: PathBatchQuery}, false, "HTTP 404"},
		{&PlatformError{Code: "21", HTTPStatus: 503}, false, "code 21"},
		{&TransportError{Path: PathBatchQuery, Err: errors.New("connection refused")}, true, "connection refused"},
		{&DecodeError{Path: PathBatchQuery, Err: errors.New("not JSON")}, true, "unreadable"},
		{&ValidationError{Op: PathCancel, Fields: []FieldError{{"reason", "is required"}}}, false, "reason: is required"},
	}
	for _, c := range cases {
		if got := IsRetryable(c.err); got != c.retryable {
			t.Errorf("IsRetryable(%v) = %v", c.err, got)
		}
		if !strings.Contains(c.err.Error(), c.text) {
			t.Errorf("%q should mention %q", c.err.Error(), c.text)
		}
	}
	if IsRetryable(nil) {
		t.Error("nil is not retryable")
	}
	if !errors.Is(&ValidationError{}, ErrInvalidRequest) {
		t.Error("validation errors match ErrInvalidRequest")
	}
}

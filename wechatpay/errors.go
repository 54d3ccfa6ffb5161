package wechatpay

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// APIError is a refusal by WeChat Pay: a 4xx or 5xx reply, with the error
// body's code and message when it has one.
type APIError struct {
	HTTPStatus int
	Code       string // e.g. PARAM_ERROR, SIGN_ERROR; "" when the body was not the error JSON
	Message    string // WeChat Pay's own (Chinese) message
	Detail     json.RawMessage
	RequestID  string        // Request-ID: support asks for it
	RetryAfter time.Duration // from a Retry-After header, 0 when none
	// Verified is whether the reply's signature checked out; an error body
	// is used either way, but an unverified one is logged as such.
	Verified bool
	Path     string
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("wechatpay ")
	b.WriteString(e.Path)
	b.WriteString(": HTTP ")
	b.WriteString(strconv.Itoa(e.HTTPStatus))
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Detail) > 0 {
		b.WriteString(" (detail ")
		b.Write(e.Detail)
		b.WriteString(")")
	}
	if e.RequestID != "" {
		b.WriteString(" [Request-ID ")
		b.WriteString(e.RequestID)
		b.WriteString("]")
	}
	if !e.Verified {
		b.WriteString(" [reply signature not verified]")
	}
	return b.String()
}

// errorBody is the APIv3 error JSON.
type errorBody struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Detail  json.RawMessage `json:"detail,omitempty"`
}

// secretFields are body fields whose value must not reach a log through
// an error detail that quotes it.
var secretFields = []string{"login_token"}

// redactDetail hides the value an error detail quotes when the field it
// names is a secret; the detail goes into errors, and errors into logs.
func redactDetail(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return raw
	}
	var d map[string]any
	if json.Unmarshal(raw, &d) != nil {
		return raw
	}
	field, _ := d["field"].(string)
	for _, f := range secretFields {
		if strings.Contains(field, f) {
			if _, ok := d["value"]; ok {
				d["value"] = "(hidden)"
				out, _ := json.Marshal(d)
				return out
			}
		}
	}
	return raw
}

// TransportError is a failure to reach WeChat Pay or to read its reply. The
// request may or may not have been processed.
type TransportError struct {
	Path string
	Err  error
}

func (e *TransportError) Error() string {
	return "wechatpay " + e.Path + ": " + e.Err.Error() + " (check the network and wechatpay.base_url)"
}

func (e *TransportError) Unwrap() error { return e.Err }

// VerifyReason says why a reply failed verification.
type VerifyReason string

// Reasons of a VerifyError.
const (
	VerifyMissingHeaders VerifyReason = "missing_headers"
	VerifyStale          VerifyReason = "stale_timestamp"
	VerifyUnknownSerial  VerifyReason = "unknown_serial"
	VerifyBadSignature   VerifyReason = "bad_signature"
)

// VerifyError is a reply whose signature did not check out. Its content is
// not trusted: a sync answered this way is not done.
type VerifyError struct {
	Reason     VerifyReason
	Serial     string
	Detail     string
	RequestID  string
	HTTPStatus int
	Path       string
}

func (e *VerifyError) Error() string {
	s := "wechatpay " + e.Path + ": reply refused (" + string(e.Reason) + "): " + e.Detail
	if e.Serial != "" {
		s += " [Wechatpay-Serial " + e.Serial + "]"
	}
	if e.RequestID != "" {
		s += " [Request-ID " + e.RequestID + "]"
	}
	return s
}

// CertificateError is a failure to download, decrypt or read the platform
// certificates.
type CertificateError struct {
	Detail string
	Err    error
}

func (e *CertificateError) Error() string {
	s := "wechatpay platform certificates: " + e.Detail
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *CertificateError) Unwrap() error { return e.Err }

package kaigedian

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// PlatformError is a refusal by 开个店: a non-100 result code, or an HTTP
// error status without a readable envelope. Message keeps the platform's
// (usually Chinese) text for the staff console.
type PlatformError struct {
	Code       string // statusCode/code; "" when the reply was not an envelope
	Message    string
	HTTPStatus int
	Path       string
}

func (e *PlatformError) Error() string {
	var b strings.Builder
	b.WriteString("kaigedian ")
	b.WriteString(e.Path)
	if e.Code != "" {
		b.WriteString(": platform answered code ")
		b.WriteString(e.Code)
	} else {
		b.WriteString(": platform answered HTTP ")
		b.WriteString(strconv.Itoa(e.HTTPStatus))
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	switch {
	case e.Code == CodeMissingParam:
		b.WriteString(" (a required parameter is missing: fix the request, retrying will not help)")
	case e.Code == CodeInternal || e.HTTPStatus >= 500:
		b.WriteString(" (platform-side failure: retry later)")
	}
	return b.String()
}

// TransportError is a failure to reach the platform or to read its reply
// (connection refused, reset, timeout). The request may or may not have
// been processed.
type TransportError struct {
	Path string
	Err  error
}

func (e *TransportError) Error() string {
	return "kaigedian " + e.Path + ": " + e.Err.Error() + " (check the network and platform.base_url)"
}

func (e *TransportError) Unwrap() error { return e.Err }

// DecodeError is a reply that could not be read: not JSON, no result code,
// or a body that does not fit the documented shape.
type DecodeError struct {
	Path    string
	Err     error
	Snippet string // the start of the reply, for diagnosis
}

func (e *DecodeError) Error() string {
	s := "kaigedian " + e.Path + ": unreadable reply: " + e.Err.Error()
	if e.Snippet != "" {
		s += fmt.Sprintf(" (reply starts %q)", e.Snippet)
	}
	return s
}

func (e *DecodeError) Unwrap() error { return e.Err }

// ErrInvalidRequest is matched (errors.Is) by every *ValidationError: the
// request was refused locally and never sent.
var ErrInvalidRequest = errors.New("kaigedian: invalid request")

// FieldError names one wrong or missing field of a request.
type FieldError struct {
	Field   string // wire name, e.g. "orderItemList[0].productName"
	Problem string
}

func (f FieldError) Error() string { return f.Field + ": " + f.Problem }

// ValidationError lists every problem of a request refused before sending.
type ValidationError struct {
	Op     string
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return "kaigedian " + e.Op + ": invalid request: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalidRequest) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

func invalid(op string, fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return &ValidationError{Op: op, Fields: fields}
}

// IsRetryable reports whether repeating the same call may succeed: transport
// failures and timeouts, HTTP 5xx/429, result code 500 and unreadable
// replies. Refusals such as code 21, local validation errors and a
// cancelled context are final.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrInvalidRequest) || errors.Is(err, context.Canceled) {
		return false
	}
	var pe *PlatformError
	if errors.As(err, &pe) {
		switch pe.Code {
		case CodeInternal:
			return true
		case CodeMissingParam:
			return false
		}
		// A gateway error page may carry its own code; the HTTP status decides.
		return pe.HTTPStatus >= 500 || pe.HTTPStatus == 429 || pe.HTTPStatus == 408
	}
	var de *DecodeError
	if errors.As(err, &de) {
		return true
	}
	var te *TransportError
	if errors.As(err, &te) {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}

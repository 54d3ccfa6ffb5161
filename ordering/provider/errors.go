package provider

import (
	"context"
	"errors"
	"fmt"
)

// TransportError means the provider could not be reached or did not answer
// in time: nothing is known about what it did with the request. Its message
// never carries a URL (query strings hold secrets for some providers).
type TransportError struct {
	Provider string // "wechat", "qfpay", …
	Op       string // what we were doing: "exchange code", "payment", …
	Timeout  bool
	Status   int // HTTP status when the provider answered one that is not usable (5xx, 429); 0 when none
	msg      string
	err      error
}

// NewTransportError wraps err (already stripped of URLs and secrets by the
// caller) for op.
func NewTransportError(providerName, op string, status int, err error, msg string) *TransportError {
	return &TransportError{
		Provider: providerName, Op: op, Status: status, err: err, msg: msg,
		Timeout: errors.Is(err, context.DeadlineExceeded) || isNetTimeout(err),
	}
}

func (e *TransportError) Error() string {
	switch {
	case e.Timeout:
		return fmt.Sprintf("%s %s: no answer in time (the provider may still have acted; query before retrying)", e.Provider, e.Op)
	case e.Status != 0:
		return fmt.Sprintf("%s %s: HTTP %d %s", e.Provider, e.Op, e.Status, e.msg)
	default:
		return fmt.Sprintf("%s %s: %s", e.Provider, e.Op, e.msg)
	}
}

func (e *TransportError) Unwrap() error { return e.err }

// IsTransport reports whether err is a TransportError: retryable after a
// reconciling query, never a verdict of the provider.
func IsTransport(err error) bool {
	var t *TransportError
	return errors.As(err, &t)
}

type timeouter interface{ Timeout() bool }

func isNetTimeout(err error) bool {
	var t timeouter
	return errors.As(err, &t) && t.Timeout()
}

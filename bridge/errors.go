package bridge

import (
	"errors"
	"fmt"

	"github.com/posbridge/posbridge/store"
)

// Error codes of bridge: what kind of failure an error is, for the edges
// to answer in their own terms (the console maps them onto HTTP statuses;
// nothing in bridge knows HTTP). After WTF Dial's Error{Code, Message}.
const (
	EConflict = "conflict"  // the order's state does not allow it now
	EInvalid  = "invalid"   // the request is incomplete or malformed
	ENotFound = "not_found" // no such order, job, call
	EDiskFull = "disk_full" // nothing was saved: the disk is full
	EInternal = "internal"  // anything else
)

// Error is a failure staff can read: Message is Chinese.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf is an Error of code with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode is the code of err: its own, EConflict for a state that does
// not allow a step, EDiskFull for a full disk, ENotFound for a row that is
// not there, else EInternal.
func ErrorCode(err error) string {
	code, _ := describe(err)
	return code
}

// ErrorMessage is what staff read of err: an Error's or a state's message,
// the sentence of a full disk, or the error's text.
func ErrorMessage(err error) string {
	_, msg := describe(err)
	return msg
}

// describe gives err's code and message in one place, so that the two can
// never disagree about what kind of error it is.
func describe(err error) (code, msg string) {
	var e *Error
	var se *StateError
	switch {
	case err == nil:
		return "", ""
	case errors.As(err, &e):
		return e.Code, e.Message
	case errors.As(err, &se):
		return EConflict, se.Message
	case errors.Is(err, store.ErrDiskFull):
		return EDiskFull, "磁盘已满，操作未保存：请清理电脑磁盘空间"
	case errors.Is(err, store.ErrNotFound):
		return ENotFound, err.Error()
	}
	return EInternal, err.Error()
}

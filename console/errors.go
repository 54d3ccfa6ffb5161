package console

import (
	"net/http"

	"github.com/posbridge/posbridge/bridge"
)

// httpStatus is the one place bridge's error codes become HTTP statuses.
func httpStatus(code string) int {
	switch code {
	case bridge.EConflict:
		return http.StatusConflict
	case bridge.EInvalid:
		return http.StatusBadRequest
	case bridge.ENotFound:
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

// scanStatus is the HTTP status of a scan's outcome: 202 when a step was
// taken, 200 for a repeated read, else its error code's.
func scanStatus(outcome string) int {
	switch outcome {
	case bridge.ScanTaken:
		return http.StatusAccepted
	case bridge.ScanRepeated:
		return http.StatusOK
	}
	return httpStatus(outcome)
}

// writeBridgeError answers err with its code's status and the sentence
// staff read.
func writeBridgeError(w http.ResponseWriter, err error) {
	writeError(w, httpStatus(bridge.ErrorCode(err)), bridge.ErrorMessage(err))
}

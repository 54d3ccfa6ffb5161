package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/bridge"
)

// The states a ?state= filter may name. An unknown one is refused: an
// empty list for a misspelt state (printed for done) reads as "nothing".
var (
	jobStates  = []string{bridge.JobQueued, bridge.JobSending, bridge.JobDone, bridge.JobFailed, bridge.JobHeld, bridge.JobDropped}
	callStates = []string{bridge.CallPending, bridge.CallDone, bridge.CallFailed, bridge.CallMoot}
)

// stateList reads a comma-separated ?state= value; "" means every state.
func stateList(raw string, known []string) ([]string, error) {
	if raw == "" {
		return nil, nil
	}
	var out []string
	for _, s := range strings.Split(raw, ",") {
		s = strings.TrimSpace(s)
		if !contains(known, s) {
			return nil, errors.New("未知的状态：" + s + "（可用：" + strings.Join(known, "、") + "）")
		}
		out = append(out, s)
	}
	return out, nil
}

// countParam reads ?limit= or ?offset=: empty is 0, anything else a whole
// number from 0.
func countParam(raw string) (int, error) {
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		return 0, errors.New("须为不小于 0 的整数：" + raw)
	}
	return n, nil
}

// pathID reads the {id} of the path, answering 400 when it is not a number.
func pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "id 须为数字")
		return 0, false
	}
	return id, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

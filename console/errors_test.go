package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/store"
)

// Only the console turns bridge's error codes into HTTP statuses, and it
// does so in one place.
func TestBridgeErrorsMapOntoHTTPStatuses(t *testing.T) {
	cases := []struct {
		err    error
		status int
		msg    string
	}{
		{bridge.ErrUnknownOrder, http.StatusNotFound, "未找到该订单"},
		{fmt.Errorf("do: %w", bridge.ErrReasonRequired), http.StatusBadRequest, "请填写原因"},
		{&bridge.StateError{Message: "订单已完成，不能接单"}, http.StatusConflict, "订单已完成，不能接单"},
		{bridge.Errorf(bridge.EConflict, "该任务当前状态不能这样处理"), http.StatusConflict, "该任务当前状态不能这样处理"},
		{fmt.Errorf("save: %w", store.ErrDiskFull), http.StatusInternalServerError, "磁盘已满，操作未保存：请清理电脑磁盘空间"},
		{errors.New("database is locked"), http.StatusInternalServerError, "database is locked"},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		writeBridgeError(rec, c.err)
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.msg) {
			t.Errorf("%v → %d %s, want %d with %q", c.err, rec.Code, rec.Body.String(), c.status, c.msg)
		}
	}
	for outcome, want := range map[string]int{bridge.ScanTaken: 202, bridge.ScanRepeated: 200, bridge.EConflict: 409,
		bridge.ENotFound: 404, bridge.EInvalid: 400, bridge.EInternal: 500} {
		if got := scanStatus(outcome); got != want {
			t.Errorf("scan outcome %q → %d, want %d", outcome, got, want)
		}
	}
}

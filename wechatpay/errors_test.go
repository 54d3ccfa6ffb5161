package wechatpay

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestErrorDetailNeverQuotesTheLoginToken(t *testing.T) {
	raw := json.RawMessage(`{"field":"/login_token","value":"071oYFSN19sCH31AyNSN15QDSN1oYFSA","issue":"too long","location":"body"}`)
	e := &APIError{HTTPStatus: 400, Code: "PARAM_ERROR", Detail: redactDetail(raw), Path: SyncPath}
	if strings.Contains(e.Error(), "071oYFSN") || !strings.Contains(e.Error(), "too long") {
		t.Fatalf("error %s", e)
	}
	other := json.RawMessage(`{"field":"/out_table_no","value":"A3"}`)
	if got := string(redactDetail(other)); got != string(other) {
		t.Errorf("an ordinary detail changed: %s", got)
	}
}

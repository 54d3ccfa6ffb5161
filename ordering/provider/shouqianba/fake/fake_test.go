package fake

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func start(t *testing.T) *Server {
	t.Helper()
	s, err := Start("127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func call(t *testing.T, s *Server, path string, body []byte, auth string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func md5hex(b []byte, key string) string {
	sum := md5.Sum(append(append([]byte(nil), b...), key...))
	return hex.EncodeToString(sum[:])
}

func TestActivationChecks(t *testing.T) {
	s := start(t)
	code := s.IssueActivationCode(1)
	body := []byte(`{"app_id":"` + s.AppID() + `","code":"` + code + `","device_id":"d1"}`)
	other := []byte(`{"app_id":"` + s.AppID() + `","code":"` + code + `","device_id":"d2"}`)
	if got := call(t, s, "/terminal/activate", other, s.VendorSN()+" "+md5hex(body, s.VendorKey())); got["error_code"] != "ILLEGAL_SIGN" {
		t.Fatalf("a body other than the signed one: %v", got)
	}
	if got := call(t, s, "/terminal/activate", body, s.VendorSN()+" "+strings.ToUpper(md5hex(body, s.VendorKey()))); got["result_code"] != "200" {
		t.Fatalf("upper-case hex (accepted: the case is not documented): %v", got)
	}
	if got := call(t, s, "/terminal/activate", other, s.VendorSN()+" "+md5hex(other, s.VendorKey())); got["result_code"] != "400" {
		t.Fatalf("a used-up code activated again: %v", got)
	}
	biz := call(t, s, "/terminal/activate", body, s.VendorSN()+" "+md5hex(body, s.VendorKey()))
	if biz["result_code"] != "400" {
		t.Fatalf("the same device again: %v", biz)
	}
}

func TestAmountsAreStringsOfFen(t *testing.T) {
	s := start(t)
	code := s.IssueActivationCode(1)
	body := []byte(`{"app_id":"` + s.AppID() + `","code":"` + code + `","device_id":"d1"}`)
	act := call(t, s, "/terminal/activate", body, s.VendorSN()+" "+md5hex(body, s.VendorKey()))
	term := act["biz_response"].(map[string]any)
	sn, key := term["terminal_sn"].(string), term["terminal_key"].(string)
	for _, b := range []string{
		`{"terminal_sn":"` + sn + `","client_sn":"P1","refund_request_no":"R1","operator":"o","refund_amount":12.5}`,
		`{"terminal_sn":"` + sn + `","client_sn":"P1","refund_request_no":"R1","operator":"o","refund_amount":"12.50"}`,
	} {
		got := call(t, s, "/upay/v2/refund", []byte(b), sn+" "+md5hex([]byte(b), key))
		if got["result_code"] != "400" || got["error_code"] != "INVALID_PARAMS" {
			t.Errorf("%s: %v", b, got)
		}
	}
}

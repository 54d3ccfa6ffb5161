package fake

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	keysOnce               sync.Once
	merchant, wechat, cert *rsa.PrivateKey
)

func keys() (m, w, c *rsa.PrivateKey) {
	keysOnce.Do(func() {
		for _, k := range []**rsa.PrivateKey{&merchant, &wechat, &cert} {
			var err error
			if *k, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
				panic(err)
			}
		}
	})
	return merchant, wechat, cert
}

const (
	mchID  = "1900000100"
	serial = "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"
)

type rig struct {
	t   *testing.T
	s   *Server
	url string
	now time.Time
}

func newRig(t *testing.T, edit func(*Options)) *rig {
	t.Helper()
	m, w, c := keys()
	r := &rig{t: t, now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	opts := Options{MchID: mchID, MerchantSerial: serial, MerchantPublicKey: &m.PublicKey, Key: w, CertKey: c,
		SpAppID:      "wx8888888888888888",
		SubMerchants: []SubMerchant{{SubMchID: "1900000109", SubAppID: "wx1234567890abcdef"}},
		Now:          func() time.Time { return r.now }}
	if edit != nil {
		edit(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); srv.Close() })
	r.s, r.url = s, srv.URL
	return r
}

// signed is a request signed by this test's own code, per the APIv3 rules.
type signed struct {
	method, uri string
	body        []byte
	ts          int64
	nonce       string
	mchid       string
	serial      string
	key         *rsa.PrivateKey
	header      func(h http.Header)
	auth        func(string) string
}

func (r *rig) do(req signed) (*http.Response, []byte) {
	r.t.Helper()
	if req.method == "" {
		req.method = http.MethodPost
	}
	if req.uri == "" {
		req.uri = SyncPath
	}
	if req.ts == 0 {
		req.ts = r.now.Unix()
	}
	if req.nonce == "" {
		req.nonce = randomString(32)
	}
	if req.mchid == "" {
		req.mchid = mchID
	}
	if req.serial == "" {
		req.serial = serial
	}
	if req.key == nil {
		req.key, _, _ = keys()
	}
	msg := fmt.Sprintf("%s\n%s\n%d\n%s\n%s\n", req.method, req.uri, req.ts, req.nonce, req.body)
	sum := sha256.Sum256([]byte(msg))
	sig, _ := rsa.SignPKCS1v15(nil, req.key, crypto.SHA256, sum[:])
	auth := fmt.Sprintf(`WECHATPAY2-SHA256-RSA2048 mchid="%s",nonce_str="%s",timestamp="%d",serial_no="%s",signature="%s"`,
		req.mchid, req.nonce, req.ts, req.serial, base64.StdEncoding.EncodeToString(sig))
	if req.auth != nil {
		auth = req.auth(auth)
	}
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hr, _ := http.NewRequest(req.method, r.url+req.uri, body)
	hr.Header.Set("Authorization", auth)
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", "fake-test")
	hr.Header.Set("Content-Type", "application/json")
	if req.header != nil {
		req.header(hr.Header)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, data
}

// verifyReply checks the fake's reply signature with the given key.
func verifyReply(t *testing.T, resp *http.Response, body []byte, pub *rsa.PublicKey) error {
	t.Helper()
	msg := resp.Header.Get("Wechatpay-Timestamp") + "\n" + resp.Header.Get("Wechatpay-Nonce") + "\n" + string(body) + "\n"
	sig, err := base64.StdEncoding.DecodeString(resp.Header.Get("Wechatpay-Signature"))
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(msg))
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig)
}

// seedBody is the seed's example in service-provider form (no channel_id,
// sub_openid only) with properties from the vocabularies.
func seedBody() map[string]any {
	return map[string]any{
		"sp_mchid": mchID, "sp_appid": "wx8888888888888888", "sub_mchid": "1900000109",
		"sub_appid": "wx1234567890abcdef", "out_shop_no": "6895", "sub_openid": "oYobu0Dmn6TdodZnFWKOEkqoRbI8",
		"login_token": "071oYFSN19sCH31AyNSN15QDSN1oYFSA", "order_entry": "http://www.example.com",
		"total_amount": 1000, "discount_amount": 100, "user_amount": 900, "status": "CREATE_DEAL",
		"action_time": "2018-06-08T10:34:56+08:00", "out_order_no": "20150806125346", "out_table_no": "1",
		"people_count": 2,
		"dish_list": []any{map[string]any{
			"out_dish_no": "1", "name": "清汤锅底", "price": 1, "unit": "BY_SHARE", "count": json.Number("1.5"),
			"discount": 100, "type": "FAST_FOOD", "priority": 1,
			"properties": map[string]any{"taste": "辣", "cuisine": "炒", "main_material": "猪", "ingredients": "葱 | 八角", "others": "有机 | 农家"},
		}},
	}
}

func encode(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e struct{ Code string }
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e.Code
}

func TestAcceptsASignedSeedBodyAndSignsTheReply(t *testing.T) {
	r := newRig(t, nil)
	body := encode(t, seedBody())
	resp, data := r.do(signed{body: body})
	if resp.StatusCode != http.StatusNoContent || len(data) != 0 {
		t.Fatalf("status %d body %s", resp.StatusCode, data)
	}
	if resp.Header.Get("Wechatpay-Serial") != r.s.PublicKeyID() {
		t.Errorf("serial %q", resp.Header.Get("Wechatpay-Serial"))
	}
	if err := verifyReply(t, resp, data, r.s.PublicKey()); err != nil {
		t.Errorf("reply does not verify with the public key: %v", err)
	}
	if got := r.s.Syncs(); len(got) != 1 || !bytes.Equal(got[0], body) {
		t.Errorf("syncs %q", got)
	}
}

func TestRefusesWhatWeChatPayRefuses(t *testing.T) {
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	good := func(t *testing.T) []byte { return encode(t, seedBody()) }
	tests := []struct {
		name   string
		req    func(t *testing.T, r *rig) signed
		status int
		code   string
	}{
		{"another key", func(t *testing.T, r *rig) signed { return signed{body: good(t), key: other} }, 401, "SIGN_ERROR"},
		{"wrong mchid", func(t *testing.T, r *rig) signed { return signed{body: good(t), mchid: "1900000999"} }, 401, "SIGN_ERROR"},
		{"wrong serial", func(t *testing.T, r *rig) signed { return signed{body: good(t), serial: "ABCDEF"} }, 401, "SIGN_ERROR"},
		{"stale timestamp", func(t *testing.T, r *rig) signed {
			return signed{body: good(t), ts: r.now.Add(-6 * time.Minute).Unix()}
		}, 401, "SIGN_ERROR"},
		{"future timestamp", func(t *testing.T, r *rig) signed {
			return signed{body: good(t), ts: r.now.Add(6 * time.Minute).Unix()}
		}, 401, "SIGN_ERROR"},
		{"milliseconds", func(t *testing.T, r *rig) signed { return signed{body: good(t), ts: r.now.UnixMilli()} }, 401, "SIGN_ERROR"},
		{"other scheme", func(t *testing.T, r *rig) signed {
			return signed{body: good(t), auth: func(a string) string {
				return strings.Replace(a, "WECHATPAY2-SHA256-RSA2048", "WECHATPAY2-SM2-WITH-SM3", 1)
			}}
		}, 401, "SIGN_ERROR"},
		{"unquoted", func(t *testing.T, r *rig) signed {
			return signed{body: good(t), auth: func(a string) string { return strings.Replace(a, `mchid="`+mchID+`"`, "mchid="+mchID, 1) }}
		}, 401, "SIGN_ERROR"},
		{"no user agent", func(t *testing.T, r *rig) signed {
			return signed{body: good(t), header: func(h http.Header) { h.Set("User-Agent", "") }}
		}, 400, "INVALID_REQUEST"},
		{"no accept", func(t *testing.T, r *rig) signed {
			return signed{body: good(t), header: func(h http.Header) { h.Del("Accept") }}
		}, 400, "INVALID_REQUEST"},
		{"unknown path", func(t *testing.T, r *rig) signed { return signed{uri: "/v3/nothing", body: good(t)} }, 404, "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, nil)
			resp, data := r.do(tt.req(t, r))
			if resp.StatusCode != tt.status || errorCode(t, data) != tt.code {
				t.Fatalf("got %d %s, want %d %s", resp.StatusCode, data, tt.status, tt.code)
			}
			if err := verifyReply(t, resp, data, r.s.PublicKey()); err != nil {
				t.Errorf("error reply not signed: %v", err)
			}
			if len(r.s.Syncs()) != 0 {
				t.Error("a refused request was accepted")
			}
		})
	}
}

func TestBodyChangedAfterSigningIsSignError(t *testing.T) {
	r := newRig(t, nil)
	body := encode(t, seedBody())
	m, _, _ := keys()
	ts, nonce := r.now.Unix(), randomString(32)
	msg := fmt.Sprintf("POST\n%s\n%d\n%s\n%s\n", SyncPath, ts, nonce, body)
	sum := sha256.Sum256([]byte(msg))
	sig, _ := rsa.SignPKCS1v15(nil, m, crypto.SHA256, sum[:])
	auth := fmt.Sprintf(`WECHATPAY2-SHA256-RSA2048 serial_no="%s",signature="%s",mchid="%s",timestamp="%d",nonce_str="%s"`,
		serial, base64.StdEncoding.EncodeToString(sig), mchID, ts, nonce)
	send := func(b []byte) (int, []byte) {
		req, _ := http.NewRequest(http.MethodPost, r.url+SyncPath, bytes.NewReader(b))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Accept", "*/*")
		req.Header.Set("User-Agent", "x")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, data
	}
	tampered := bytes.Replace(body, []byte(`"user_amount":900`), []byte(`"user_amount":800`), 1)
	if status, data := send(tampered); status != 401 || !strings.Contains(string(data), "sign_information") {
		t.Fatalf("tampered body: %d %s", status, data)
	}
	// Pair order is free: the same header, reordered, is accepted once...
	if status, data := send(body); status != 204 {
		t.Fatalf("reordered pairs: %d %s", status, data)
	}
	// ...and refused as a replay the second time.
	if status, data := send(body); status != 401 || !strings.Contains(string(data), "重放") {
		t.Fatalf("replayed nonce: %d %s", status, data)
	}
}

func TestBodyRules(t *testing.T) {
	dish := func(m map[string]any) map[string]any { return m["dish_list"].([]any)[0].(map[string]any) }
	tests := []struct {
		name   string
		mode   string
		edit   func(m map[string]any)
		status int
		field  string
	}{
		{"seed example", "", func(m map[string]any) {}, 204, ""},
		{"null field", "", func(m map[string]any) { m["out_table_no"] = nil }, 400, "/out_table_no"},
		{"emoji", "", func(m map[string]any) { dish(m)["name"] = "锅底🔥" }, 400, "/dish_list/0/name"},
		{"missing out_shop_no", "", func(m map[string]any) { delete(m, "out_shop_no") }, 400, "/out_shop_no"},
		{"missing sp_appid", "", func(m map[string]any) { delete(m, "sp_appid") }, 400, "/sp_appid"},
		{"channel_id in sp mode", "", func(m map[string]any) { m["channel_id"] = "1900000111" }, 400, "/channel_id"},
		{"both openids", "", func(m map[string]any) { m["openid"] = "oXyz" }, 400, "/openid"},
		{"no openid", "", func(m map[string]any) { delete(m, "sub_openid") }, 400, "/sub_openid"},
		{"sub_openid without sub_appid", "", func(m map[string]any) { delete(m, "sub_appid") }, 400, "/sub_appid"},
		{"sp_mchid not the signer", "", func(m map[string]any) { m["sp_mchid"] = "1900000999" }, 400, "/sp_mchid"},
		{"sub-merchant not bound", "", func(m map[string]any) { m["sub_mchid"] = "1900000888" }, 403, ""},
		{"long login_token", "", func(m map[string]any) { m["login_token"] = strings.Repeat("a", 257) }, 400, "/login_token"},
		{"status", "", func(m map[string]any) { m["status"] = "CANCELLED" }, 400, "/status"},
		{"pay success without transaction", "", func(m map[string]any) { m["status"] = "PAY_SUCCESS" }, 400, "/pay_time"},
		{"pay success", "", func(m map[string]any) {
			m["status"], m["pay_time"], m["transaction_id"], m["out_trade_no"] = "PAY_SUCCESS", "2018-06-08T10:40:00+08:00", "4200001234", "20150806125346X1"
		}, 204, ""},
		{"time format", "", func(m map[string]any) { m["action_time"] = "2018-06-08 10:34:56" }, 400, "/action_time"},
		{"amount as float", "", func(m map[string]any) { m["user_amount"] = json.Number("900.0") }, 400, "/user_amount"},
		{"amounts do not add up", "", func(m map[string]any) { m["user_amount"] = 800 }, 400, "/total_amount"},
		{"three decimals", "", func(m map[string]any) { dish(m)["count"] = json.Number("1.505") }, 400, "/dish_list/0/count"},
		{"zero count", "", func(m map[string]any) { dish(m)["count"] = json.Number("0") }, 400, "/dish_list/0/count"},
		{"unit", "", func(m map[string]any) { dish(m)["unit"] = "BY_CUP" }, 400, "/dish_list/0/unit"},
		{"type", "", func(m map[string]any) { dish(m)["type"] = "GUANGDONG_CUISINE" }, 400, "/dish_list/0/type"},
		{"priority", "", func(m map[string]any) { dish(m)["priority"] = 101 }, 400, "/dish_list/0/priority"},
		{"discount", "", func(m map[string]any) { dish(m)["discount"] = 120 }, 400, "/dish_list/0/discount"},
		{"spec outside vocabulary", "", func(m map[string]any) { dish(m)["properties"].(map[string]any)["taste"] = "三分糖" }, 400, "/dish_list/0/properties/taste"},
		{"properties lack a required one", "", func(m map[string]any) { delete(dish(m)["properties"].(map[string]any), "cuisine") }, 400, "/dish_list/0/properties/cuisine"},
		{"empty dish list", "", func(m map[string]any) { m["dish_list"] = []any{} }, 400, "/dish_list"},
		{"unknown field", "", func(m map[string]any) { m["remark"] = "x" }, 400, "/remark"},
		{"channel mode", ModeChannel, func(m map[string]any) {
			delete(m, "sp_mchid")
			delete(m, "sp_appid")
			m["channel_id"] = mchID
		}, 204, ""},
		{"channel mode with openid", ModeChannel, func(m map[string]any) {
			delete(m, "sp_mchid")
			delete(m, "sp_appid")
			delete(m, "sub_openid")
			m["channel_id"], m["openid"] = mchID, "oXyz"
		}, 400, "/openid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, func(o *Options) {
				if tt.mode != "" {
					o.Mode = tt.mode
				}
			})
			m := seedBody()
			tt.edit(m)
			resp, data := r.do(signed{body: encode(t, m)})
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d %s, want %d", resp.StatusCode, data, tt.status)
			}
			if tt.field != "" {
				var e struct{ Detail struct{ Field string } }
				_ = json.Unmarshal(data, &e)
				if e.Detail.Field != tt.field || errorCode(t, data) != "PARAM_ERROR" {
					t.Errorf("answer %s, want PARAM_ERROR on %s", data, tt.field)
				}
			}
		})
	}
}

func TestCertificatesAreEncryptedWithTheAPIv3Key(t *testing.T) {
	r := newRig(t, func(o *Options) { o.SignWith = SignWithCertificate })
	resp, data := r.do(signed{method: http.MethodGet, uri: CertificatesPath})
	if resp.StatusCode != 200 {
		t.Fatalf("status %d %s", resp.StatusCode, data)
	}
	var list struct {
		Data []struct {
			SerialNo           string `json:"serial_no"`
			EncryptCertificate struct {
				Algorithm, Nonce, Ciphertext string
				AssociatedData               string `json:"associated_data"`
			} `json:"encrypt_certificate"`
		}
	}
	if err := json.Unmarshal(data, &list); err != nil || len(list.Data) != 1 {
		t.Fatalf("list %s: %v", data, err)
	}
	e := list.Data[0].EncryptCertificate
	block, _ := aes.NewCipher([]byte(r.s.APIv3Key()))
	gcm, _ := cipher.NewGCM(block)
	raw, _ := base64.StdEncoding.DecodeString(e.Ciphertext)
	plain, err := gcm.Open(nil, []byte(e.Nonce), raw, []byte(e.AssociatedData))
	if err != nil || e.Algorithm != "AEAD_AES_256_GCM" {
		t.Fatalf("decrypt %s: %v", e.Algorithm, err)
	}
	p, _ := pem.Decode(plain)
	c, err := x509.ParseCertificate(p.Bytes)
	if err != nil || fmt.Sprintf("%X", c.SerialNumber) != list.Data[0].SerialNo {
		t.Fatalf("certificate: %v", err)
	}
	if resp.Header.Get("Wechatpay-Serial") != list.Data[0].SerialNo {
		t.Errorf("reply signed by %q, not the listed certificate", resp.Header.Get("Wechatpay-Serial"))
	}
	if err := verifyReply(t, resp, data, c.PublicKey.(*rsa.PublicKey)); err != nil {
		t.Errorf("reply does not verify with the certificate: %v", err)
	}
	if _, err := r.s.RotateCertificate(); err != nil {
		t.Fatal(err)
	}
	_, data = r.do(signed{method: http.MethodGet, uri: CertificatesPath})
	if n := strings.Count(string(data), "serial_no"); n != 2 {
		t.Errorf("after a rotation %d certificates are listed", n)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		kind     FaultKind
		status   int
		code     string
		accepted bool
	}{
		{FaultSystemError, 500, "SYSTEM_ERROR", false},
		{FaultUnavailable, 503, "SERVICE_UNAVAILABLE", false},
		{FaultRateLimit, 429, "RATELIMIT_EXCEEDED", false},
		{FaultSignError, 401, "SIGN_ERROR", false},
		{FaultNoAuth, 403, "NO_AUTH", false},
		{FaultParamError, 400, "PARAM_ERROR", false},
		{FaultTamperedReply, 204, "", true},
		{FaultStaleReply, 204, "", true},
		{FaultUnknownSerial, 204, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			r := newRig(t, nil)
			r.s.SetFault(Fault{Kind: tt.kind, Path: SyncPath, Times: 1})
			resp, data := r.do(signed{body: encode(t, seedBody())})
			if resp.StatusCode != tt.status || (tt.code != "" && errorCode(t, data) != tt.code) {
				t.Fatalf("got %d %s", resp.StatusCode, data)
			}
			verr := verifyReply(t, resp, data, r.s.PublicKey())
			ts, _ := strconv.ParseInt(resp.Header.Get("Wechatpay-Timestamp"), 10, 64)
			switch tt.kind {
			case FaultTamperedReply:
				if verr == nil {
					t.Error("tampered reply verifies")
				}
			case FaultStaleReply:
				if verr != nil || r.now.Unix()-ts < 300 {
					t.Errorf("stale reply: verify %v, age %ds", verr, r.now.Unix()-ts)
				}
			case FaultUnknownSerial:
				if resp.Header.Get("Wechatpay-Serial") == r.s.PublicKeyID() {
					t.Error("serial not changed")
				}
			default:
				if verr != nil {
					t.Errorf("error reply not signed: %v", verr)
				}
			}
			if got := len(r.s.Syncs()) == 1; got != tt.accepted {
				t.Errorf("accepted = %v", got)
			}
			if rec := r.s.Received(); len(rec) != 1 || rec[0].Fault != tt.kind {
				t.Errorf("recorded %+v", rec)
			}
			// Times: 1 — the next request is normal.
			resp, data = r.do(signed{body: encode(t, seedBody())})
			if resp.StatusCode != 204 {
				t.Errorf("after the fault: %d %s", resp.StatusCode, data)
			}
		})
	}
}

func TestHangAndDrop(t *testing.T) {
	r := newRig(t, nil)
	r.s.SetFault(Fault{Kind: FaultDropAfterProcess, Times: 1})
	body := encode(t, seedBody())
	m, _, _ := keys()
	req := func() *http.Request {
		ts, nonce := r.now.Unix(), randomString(32)
		sum := sha256.Sum256(fmt.Appendf(nil, "POST\n%s\n%d\n%s\n%s\n", SyncPath, ts, nonce, body))
		sig, _ := rsa.SignPKCS1v15(nil, m, crypto.SHA256, sum[:])
		hr, _ := http.NewRequest(http.MethodPost, r.url+SyncPath, bytes.NewReader(body))
		hr.Header.Set("Authorization", fmt.Sprintf(`WECHATPAY2-SHA256-RSA2048 mchid="%s",nonce_str="%s",timestamp="%d",serial_no="%s",signature="%s"`,
			mchID, nonce, ts, serial, base64.StdEncoding.EncodeToString(sig)))
		hr.Header.Set("Accept", "application/json")
		hr.Header.Set("User-Agent", "x")
		hr.Header.Set("Content-Type", "application/json")
		return hr
	}
	if _, err := http.DefaultClient.Do(req()); err == nil {
		t.Fatal("a dropped connection gave an answer")
	}
	if len(r.s.Syncs()) != 1 {
		t.Fatal("the dropped request was not processed")
	}
	r.s.SetFault(Fault{Kind: FaultHang, Times: 1})
	client := &http.Client{Timeout: 200 * time.Millisecond}
	if _, err := client.Do(req()); err == nil {
		t.Fatal("a hanging request gave an answer")
	}
}

func TestFailureRate(t *testing.T) {
	r := newRig(t, func(o *Options) { o.FailureRate, o.Seed = 0.5, 7 })
	codes := map[int]int{}
	for range 40 {
		resp, _ := r.do(signed{body: encode(t, seedBody())})
		codes[resp.StatusCode]++
	}
	if codes[204] == 0 || codes[500]+codes[429] == 0 || codes[204]+codes[500]+codes[429] != 40 {
		t.Fatalf("answers %v", codes)
	}
}

func TestSandboxServesOverTCP(t *testing.T) {
	sb, err := StartSandbox("127.0.0.1:0", []SubMerchant{{SubMchID: "1900000109", SubAppID: "wx1234567890abcdef"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Server.Close()
	m := seedBody()
	m["sp_mchid"], m["sp_appid"] = sb.MchID, sb.SpAppID
	body := encode(t, m)
	r := &rig{t: t, s: sb.Server, url: sb.BaseURL, now: time.Now()}
	resp, data := r.do(signed{body: body, key: sb.MerchantKey, mchid: sb.MchID, serial: sb.MerchantSerial})
	if resp.StatusCode != 204 {
		t.Fatalf("sandbox answered %d %s", resp.StatusCode, data)
	}
}

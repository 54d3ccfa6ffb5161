package wechatpay

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/wechatpay/fake"
)

func (h *harness) body(o *SyncOrder) []byte {
	h.t.Helper()
	b, err := BuildSyncBody(&h.cfg, o)
	if err != nil {
		h.t.Fatal(err)
	}
	return b
}

func (h *harness) sync(o *SyncOrder) (*Reply, error) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return h.client.SyncStatus(ctx, h.body(o), o.Ref())
}

func TestRoundTripWithPublicKey(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	o := sampleOrder()
	reply, err := h.sync(o)
	if err != nil {
		t.Fatal(err)
	}
	if reply.HTTPStatus != http.StatusNoContent || reply.RequestID == "" {
		t.Errorf("reply %+v", reply)
	}
	got := h.fake.Syncs()
	if len(got) != 1 || !bytes.Equal(got[0], h.body(o)) {
		t.Fatalf("fake received %q", got)
	}
	rec := h.fake.Received()[0]
	if ua := rec.Header.Get("User-Agent"); !strings.HasPrefix(ua, "posbridge/test (") || rec.Header.Get("Accept") != "application/json" {
		t.Errorf("headers %v", rec.Header)
	}
	// PAY_SUCCESS of the same order goes through too.
	o.Action = ActionPaySuccess
	o.Payment = &SyncPayment{PayTime: o.ActionTime.Add(time.Minute), TransactionID: "4200001234202603010000001", OutTradeNo: "11568882596073X97833"}
	if _, err := h.sync(o); err != nil {
		t.Fatal(err)
	}
}

func TestRoundTripChannelMode(t *testing.T) {
	h := newHarness(t, harnessOpts{channel: true})
	if _, err := h.sync(sampleOrder()); err != nil {
		t.Fatal(err)
	}
	if auth := h.fake.Received()[0].Header.Get("Authorization"); !strings.Contains(auth, `mchid="`+testChannelID+`"`) {
		t.Errorf("channel mode signs as %s", auth)
	}
}

func TestRoundTripWithPlatformCertificates(t *testing.T) {
	h := newHarness(t, harnessOpts{certificates: true, signWith: fake.SignWithCertificate})
	if len(h.client.Certificates()) != 0 {
		t.Fatal("certificates before the first reply")
	}
	if _, err := h.sync(sampleOrder()); err != nil {
		t.Fatal(err)
	}
	// The sync's reply names a certificate the client does not have yet: it
	// downloads them to verify the reply.
	rec := h.fake.Received()
	if len(rec) != 2 || rec[0].URI != SyncPath || rec[1].URI != CertificatesPath {
		t.Fatalf("requests %v", uris(rec))
	}
	_, serial := h.fake.Certificate()
	if certs := h.client.Certificates(); len(certs) != 1 || certs[0].Serial != serial {
		t.Fatalf("certificates %+v, fake's %s", certs, serial)
	}
	// Cached: the next sync downloads nothing.
	if _, err := h.sync(sampleOrder()); err != nil {
		t.Fatal(err)
	}
	if n := len(h.fake.Received()); n != 3 {
		t.Fatalf("%d requests, want 3 (certificates cached)", n)
	}
	// A rotation: the reply names a new serial, the client downloads once.
	newSerial, err := h.fake.RotateCertificate()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.sync(sampleOrder()); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if !hasCert(h.client.Certificates(), newSerial) {
		t.Fatal("the rotated certificate was not downloaded")
	}
	// After 12 h they are downloaded again.
	before := len(h.fake.Received())
	h.clock.Advance(CertRefreshEvery + time.Minute)
	if _, err := h.sync(sampleOrder()); err != nil {
		t.Fatal(err)
	}
	if rec := h.fake.Received()[before:]; len(rec) != 2 || rec[1].URI != CertificatesPath {
		t.Fatalf("after 12 h: %v", uris(rec))
	}
}

func TestMigrationAcceptsBothKeys(t *testing.T) {
	h := newHarness(t, harnessOpts{publicKey: true, certificates: true, signWith: fake.SignWithCertificate})
	if _, err := h.sync(sampleOrder()); err != nil {
		t.Fatalf("certificate-signed reply: %v", err)
	}
	h.fake.SetSignWith(fake.SignWithPublicKey)
	if _, err := h.sync(sampleOrder()); err != nil {
		t.Fatalf("public-key-signed reply: %v", err)
	}
}

func TestWrongAPIv3KeyIsAnAlert(t *testing.T) {
	h := newHarness(t, harnessOpts{certificates: true, signWith: fake.SignWithCertificate,
		editCfg: func(c *Config) { c.APIv3Key = strings.Repeat("x", 32) }})
	_, err := h.sync(sampleOrder())
	var ce *CertificateError
	if !errors.As(err, &ce) && !isVerify(err, VerifyUnknownSerial) {
		t.Fatalf("err %v", err)
	}
	if Classify(err) != ClassAlert {
		t.Errorf("class %v", Classify(err))
	}
	if _, err := h.client.RefreshCertificates(context.Background()); !errors.As(err, &ce) || !strings.Contains(InstallerMessage(err), "apiv3_key") {
		t.Errorf("refresh: %v / %s", err, InstallerMessage(err))
	}
}

func TestRefusedReplies(t *testing.T) {
	tests := []struct {
		name   string
		fault  fake.FaultKind
		reason VerifyReason
		opts   harnessOpts
	}{
		{"tampered", fake.FaultTamperedReply, VerifyBadSignature, harnessOpts{}},
		{"stale", fake.FaultStaleReply, VerifyStale, harnessOpts{}},
		{"unknown serial", fake.FaultUnknownSerial, VerifyUnknownSerial, harnessOpts{}},
		{"tampered, certificates", fake.FaultTamperedReply, VerifyBadSignature, harnessOpts{certificates: true, signWith: fake.SignWithCertificate}},
		{"unknown serial, certificates", fake.FaultUnknownSerial, VerifyUnknownSerial, harnessOpts{certificates: true, signWith: fake.SignWithCertificate}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.opts)
			h.fake.SetFault(fake.Fault{Kind: tt.fault, Path: SyncPath, Times: 1})
			reply, err := h.sync(sampleOrder())
			if reply != nil || !isVerify(err, tt.reason) {
				t.Fatalf("reply %+v, err %v; want a %s refusal", reply, err, tt.reason)
			}
			if len(h.fake.Syncs()) != 1 {
				t.Fatal("the fake did not process the sync: the test proves nothing")
			}
			if Classify(err) != ClassAlert || RetryAfter(err) < AlertRetryInterval {
				t.Errorf("class %v, retry after %v", Classify(err), RetryAfter(err))
			}
			if InstallerMessage(err) == "" {
				t.Error("no installer message")
			}
			// The same body again, now answered properly, is a success.
			if _, err := h.sync(sampleOrder()); err != nil {
				t.Fatal(err)
			}
			if s := h.fake.Syncs(); len(s) != 2 || !bytes.Equal(s[0], s[1]) {
				t.Fatal("the retry did not send the same body")
			}
		})
	}
}

func TestUnsignedSuccessIsRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer srv.Close()
	h := newHarness(t, harnessOpts{editCfg: func(c *Config) {}})
	h.cfg.BaseURL = srv.URL
	c := h.newClient()
	o := sampleOrder()
	_, err := c.SyncStatus(context.Background(), h.body(o), o.Ref())
	if !isVerify(err, VerifyMissingHeaders) {
		t.Fatalf("an unsigned 204 gave %v", err)
	}
}

func TestErrorClasses(t *testing.T) {
	tests := []struct {
		name       string
		fault      fake.FaultKind
		status     int
		code       string
		class      Class
		retryAfter time.Duration
		says       string
	}{
		{"500", fake.FaultSystemError, 500, "SYSTEM_ERROR", ClassRetry, 0, "系统错误"},
		{"503", fake.FaultUnavailable, 503, "SERVICE_UNAVAILABLE", ClassRetry, 0, "服务不可用"},
		{"429", fake.FaultRateLimit, 429, "RATELIMIT_EXCEEDED", ClassRetry, time.Second, "频繁"},
		{"401", fake.FaultSignError, 401, "SIGN_ERROR", ClassAlert, AlertRetryInterval, "merchant_serial_no"},
		{"403", fake.FaultNoAuth, 403, "NO_AUTH", ClassAlert, AlertRetryInterval, "没有权限"},
		{"400", fake.FaultParamError, 400, "PARAM_ERROR", ClassNever, 0, "不会重试"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, harnessOpts{})
			h.fake.SetFault(fake.Fault{Kind: tt.fault, Times: 1})
			_, err := h.sync(sampleOrder())
			var ae *APIError
			if !errors.As(err, &ae) || ae.HTTPStatus != tt.status || ae.Code != tt.code {
				t.Fatalf("err %v", err)
			}
			if !ae.Verified || ae.RequestID == "" || ae.Message == "" {
				t.Errorf("error reply: verified %v, request id %q, message %q", ae.Verified, ae.RequestID, ae.Message)
			}
			if got := Classify(err); got != tt.class {
				t.Errorf("class %v, want %v", got, tt.class)
			}
			if got := RetryAfter(err); got != tt.retryAfter {
				t.Errorf("retry after %v, want %v", got, tt.retryAfter)
			}
			if msg := InstallerMessage(err); !strings.Contains(msg, tt.says) || !strings.Contains(msg, ae.Message) {
				t.Errorf("installer message %q lacks %q or WeChat's own message", msg, tt.says)
			}
		})
	}
}

func TestRealSignatureErrorsAreAlerts(t *testing.T) {
	tests := map[string]func(h *harness){
		"wrong serial":   func(h *harness) { h.cfg.MerchantSerialNo = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1" },
		"wrong merchant": func(h *harness) { h.cfg.SpMchID = "1900000999" },
		"clock 6 min ahead": func(h *harness) {
			h.cfg.MerchantSerialNo = testSerial
			h.client.now = func() time.Time { return h.clock.Now().Add(6 * time.Minute) }
		},
		"another key": func(h *harness) {
			_, w := testKeys(t)
			h.creds = &Credentials{MerchantKey: w, PublicKey: h.creds.PublicKey}
		},
	}
	for name, edit := range tests {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, harnessOpts{})
			edit(h)
			if !strings.HasPrefix(name, "clock") {
				h.client = h.newClient()
			}
			_, err := h.sync(sampleOrder())
			var ae *APIError
			if !errors.As(err, &ae) || ae.Code != "SIGN_ERROR" || Classify(err) != ClassAlert {
				t.Fatalf("err %v (class %v)", err, Classify(err))
			}
		})
	}
}

func TestBodyTheFakeRefusesIsNeverRetried(t *testing.T) {
	h := newHarness(t, harnessOpts{editFake: func(o *fake.Options) {
		o.SubMerchants = []fake.SubMerchant{{SubMchID: testSubMchID, SubAppID: "wx0000000000000000"}}
	}})
	_, err := h.sync(sampleOrder())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "PARAM_ERROR" || !strings.Contains(string(ae.Detail), "sub_appid") || Classify(err) != ClassNever {
		t.Fatalf("err %v", err)
	}
}

func TestNetworkFailuresAreRetried(t *testing.T) {
	t.Run("hang", func(t *testing.T) {
		h := newHarness(t, harnessOpts{})
		h.fake.SetFault(fake.Fault{Kind: fake.FaultHang, Times: 1})
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		o := sampleOrder()
		_, err := h.client.SyncStatus(ctx, h.body(o), o.Ref())
		var te *TransportError
		if !errors.As(err, &te) || Classify(err) != ClassRetry {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("reply lost after processing", func(t *testing.T) {
		h := newHarness(t, harnessOpts{})
		h.fake.SetFault(fake.Fault{Kind: fake.FaultDropAfterProcess, Times: 1})
		_, err := h.sync(sampleOrder())
		if Classify(err) != ClassRetry {
			t.Fatalf("err %v class %v", err, Classify(err))
		}
		if _, err := h.sync(sampleOrder()); err != nil {
			t.Fatal(err)
		}
		if s := h.fake.Syncs(); len(s) != 2 || !bytes.Equal(s[0], s[1]) {
			t.Fatalf("resend after a lost reply: %q", s)
		}
	})
	t.Run("nothing listening", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		h := newHarness(t, harnessOpts{})
		h.cfg.BaseURL = url
		c := h.newClient()
		o := sampleOrder()
		_, err := c.SyncStatus(context.Background(), h.body(o), o.Ref())
		var te *TransportError
		if !errors.As(err, &te) || Classify(err) != ClassRetry || !strings.Contains(InstallerMessage(err), "连不上微信支付") {
			t.Fatalf("err %v", err)
		}
	})
}

func TestSyncStatusRefusesABodyOfAnotherSync(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	o := sampleOrder()
	body := h.body(o)
	for _, ref := range []SyncRef{{OutOrderNo: o.OutOrderNo, Action: ActionPaySuccess}, {OutOrderNo: "other", Action: ActionCreateDeal}, {}} {
		if _, err := h.client.SyncStatus(context.Background(), body, ref); !errors.Is(err, ErrBadBody) || Classify(err) != ClassNever {
			t.Errorf("ref %+v: %v", ref, err)
		}
	}
	if _, err := h.client.SyncStatus(context.Background(), []byte("{"), o.Ref()); !errors.Is(err, ErrBadBody) {
		t.Errorf("broken body: %v", err)
	}
	if len(h.fake.Received()) != 0 {
		t.Error("a refused body was sent")
	}
}

func TestNewClientSaysWhatIsMissing(t *testing.T) {
	cfg := Config{Mode: ModeServiceProvider, BaseURL: "ftp://x"}
	_, err := NewClient(cfg, &Credentials{}, ClientOptions{})
	for _, want := range []string{"sp_mchid", "merchant_serial_no", "private key", "verify replies", "base_url"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

func isVerify(err error, reason VerifyReason) bool {
	var ve *VerifyError
	return errors.As(err, &ve) && ve.Reason == reason
}

func hasCert(certs []PlatformCertificate, serial string) bool {
	for _, c := range certs {
		if c.Serial == serial {
			return true
		}
	}
	return false
}

func uris(rs []fake.Request) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Method + " " + r.URI
	}
	return out
}

// TestGoldenBodiesPassTheFake sends every golden body to the fake in its
// mode: each must pass the seed's field rules.
func TestGoldenBodiesPassTheFake(t *testing.T) {
	for name, c := range loadCases(t) {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, harnessOpts{channel: c.Mode == ModeChannel})
			body, err := BuildSyncBody(bodyConfig(c.Mode), &c.Order)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.client.SyncStatus(context.Background(), body, c.Order.Ref()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

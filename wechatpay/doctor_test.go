package wechatpay

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/wechatpay/fake"
)

func merchantCert(t *testing.T, key *rsa.PrivateKey, serialHex string, notAfter time.Time) []byte {
	t.Helper()
	serial, _ := new(big.Int).SetString(serialHex, 16)
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: testSpMchID, Organization: []string{"微信商户系统"}},
		NotBefore: notAfter.AddDate(-5, 0, 0), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestDoctorKeyFiles(t *testing.T) {
	m, w := testKeys(t)
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		cert   []byte // written as apiclient_cert.pem next to the key; nil = none
		edit   func(c *Config)
		status DoctorStatus
		says   string
	}{
		{"matching", merchantCert(t, m, testSerial, now.AddDate(2, 0, 0)), nil, DoctorOK, "matches merchant_serial_no"},
		{"no certificate", nil, nil, DoctorSkip, "cannot be compared"},
		{"other serial", merchantCert(t, m, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1", now.AddDate(2, 0, 0)), nil, DoctorFail, "merchant_serial_no: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1"},
		{"other key", merchantCert(t, w, testSerial, now.AddDate(2, 0, 0)), nil, DoctorFail, "same download"},
		{"expiring", merchantCert(t, m, testSerial, now.AddDate(0, 0, 10)), nil, DoctorWarn, "renew"},
		{"expired", merchantCert(t, m, testSerial, now.AddDate(0, 0, -1)), nil, DoctorFail, "renew"},
		{"serial in lower case", merchantCert(t, m, testSerial, now.AddDate(2, 0, 0)), func(c *Config) { c.MerchantSerialNo = strings.ToLower(testSerial) }, DoctorOK, "matches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig(t)
			if tt.cert != nil {
				writeFile(t, filepath.Dir(c.PrivateKeyFile), MerchantCertFileName, tt.cert)
			}
			if tt.edit != nil {
				tt.edit(c)
			}
			rows := DoctorKeyFiles(c, "", now)
			if len(rows) != 2 || rows[0].Status != DoctorOK {
				t.Fatalf("rows %+v", rows)
			}
			row := rows[1]
			if row.Status != tt.status || !strings.Contains(row.Result+" "+row.Fix, tt.says) {
				t.Fatalf("row %+v, want %s …%s…", row, tt.status, tt.says)
			}
			if row.Status != DoctorOK && row.Status != DoctorSkip && row.Fix == "" {
				t.Error("a problem without a fix")
			}
		})
	}
	c := validConfig(t)
	c.PrivateKeyFile = c.PublicKeyFile
	if rows := DoctorKeyFiles(c, "", now); rows[0].Status != DoctorFail || rows[0].Fix == "" {
		t.Errorf("public key as private key: %+v", rows)
	}
}

func TestDoctorPublicKey(t *testing.T) {
	m, w := testKeys(t)
	tests := []struct {
		name   string
		edit   func(t *testing.T, c *Config)
		status DoctorStatus
		says   string
	}{
		{"good", func(t *testing.T, c *Config) {}, DoctorOK, testPubKeyID},
		{"certificate instead", func(t *testing.T, c *Config) {
			c.PublicKeyFile = writeFile(t, t.TempDir(), "cert.pem", merchantCert(t, w, "ABCD", time.Now().AddDate(1, 0, 0)))
		}, DoctorFail, "is a certificate"},
		{"own key", func(t *testing.T, c *Config) {
			c.PublicKeyFile = writeFile(t, t.TempDir(), "mine.pem", publicPEM(&m.PublicKey))
		}, DoctorFail, "your own merchant key"},
		{"id format", func(t *testing.T, c *Config) { c.PublicKeyID = "PUB-KEY-0114" }, DoctorFail, "PUB_KEY_ID_"},
		{"certificates instead", func(t *testing.T, c *Config) { c.PublicKeyID, c.PublicKeyFile, c.APIv3Key = "", "", testAPIv3Key }, DoctorSkip, "platform certificates"},
		{"nothing", func(t *testing.T, c *Config) { c.PublicKeyID, c.PublicKeyFile = "", "" }, DoctorFail, "cannot be verified"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig(t)
			tt.edit(t, c)
			row := DoctorPublicKey(c)
			if row.Status != tt.status || !strings.Contains(row.Result, tt.says) {
				t.Fatalf("row %+v", row)
			}
		})
	}
}

func TestDoctorClockAndCredentials(t *testing.T) {
	tests := []struct {
		name       string
		skew       time.Duration // fake's clock minus ours
		opts       harnessOpts
		fault      fake.FaultKind
		clock      DoctorStatus
		creds      DoctorStatus
		clockSays  string
		credsSays  string
		editClient func(h *harness)
	}{
		{"in step", 0, harnessOpts{}, fake.FaultNone, DoctorOK, DoctorOK, "agree", "accepted", nil},
		{"45 s behind", 45 * time.Second, harnessOpts{}, fake.FaultNone, DoctorWarn, DoctorOK, "45s behind", "verified", nil},
		{"3 min ahead", -3 * time.Minute, harnessOpts{}, fake.FaultNone, DoctorFail, DoctorOK, "3m0s ahead of", "verified", nil},
		{"certificates", 0, harnessOpts{certificates: true, signWith: fake.SignWithCertificate}, fake.FaultNone, DoctorOK, DoctorOK, "agree", "verified", nil},
		{"no product", 0, harnessOpts{}, fake.FaultNoAuth, DoctorOK, DoctorWarn, "agree", "NO_AUTH", nil},
		{"wrong serial", 0, harnessOpts{}, fake.FaultNone, DoctorOK, DoctorFail, "agree", "SIGN_ERROR", func(h *harness) {
			h.cfg.MerchantSerialNo = "ABCDEF"
			h.client = h.newClient()
		}},
		{"wrong public key", 0, harnessOpts{}, fake.FaultNone, DoctorOK, DoctorFail, "agree", "reply refused", func(h *harness) {
			m, _ := testKeys(t)
			h.creds.PublicKey = &m.PublicKey
			h.client = h.newClient()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.fakeSkew = tt.skew
			h := newHarness(t, tt.opts)
			if tt.fault != fake.FaultNone {
				h.fake.SetFault(fake.Fault{Kind: tt.fault, Times: 1})
			}
			if tt.editClient != nil {
				tt.editClient(h)
			}
			p := h.client.Probe(context.Background())
			clock, creds := DoctorClock(p), DoctorCredentials(p)
			if clock.Status != tt.clock || !strings.Contains(clock.Result, tt.clockSays) {
				t.Errorf("clock %+v", clock)
			}
			if creds.Status != tt.creds || !strings.Contains(creds.Result, tt.credsSays) {
				t.Errorf("credentials %+v", creds)
			}
			if tt.opts.certificates && len(h.client.Certificates()) != 1 {
				t.Error("the probe did not keep the certificates")
			}
		})
	}
	row := DoctorClock(ProbeResult{Err: &TransportError{Path: "/", Err: context.DeadlineExceeded}})
	if row.Status != DoctorWarn || !strings.Contains(row.Result, "no answer") {
		t.Errorf("no answer: %+v", row)
	}
}

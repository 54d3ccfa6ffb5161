package wechatpay

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

func seal(t *testing.T, key, nonce, ad string, plain []byte) string {
	t.Helper()
	block, err := aes.NewCipher([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	gcm, _ := cipher.NewGCM(block)
	return base64.StdEncoding.EncodeToString(gcm.Seal(nil, []byte(nonce), plain, []byte(ad)))
}

func TestDecryptAEADAES256GCM(t *testing.T) {
	const nonce, ad = "4de73afd28b6", "certificate"
	ct := seal(t, testAPIv3Key, nonce, ad, []byte("-----BEGIN CERTIFICATE-----"))
	if got, err := DecryptAEADAES256GCM(testAPIv3Key, nonce, ad, ct); err != nil || string(got) != "-----BEGIN CERTIFICATE-----" {
		t.Fatalf("%q %v", got, err)
	}
	raw, _ := base64.StdEncoding.DecodeString(ct)
	raw[0] ^= 1
	for name, args := range map[string][4]string{
		"wrong key":         {strings.Repeat("k", 32), nonce, ad, ct},
		"wrong nonce":       {testAPIv3Key, "000000000000", ad, ct},
		"wrong ad":          {testAPIv3Key, nonce, "transaction", ct},
		"altered":           {testAPIv3Key, nonce, ad, base64.StdEncoding.EncodeToString(raw)},
		"short key":         {"short", nonce, ad, ct},
		"ciphertext base64": {testAPIv3Key, nonce, ad, "%%%"},
	} {
		if _, err := DecryptAEADAES256GCM(args[0], args[1], args[2], args[3]); err == nil {
			t.Errorf("%s: decrypted", name)
		}
	}
}

func makeCert(t *testing.T, key *rsa.PrivateKey, serial *big.Int, notAfter time.Time) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "test"},
		NotBefore: notAfter.Add(-5 * 365 * 24 * time.Hour), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func certList(t *testing.T, entries ...[2]any) []byte {
	t.Helper()
	type ec struct {
		Algorithm      string `json:"algorithm"`
		Nonce          string `json:"nonce"`
		AssociatedData string `json:"associated_data"`
		Ciphertext     string `json:"ciphertext"`
	}
	var data []map[string]any
	for _, e := range entries {
		data = append(data, map[string]any{"serial_no": e[0], "encrypt_certificate": ec{"AEAD_AES_256_GCM", "abcdefghijkl", "certificate",
			seal(t, testAPIv3Key, "abcdefghijkl", "certificate", e[1].([]byte))}})
	}
	b, _ := json.Marshal(map[string]any{"data": data})
	return b
}

func TestDecodeCertificates(t *testing.T) {
	key := platformCertKey(t)
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	serial, _ := new(big.Int).SetString("0798ABFDCBBD0E2D5C1F6C5B3E2F1A0B9C8D7E6F", 16)
	valid := makeCert(t, key, serial, now.AddDate(4, 0, 0))
	expired := makeCert(t, key, big.NewInt(0x1234), now.AddDate(0, 0, -1))

	certs, err := decodeCertificates(certList(t, [2]any{"0798ABFDCBBD0E2D5C1F6C5B3E2F1A0B9C8D7E6F", valid}, [2]any{"1234", expired}), testAPIv3Key, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 1 || certs[serialKey("0798abfdcbbd0e2d5c1f6c5b3e2f1a0b9c8d7e6f")] == nil {
		t.Fatalf("certificates %v (the leading zero and the case must not matter; the expired one is dropped)", certs)
	}
	if _, err := decodeCertificates(certList(t, [2]any{"ABCDEF", valid}), testAPIv3Key, now); err == nil || !strings.Contains(err.Error(), "has serial") {
		t.Errorf("a certificate listed under another serial: %v", err)
	}
	if _, err := decodeCertificates(certList(t, [2]any{"1234", expired}), testAPIv3Key, now); err == nil {
		t.Error("a list of expired certificates was accepted")
	}
	if _, err := decodeCertificates(certList(t, [2]any{"0798ABFDCBBD0E2D5C1F6C5B3E2F1A0B9C8D7E6F", valid}), strings.Repeat("z", 32), now); err == nil {
		t.Error("decrypted with a wrong APIv3 key")
	}
}

func TestCertStoreDownloadsOnlyWhenNeeded(t *testing.T) {
	key := platformCertKey(t)
	clk := newClock()
	cert, _ := parseCertificate(makeCert(t, key, big.NewInt(0xABCD), clk.Now().AddDate(3, 0, 0)))
	calls, fail := 0, false
	s := &certStore{now: clk.Now, download: func(context.Context, certsByKey) (certsByKey, error) {
		calls++
		if fail {
			return nil, errors.New("network down")
		}
		return certsByKey{"ABCD": cert}, nil
	}}
	ctx := context.Background()
	if k, err := s.key(ctx, "abcd"); err != nil || k == nil || calls != 1 {
		t.Fatalf("first: %v, calls %d", err, calls)
	}
	if _, err := s.key(ctx, "ABCD"); err != nil || calls != 1 {
		t.Fatalf("cached: %v, calls %d", err, calls)
	}
	// An unknown serial downloads once, then not again within a minute.
	for range 5 {
		if _, err := s.key(ctx, "FFFF"); err == nil {
			t.Fatal("unknown serial accepted")
		}
	}
	if calls != 2 {
		t.Fatalf("unknown serial: %d downloads, want 1 more", calls)
	}
	// Old certificates are refreshed; a failed refresh keeps them.
	clk.Advance(CertRefreshEvery)
	fail = true
	if _, err := s.key(ctx, "ABCD"); err != nil || calls != 3 {
		t.Fatalf("failed refresh: %v, calls %d", err, calls)
	}
	if _, err := s.key(ctx, "ABCD"); err != nil || calls != 3 {
		t.Fatalf("retry within a minute: %v, calls %d", err, calls)
	}
	clk.Advance(certRetryAfter)
	fail = false
	if _, err := s.key(ctx, "ABCD"); err != nil || calls != 4 {
		t.Fatalf("retry after a minute: %v, calls %d", err, calls)
	}
	if got := fmt.Sprint(len(s.snapshot())); got != "1" {
		t.Errorf("snapshot %s", got)
	}
}

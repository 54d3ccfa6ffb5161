package wechatpay

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Keys are made once per test binary: RSA generation is slow under -race.
var (
	keysOnce    sync.Once
	merchantKey *rsa.PrivateKey
	wechatKey   *rsa.PrivateKey
)

func testKeys(t testing.TB) (merchant, wechat *rsa.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if merchantKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if wechatKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return merchantKey, wechatKey
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func privatePEM(k *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func publicPEM(k *rsa.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

const (
	testSpMchID   = "1900000100"
	testSpAppID   = "wx8888888888888888"
	testSubAppID  = "wx1234567890abcdef"
	testSubMchID  = "1900000109"
	testSerial    = "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"
	testPubKeyID  = "PUB_KEY_ID_0114232134912410000000000000"
	testAPIv3Key  = "0123456789abcdefABCDEF0123456789"
	testChannelID = "1900000111"
)

// validConfig is a complete service-provider section whose key files live
// in a temp dir.
func validConfig(t testing.TB) *Config {
	t.Helper()
	m, w := testKeys(t)
	dir := t.TempDir()
	return &Config{
		Enabled: true, Mode: ModeServiceProvider, SpMchID: testSpMchID, SpAppID: testSpAppID,
		MerchantSerialNo: testSerial,
		PrivateKeyFile:   writeFile(t, dir, "apiclient_key.pem", privatePEM(m)),
		PublicKeyID:      testPubKeyID,
		PublicKeyFile:    writeFile(t, dir, "pub_key.pem", publicPEM(&w.PublicKey)),
		BaseURL:          DefaultBaseURL,
		Restaurants: []Restaurant{{
			ID: 1, SubMchID: testSubMchID, SubAppID: testSubAppID, OutShopNo: "6895",
			DishTypes: map[string]string{"10": "HOT_POT", "20": "DRINK", "30": "GUAGNDONG_CUISINE"},
		}},
	}
}

func problemLines(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

func findProblem(ps []Problem, key, substr string) (Problem, bool) {
	for _, p := range ps {
		if p.Key == key && strings.Contains(p.Message, substr) {
			return p, true
		}
	}
	return Problem{}, false
}

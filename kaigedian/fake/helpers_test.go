package fake_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
)

var (
	keysOnce sync.Once
	keys     [3]*rsa.PrivateKey // merchant, stranger, platform
	keysErr  error
)

func testKeys(t testing.TB) (merchant, stranger, platform *rsa.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		for i := range keys {
			if keys[i], keysErr = rsa.GenerateKey(rand.Reader, 2048); keysErr != nil {
				return
			}
		}
	})
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return keys[0], keys[1], keys[2]
}

const (
	testPartner = "1864"
	testApp     = "2eb5c8f1170246429755e6dac313f89d"
	testToken   = "gw-token-for-tests"
)

// rig is a fake platform on loopback and a real client for it.
type rig struct {
	p      *fake.Platform
	base   string
	client *kaigedian.Client
	key    *rsa.PrivateKey
}

func newRig(t *testing.T, mutate func(*fake.Options)) *rig {
	t.Helper()
	merchant, _, platform := testKeys(t)
	opts := fake.Options{
		MerchantKey: merchant, PlatformKey: platform, AccessToken: testToken,
		PartnerID: testPartner, AppID: testApp, Seed: 1,
		Stores: []fake.Store{{ID: "1862", Name: "南翔一店"}, {ID: "1030", Name: "徐汇店"}},
	}
	if mutate != nil {
		mutate(&opts)
	}
	p, err := fake.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := p.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	c, err := kaigedian.NewClient(kaigedian.Config{
		BaseURL: base, PartnerID: testPartner, AppID: testApp, AccessToken: testToken, PrivateKey: merchant,
		Timeout: 2 * time.Second, RatePerSecond: -1, RetryBaseDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{p: p, base: base, client: c, key: merchant}
}

// post signs body exactly as given (duplicate keys and all) and sends it.
func (r *rig) post(t *testing.T, path, body, txID string) *kaigedian.Response {
	t.Helper()
	env, err := kaigedian.NewEnvelope(r.key, testPartner, testApp, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := env.Marshal()
	return r.postRaw(t, path, raw, txID, testToken)
}

func (r *rig) postRaw(t *testing.T, path string, raw []byte, txID, token string) *kaigedian.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	req.Header["x-transaction-id"] = []string{txID}
	req.Header["access_token"] = []string{token}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	decoded, err := kaigedian.DecodeResponse(b)
	if err != nil {
		t.Fatalf("%s: unreadable reply %q: %v", path, b, err)
	}
	return decoded
}

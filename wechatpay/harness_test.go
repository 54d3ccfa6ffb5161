package wechatpay

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/wechatpay/fake"
)

// clock is one settable time shared by the client and the fake, so that no
// test depends on the wall clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 4, 30, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var (
	certKeyOnce sync.Once
	certKey     *rsa.PrivateKey
)

func platformCertKey(t testing.TB) *rsa.PrivateKey {
	certKeyOnce.Do(func() {
		var err error
		if certKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return certKey
}

// harness is a client talking to a fake WeChat Pay over real HTTP.
type harness struct {
	t      *testing.T
	clock  *clock
	fake   *fake.Server
	cfg    Config
	creds  *Credentials
	client *Client
}

type harnessOpts struct {
	publicKey    bool // verify with the WeChat Pay public key (default when neither is set)
	certificates bool // download platform certificates (apiv3_key)
	signWith     fake.SignWith
	channel      bool
	fakeSkew     time.Duration // the fake's clock minus ours
	editCfg      func(*Config)
	editFake     func(*fake.Options)
}

func newHarness(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	if !o.publicKey && !o.certificates {
		o.publicKey = true
	}
	m, w := testKeys(t)
	h := &harness{t: t, clock: newClock()}
	cfg := *validConfig(t)
	cfg.Restaurants = append([]Restaurant{}, cfg.Restaurants...)
	if o.channel {
		cfg.Mode, cfg.SpMchID, cfg.SpAppID, cfg.ChannelID = ModeChannel, "", "", testChannelID
	}
	fo := fake.Options{
		MchID: cfg.MerchantID(), MerchantSerial: testSerial, MerchantPublicKey: &m.PublicKey,
		Key: w, CertKey: platformCertKey(t), APIv3Key: testAPIv3Key, SignWith: o.signWith, PublicKeyID: testPubKeyID,
		SubMerchants: []fake.SubMerchant{{SubMchID: testSubMchID, SubAppID: testSubAppID}},
		Now:          func() time.Time { return h.clock.Now().Add(o.fakeSkew) },
	}
	if o.channel {
		fo.Mode = fake.ModeChannel
	} else {
		fo.SpAppID = testSpAppID
	}
	if o.editFake != nil {
		o.editFake(&fo)
	}
	f, err := fake.New(fo)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(func() { f.Close(); srv.Close() })
	cfg.BaseURL = srv.URL
	h.creds = &Credentials{MerchantKey: m}
	if o.publicKey {
		h.creds.PublicKey = f.PublicKey()
	} else {
		cfg.PublicKeyID, cfg.PublicKeyFile = "", ""
	}
	if o.certificates {
		cfg.APIv3Key = testAPIv3Key
	}
	if o.editCfg != nil {
		o.editCfg(&cfg)
	}
	h.fake, h.cfg = f, cfg
	h.client = h.newClient()
	return h
}

func (h *harness) newClient() *Client {
	h.t.Helper()
	c, err := NewClient(h.cfg, h.creds, ClientOptions{Now: h.clock.Now, Timeout: 5 * time.Second, Version: "test"})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

package facebook_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/provider"
	"github.com/posbridge/posbridge/ordering/provider/facebook"
	"github.com/posbridge/posbridge/ordering/provider/facebook/fake"
	"github.com/posbridge/posbridge/ordering/provider/internal/clock"
)

type rig struct {
	graph  *fake.Graph
	client *facebook.Client
	clock  *clock.Fake
	log    *bytes.Buffer
}

func newRig(t *testing.T, fo fake.Options, mutate ...func(*facebook.Config)) *rig {
	t.Helper()
	clk := clock.New(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	fo.Now = clk.Now
	g, err := fake.Start("127.0.0.1:0", fo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	cfg := facebook.Config{AppID: g.AppID(), AppSecret: g.AppSecret(), GraphBaseURL: g.URL()}
	for _, m := range mutate {
		m(&cfg)
	}
	var log bytes.Buffer
	c, err := facebook.New(cfg, facebook.Options{Now: clk.Now, Timeout: 2 * time.Second, Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{graph: g, client: c, clock: clk, log: &log}
}

func TestValidUserToken(t *testing.T) {
	r := newRig(t, fake.Options{})
	tok := r.graph.Issue(fake.Token{UserID: "10215241773831025", Name: "Ann"})
	info, err := r.client.VerifyUserToken(context.Background(), tok, "10215241773831025")
	if err != nil {
		t.Fatal(err)
	}
	if info.UserID != "10215241773831025" || info.AppID != r.graph.AppID() || info.Type != "USER" || !info.ExpiresAt.Equal(r.clock.Now().Add(2*time.Hour)) {
		t.Fatalf("info %+v", info)
	}
	// §3.5 sends no user id: any user of the app is fine.
	if _, err := r.client.VerifyUserToken(context.Background(), tok, ""); err != nil {
		t.Fatal(err)
	}
	if r.graph.Calls("debug_token") != 2 {
		t.Fatal("debug_token not called per check")
	}
}

func TestRejectedTokens(t *testing.T) {
	r := newRig(t, fake.Options{})
	expired := r.graph.Issue(fake.Token{UserID: "1", ExpiresIn: -time.Minute})
	revoked := r.graph.Issue(fake.Token{UserID: "1"})
	r.graph.Revoke(revoked)
	cases := map[string]struct{ token, user, reason string }{
		"unknown":     {"EAAmadeup", "", "not valid"},
		"expired":     {expired, "", "not valid"},
		"revoked":     {revoked, "", "not valid"},
		"other app":   {r.graph.Issue(fake.Token{UserID: "1", AppID: "999999999"}), "", "another app"},
		"page token":  {r.graph.Issue(fake.Token{UserID: "1", Type: "PAGE"}), "", "not a user token"},
		"other user":  {r.graph.Issue(fake.Token{UserID: "1"}), "2", "another user"},
		"empty token": {"", "", "no token"},
	}
	for name, c := range cases {
		_, err := r.client.VerifyUserToken(context.Background(), c.token, c.user)
		if !errors.Is(err, facebook.ErrTokenRejected) || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: err = %v, want rejected: %s", name, err, c.reason)
		}
	}
}

func TestWrongAppSecretIsAConfigError(t *testing.T) {
	const secret = "0000wrongsecret00000000000000000"
	r := newRig(t, fake.Options{}, func(c *facebook.Config) { c.AppSecret = secret })
	_, err := r.client.VerifyUserToken(context.Background(), r.graph.Issue(fake.Token{UserID: "1"}), "")
	var ge *facebook.GraphError
	if !errors.As(err, &ge) || ge.Code != 190 || ge.Type != "OAuthException" || errors.Is(err, facebook.ErrTokenRejected) {
		t.Fatalf("err = %v, want a GraphError 190 that is not the customer's fault", err)
	}
	if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "app_secret") || strings.Contains(r.log.String(), secret) {
		t.Fatalf("err %q / log must name the key, never the secret", err)
	}
}

func TestUnknownVersionIsRefused(t *testing.T) {
	r := newRig(t, fake.Options{}, func(c *facebook.Config) { c.GraphVersion = "v9.0" })
	_, err := r.client.DebugToken(context.Background(), r.graph.Issue(fake.Token{UserID: "1"}))
	var ge *facebook.GraphError
	if !errors.As(err, &ge) || ge.Code != 2500 {
		t.Fatalf("err = %v", err)
	}
}

func TestServerErrorRetriedOnce(t *testing.T) {
	r := newRig(t, fake.Options{})
	tok := r.graph.Issue(fake.Token{UserID: "1"})
	r.graph.FailNext(503)
	if _, err := r.client.VerifyUserToken(context.Background(), tok, "1"); err != nil {
		t.Fatal(err)
	}
	r.graph.FailNext(503, 503)
	_, err := r.client.VerifyUserToken(context.Background(), tok, "1")
	if !provider.IsTransport(err) || errors.Is(err, facebook.ErrTokenRejected) {
		t.Fatalf("err = %v", err)
	}
}

func TestTransportErrorNamesNoSecret(t *testing.T) {
	r := newRig(t, fake.Options{})
	_ = r.graph.Close()
	_, err := r.client.DebugToken(context.Background(), "EAAx")
	if !provider.IsTransport(err) || strings.Contains(err.Error(), r.graph.AppSecret()) || strings.Contains(err.Error(), "EAAx") {
		t.Fatalf("err = %v", err)
	}
}

func TestProfileWithAppSecretProof(t *testing.T) {
	r := newRig(t, fake.Options{RequireProof: true})
	tok := r.graph.Issue(fake.Token{UserID: "42", Name: "Ann Lee"})
	p, err := r.client.Profile(context.Background(), tok)
	if err != nil || p.ID != "42" || p.Name != "Ann Lee" {
		t.Fatalf("%+v %v", p, err)
	}
	bad := newRig(t, fake.Options{RequireProof: true}, func(c *facebook.Config) { c.AppSecret = "another-secret-of-the-app" })
	if _, err := bad.client.Profile(context.Background(), bad.graph.Issue(fake.Token{UserID: "42"})); err == nil {
		t.Fatal("a wrong appsecret_proof was accepted")
	}
}

func TestAppSecretProofVector(t *testing.T) {
	// HMAC-SHA256("secret", "token"), computed with openssl dgst -sha256 -hmac secret.
	if got := facebook.AppSecretProof("secret", "token"); got != "e941110e3d2bfe82621f0e3e1434730d7305d106c5f68c87165d0b27a4611a4a" {
		t.Fatal(got)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		cfg  facebook.Config
		want string
	}{
		{facebook.Config{}, ""},
		{facebook.Config{AppID: "1234567890", AppSecret: "s"}, ""},
		{facebook.Config{AppID: "abc", AppSecret: "s"}, "facebook.app_id"},
		{facebook.Config{AppID: "1234567890"}, "facebook.app_secret: is empty"},
		{facebook.Config{AppID: "1234567890", AppSecret: "s", GraphVersion: "21"}, "facebook.graph_version"},
		{facebook.Config{AppID: "1234567890", AppSecret: "s", GraphBaseURL: "http://graph.facebook.com"}, "https://"},
	} {
		err := c.cfg.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
}

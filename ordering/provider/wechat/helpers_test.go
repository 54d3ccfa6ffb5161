package wechat_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/internal/clock"
	"github.com/posbridge/posbridge/ordering/provider/wechat"
	"github.com/posbridge/posbridge/ordering/provider/wechat/fake"
)

type rig struct {
	fake   *fake.Server
	client *wechat.Client
	clock  *clock.Fake
	log    *bytes.Buffer
}

func newRig(t *testing.T, mutate ...func(*wechat.Config, *wechat.Options)) *rig {
	t.Helper()
	return newRigWith(t, fake.Options{}, mutate...)
}

func newRigWith(t *testing.T, fo fake.Options, mutate ...func(*wechat.Config, *wechat.Options)) *rig {
	t.Helper()
	clk := clock.New(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	fo.Now = clk.Now
	f, err := fake.Start("127.0.0.1:0", fo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	var log bytes.Buffer
	cfg := wechat.Config{AppID: f.AppID(), AppSecret: f.AppSecret(), APIBaseURL: f.URL(), OAuthBaseURL: f.URL()}
	o := wechat.Options{Now: clk.Now, Timeout: 2 * time.Second, RetryDelay: 10 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	for _, m := range mutate {
		m(&cfg, &o)
	}
	c, err := wechat.New(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{fake: f, client: c, clock: clk, log: &log}
}

// browse opens an authorize link like a browser (no fragment, no redirect
// following) and returns the redirect's code and state.
func browse(t *testing.T, link string) (code, state string) {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(link) // net/http drops the #fragment, as browsers do
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize page answered %d, not a redirect", resp.StatusCode)
	}
	loc, err := resp.Location()
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query().Get("code"), loc.Query().Get("state")
}

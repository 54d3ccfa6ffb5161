package wechatpay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// oauthRefresher stands in for the WeChat OAuth client: it hands out
// numbered tokens, or fails as told.
type oauthRefresher struct {
	calls int
	err   error
	now   func() time.Time
}

func (r *oauthRefresher) RefreshLoginToken(_ context.Context, login WeChatLogin) (string, time.Time, error) {
	r.calls++
	if login.SessionRef == "" {
		return "", time.Time{}, errors.New("no session")
	}
	if r.err != nil {
		return "", time.Time{}, r.err
	}
	return fmt.Sprintf("refreshed-%d", r.calls), r.now(), nil
}

func TestLoginTokenRefreshBeforeResend(t *testing.T) {
	clk := newClock()
	r := &oauthRefresher{now: clk.Now}
	o := sampleOrder()
	o.Customer.SessionRef = "sess-1"
	o.Customer.TokenIssuedAt = clk.Now().Add(-time.Hour)
	cfg := bodyConfig(ModeServiceProvider)
	first, _ := BuildSyncBody(cfg, o)

	// An hour old: sent as it is, the same body.
	if changed, err := EnsureFreshLoginToken(context.Background(), clk.Now(), o, r); changed || err != nil || r.calls != 0 {
		t.Fatalf("fresh token: changed %v err %v calls %d", changed, err, r.calls)
	}
	if again, _ := BuildSyncBody(cfg, o); !bytes.Equal(again, first) {
		t.Fatal("body changed without a refresh")
	}
	// Near its 2 hours: refreshed, and the body carries the new token.
	clk.Advance(55 * time.Minute)
	changed, err := EnsureFreshLoginToken(context.Background(), clk.Now(), o, r)
	if !changed || err != nil || o.Customer.LoginToken != "refreshed-1" || !o.Customer.TokenIssuedAt.Equal(clk.Now()) {
		t.Fatalf("stale token: changed %v err %v login %+v", changed, err, o.Customer)
	}
	second, _ := BuildSyncBody(cfg, o)
	if !bytes.Contains(second, []byte(`"login_token":"refreshed-1"`)) {
		t.Fatalf("body %s", second)
	}
	// The refreshed token is fresh again: the next resend is the same body.
	clk.Advance(time.Minute)
	if changed, _ := EnsureFreshLoginToken(context.Background(), clk.Now(), o, r); changed {
		t.Fatal("refreshed twice")
	}
	if again, _ := BuildSyncBody(cfg, o); !bytes.Equal(again, second) {
		t.Fatal("body changed without a refresh")
	}
}

func TestLoginTokenRefreshFailures(t *testing.T) {
	clk := newClock()
	o := sampleOrder()
	o.Customer.SessionRef = "sess-1"
	o.Customer.TokenIssuedAt = clk.Now().Add(-3 * time.Hour)
	old := o.Customer.LoginToken

	gone := &oauthRefresher{now: clk.Now, err: fmt.Errorf("40030 invalid refresh_token: %w", ErrLoginGone)}
	if changed, err := EnsureFreshLoginToken(context.Background(), clk.Now(), o, gone); changed || !errors.Is(err, ErrLoginGone) || o.Customer.LoginToken != old {
		t.Fatalf("gone: changed %v err %v token %q", changed, err, o.Customer.LoginToken)
	}
	if _, err := EnsureFreshLoginToken(context.Background(), clk.Now(), o, nil); err == nil {
		t.Fatal("a stale token with no refresher passed silently")
	}
	if !LoginTokenStale(o, clk.Now()) {
		t.Error("a three-hour-old token is not stale")
	}
	o.Customer.TokenIssuedAt = time.Time{}
	if !LoginTokenStale(o, clk.Now()) {
		t.Error("a token of unknown age is not stale")
	}
	o.Customer = WeChatLogin{}
	if LoginTokenStale(o, clk.Now()) {
		t.Error("an order without a login asks for a refresh")
	}
}

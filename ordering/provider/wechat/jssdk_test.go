package wechat_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/wechat"
	"github.com/posbridge/posbridge/ordering/provider/wechat/fake"
)

// The official vectors of WeChat's JS-SDK document (附录1), current and older.
func TestSignatureOfficialVectors(t *testing.T) {
	const ticket = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
	for url, want := range map[string]string{
		"http://mp.weixin.qq.com?params=value": "0f9de62fce790f9a083d5c99e95740ceb90c27ed",
		"http://mp.weixin.qq.com":              "f4d90daf4b3bca3078ab155816175ba34c443a7b",
	} {
		if got := wechat.Signature(ticket, "Wm3WZYTPz0wzccnW", 1414587457, url); got != want {
			t.Errorf("%s: %s, want %s", url, got, want)
		}
	}
}

func TestSignedURLDropsOnlyTheFragment(t *testing.T) {
	got := wechat.SignedURL("https://shop.example.com/m/?rid=1&code=abc&state=x#/menu?y=1")
	if got != "https://shop.example.com/m/?rid=1&code=abc&state=x" {
		t.Fatal(got)
	}
}

func TestJSSDKConfigSignsWithTheCachedTicket(t *testing.T) {
	r := newRig(t)
	const page = "https://shop.example.com/m/?rid=1&tid=5#/cart"
	var wg sync.WaitGroup
	cfgs := make([]wechat.JSConfig, 40)
	errs := make([]error, 40)
	for i := range cfgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfgs[i], errs[i] = r.client.JSSDKConfig(context.Background(), page, []string{"chooseWXPay"})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
		c := cfgs[i]
		want := wechat.Signature(r.fake.Ticket(), c.NonceStr, c.Timestamp, "https://shop.example.com/m/?rid=1&tid=5")
		if c.Signature != want || c.AppID != r.fake.AppID() || len(c.NonceStr) != 16 || c.Timestamp != r.clock.Now().Unix() {
			t.Fatalf("config %+v, want signature %s", c, want)
		}
	}
	if n := r.fake.Calls("/cgi-bin/ticket/getticket"); n != 1 {
		t.Fatalf("40 page loads fetched the ticket %d times, want 1", n)
	}
	if n := r.fake.Calls("/cgi-bin/stable_token"); n != 1 {
		t.Fatalf("access token fetched %d times, want 1", n)
	}

	// Still cached 1 h 50 min later; fetched again once after 2 h.
	r.clock.Advance(110 * time.Minute)
	if _, err := r.client.JSSDKConfig(context.Background(), page, nil); err != nil {
		t.Fatal(err)
	}
	if n := r.fake.Calls("/cgi-bin/ticket/getticket"); n != 1 {
		t.Fatalf("ticket refetched before it was due: %d", n)
	}
	r.clock.Advance(10 * time.Minute)
	c, err := r.client.JSSDKConfig(context.Background(), page, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := r.fake.Calls("/cgi-bin/ticket/getticket"); n != 2 {
		t.Fatalf("ticket fetches after 2 h: %d, want 2", n)
	}
	if c.Signature != wechat.Signature(r.fake.Ticket(), c.NonceStr, c.Timestamp, "https://shop.example.com/m/?rid=1&tid=5") {
		t.Fatal("signature with the renewed ticket does not verify")
	}
}

func TestRefusedAccessTokenIsFetchedAgain(t *testing.T) {
	r := newRigWith(t, fake.Options{TicketTTL: 20 * time.Minute})
	if _, err := r.client.JSAPITicket(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.fake.RevokeAccessTokens()
	r.clock.Advance(20 * time.Minute) // the ticket is due, the cached token is not
	if _, err := r.client.JSAPITicket(context.Background()); err != nil {
		t.Fatalf("after the token was revoked: %v", err)
	}
	if n := r.fake.Calls("/cgi-bin/stable_token"); n != 2 {
		t.Fatalf("stable_token calls = %d, want 2", n)
	}
	if n := r.fake.Calls("/cgi-bin/ticket/getticket"); n != 3 {
		t.Fatalf("getticket calls = %d, want 3 (first, refused, with the new token)", n)
	}
}

func TestStillRefusedTokenIsForceRefreshedOnce(t *testing.T) {
	r := newRig(t)
	r.fake.FailNext("/cgi-bin/ticket/getticket", 40001)
	r.fake.FailNext("/cgi-bin/ticket/getticket", 40001)
	if _, err := r.client.JSAPITicket(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := r.fake.Calls("/cgi-bin/stable_token"); n != 3 {
		t.Fatalf("stable_token calls = %d, want normal, normal, forced", n)
	}
	// Within 30 s of the forced refresh, another refusal cannot force again.
	r2 := newRig(t)
	for range 4 {
		r2.fake.FailNext("/cgi-bin/ticket/getticket", 40001)
	}
	if _, err := r2.client.JSAPITicket(context.Background()); err == nil {
		t.Fatal("a ticket despite four refusals")
	}
	r2.clock.Advance(time.Second)
	for range 3 {
		r2.fake.FailNext("/cgi-bin/ticket/getticket", 40001)
	}
	if _, err := r2.client.JSAPITicket(context.Background()); !errors.Is(err, wechat.ErrForceRefreshBudget) {
		t.Fatalf("err = %v, want the force-refresh budget", err)
	}
}

func TestBusyIsRetriedOnce(t *testing.T) {
	r := newRig(t)
	r.fake.FailNext("/cgi-bin/ticket/getticket", -1)
	if _, err := r.client.JSAPITicket(context.Background()); err != nil {
		t.Fatal(err)
	}
	r2 := newRig(t)
	r2.fake.FailNext("/cgi-bin/ticket/getticket", -1)
	r2.fake.FailNext("/cgi-bin/ticket/getticket", -1)
	_, err := r2.client.JSAPITicket(context.Background())
	if wechat.ErrCode(err) != -1 {
		t.Fatalf("err = %v, want errcode -1 after one retry", err)
	}
	if n := r2.fake.Calls("/cgi-bin/ticket/getticket"); n != 2 {
		t.Fatalf("getticket calls = %d, want 2", n)
	}
}

func TestWaiterStopsWithItsContext(t *testing.T) {
	r := newRig(t)
	r.fake.HangNext("/cgi-bin/stable_token")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := r.client.AccessToken(ctx); err == nil {
		t.Fatal("a hanging token fetch answered")
	}
}

func TestBadPageURL(t *testing.T) {
	r := newRig(t)
	if _, err := r.client.JSSDKConfig(context.Background(), "/m/?rid=1", nil); err == nil {
		t.Fatal("a relative URL was signed")
	}
}

package wechat_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/provider"
	"github.com/posbridge/posbridge/ordering/provider/wechat"
	"github.com/posbridge/posbridge/ordering/provider/wechat/fake"
)

func TestAuthorizeURLShape(t *testing.T) {
	r := newRig(t)
	link, err := r.client.AuthorizeURL("http://127.0.0.1:8099/?rid=1&tid=-1", wechat.ScopeUserInfo, "abc123")
	if err != nil {
		t.Fatal(err)
	}
	want := r.fake.URL() + "/connect/oauth2/authorize?appid=" + r.fake.AppID() +
		"&redirect_uri=http%3A%2F%2F127.0.0.1%3A8099%2F%3Frid%3D1%26tid%3D-1&response_type=code&scope=snsapi_userinfo&state=abc123#wechat_redirect"
	if link != want {
		t.Fatalf("link\n%s\nwant\n%s", link, want)
	}
	if err := r.fake.CheckAuthorizeURL(link); err != nil {
		t.Fatal(err)
	}
}

func TestAuthorizeInputRefused(t *testing.T) {
	r := newRig(t)
	for _, c := range []struct{ redirect, scope, state string }{
		{"/relative", wechat.ScopeBase, "s"},
		{"https://shop.example.com/", "snsapi_login", "s"},
		{"https://shop.example.com/", wechat.ScopeBase, ""},
		{"https://shop.example.com/", wechat.ScopeBase, "biz:1haIYC:UXDW"}, // the seed's Django-style state: not WeChat's alphabet
		{"https://shop.example.com/", wechat.ScopeBase, strings.Repeat("a", 129)},
	} {
		if _, err := r.client.AuthorizeURL(c.redirect, c.scope, c.state); !errors.Is(err, wechat.ErrBadAuthorizeInput) {
			t.Errorf("%+v: err = %v", c, err)
		}
	}
}

func TestFakeRefusesBadLinksLikeWeChat(t *testing.T) {
	r := newRig(t)
	base := r.fake.URL() + "/connect/oauth2/authorize?"
	enc := url.QueryEscape("http://127.0.0.1:8099/?rid=1")
	for name, link := range map[string]string{
		"no fragment":     base + "appid=" + r.fake.AppID() + "&redirect_uri=" + enc + "&response_type=code&scope=snsapi_base&state=s",
		"sorted wrongly":  base + "redirect_uri=" + enc + "&appid=" + r.fake.AppID() + "&response_type=code&scope=snsapi_base&state=s#wechat_redirect",
		"double encoded":  base + "appid=" + r.fake.AppID() + "&redirect_uri=" + url.QueryEscape(enc) + "&response_type=code&scope=snsapi_base&state=s#wechat_redirect",
		"not encoded":     base + "appid=" + r.fake.AppID() + "&redirect_uri=http://127.0.0.1:8099/&response_type=code&scope=snsapi_base&state=s#wechat_redirect",
		"other domain":    base + "appid=" + r.fake.AppID() + "&redirect_uri=" + url.QueryEscape("https://evil.example.com/") + "&response_type=code&scope=snsapi_base&state=s#wechat_redirect",
		"state alphabet":  base + "appid=" + r.fake.AppID() + "&redirect_uri=" + enc + "&response_type=code&scope=snsapi_base&state=a:b#wechat_redirect",
		"no state":        base + "appid=" + r.fake.AppID() + "&redirect_uri=" + enc + "&response_type=code&scope=snsapi_base#wechat_redirect",
		"other account":   base + "appid=wx9999999999999999&redirect_uri=" + enc + "&response_type=code&scope=snsapi_base&state=s#wechat_redirect",
		"unknown scope":   base + "appid=" + r.fake.AppID() + "&redirect_uri=" + enc + "&response_type=code&scope=snsapi_login&state=s#wechat_redirect",
		"no responsetype": base + "appid=" + r.fake.AppID() + "&redirect_uri=" + enc + "&scope=snsapi_base&state=s#wechat_redirect",
	} {
		var ae *fake.AuthorizeError
		if err := r.fake.CheckAuthorizeURL(link); !errors.As(err, &ae) {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestLoginRoundTrip(t *testing.T) {
	r := newRig(t)
	r.fake.AddUser(fake.User{OpenID: "oUser2", Nickname: "小明", HeadImgURL: "https://thirdwx.qlogo.cn/x/132", UnionID: "uUnion2"})
	r.fake.SetBrowserUser("oUser2")
	link, err := r.client.AuthorizeURL("http://127.0.0.1:8099/m/?rid=1&tid=3", wechat.ScopeUserInfo, "st4te")
	if err != nil {
		t.Fatal(err)
	}
	code, state := browse(t, link)
	if code == "" || state != "st4te" {
		t.Fatalf("redirect code %q state %q", code, state)
	}
	tok, err := r.client.ExchangeCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	if tok.OpenID != "oUser2" || tok.AccessToken == "" || tok.RefreshToken == "" || tok.UnionID != "uUnion2" ||
		!tok.ExpiresAt.Equal(r.clock.Now().Add(2*time.Hour)) || tok.IsSnapshotUser {
		t.Fatalf("token %+v", tok)
	}
	info, err := r.client.UserInfo(context.Background(), tok.AccessToken, tok.OpenID)
	if err != nil || info.Nickname != "小明" || info.HeadImgURL == "" {
		t.Fatalf("userinfo %+v %v", info, err)
	}

	// WeChat's double redirect: the same code again is 40163.
	_, err = r.client.ExchangeCode(context.Background(), code)
	if !wechat.IsCodeRejected(err) || wechat.ErrCode(err) != wechat.CodeCodeUsed {
		t.Fatalf("second exchange: %v", err)
	}

	r.clock.Advance(3 * time.Hour)
	if _, err := r.client.UserInfo(context.Background(), tok.AccessToken, tok.OpenID); wechat.ErrCode(err) != wechat.CodeTokenExpired {
		t.Fatalf("userinfo with an expired token: %v", err)
	}
	fresh, err := r.client.RefreshPageToken(context.Background(), tok.RefreshToken)
	if err != nil || fresh.OpenID != "oUser2" || fresh.AccessToken == tok.AccessToken {
		t.Fatalf("refresh: %+v %v", fresh, err)
	}
	if _, err := r.client.UserInfo(context.Background(), fresh.AccessToken, fresh.OpenID); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(31 * 24 * time.Hour)
	if _, err := r.client.RefreshPageToken(context.Background(), tok.RefreshToken); wechat.ErrCode(err) != wechat.CodeRefreshExpired {
		t.Fatalf("refresh after 31 days: %v", err)
	}
}

func TestBaseScopeHasNoUserInfo(t *testing.T) {
	r := newRig(t)
	tok, err := r.client.ExchangeCode(context.Background(), r.fake.IssueCode(fake.DefaultUser.OpenID, wechat.ScopeBase))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.UserInfo(context.Background(), tok.AccessToken, tok.OpenID); wechat.ErrCode(err) != wechat.CodeUnauthorized {
		t.Fatalf("err = %v, want 48001", err)
	}
}

func TestCodeExpiresAfterFiveMinutes(t *testing.T) {
	r := newRig(t)
	c := r.fake.IssueCode(fake.DefaultUser.OpenID, wechat.ScopeBase)
	r.clock.Advance(5*time.Minute + time.Second)
	_, err := r.client.ExchangeCode(context.Background(), c)
	if !wechat.IsCodeRejected(err) || wechat.ErrCode(err) != wechat.CodeInvalidCode {
		t.Fatalf("err = %v, want 40029", err)
	}
	if _, err := r.client.ExchangeCode(context.Background(), "made-up"); !wechat.IsCodeRejected(err) {
		t.Fatalf("unknown code: %v", err)
	}
}

func TestSnapshotUserIsFlagged(t *testing.T) {
	r := newRig(t)
	r.fake.AddUser(fake.User{OpenID: "oSnap", Snapshot: true})
	tok, err := r.client.ExchangeCode(context.Background(), r.fake.IssueCode("oSnap", wechat.ScopeBase))
	if err != nil || !tok.IsSnapshotUser {
		t.Fatalf("%+v %v", tok, err)
	}
}

func TestWrongSecretIsAConfigErrorWithoutTheSecret(t *testing.T) {
	const secret = "ffffeeeeddddccccbbbbaaaa99998888"
	r := newRig(t, func(c *wechat.Config, _ *wechat.Options) { c.AppSecret = secret })
	_, err := r.client.ExchangeCode(context.Background(), r.fake.IssueCode(fake.DefaultUser.OpenID, wechat.ScopeBase))
	if wechat.ErrCode(err) != wechat.CodeInvalidSecret || wechat.IsCodeRejected(err) {
		t.Fatalf("err = %v, want 40125", err)
	}
	_, err2 := r.client.AccessToken(context.Background())
	for _, e := range []error{err, err2} {
		if e == nil || strings.Contains(e.Error(), secret) || !strings.Contains(e.Error(), "app_secret") {
			t.Fatalf("error %v: must name the key to check and not the secret", e)
		}
	}
	if strings.Contains(r.log.String(), secret) {
		t.Fatal("the secret reached the log")
	}
}

func TestTransportErrorsNameNoSecret(t *testing.T) {
	r := newRig(t)
	_ = r.fake.Close()
	_, err := r.client.ExchangeCode(context.Background(), "abc")
	if !provider.IsTransport(err) || strings.Contains(err.Error(), r.fake.AppSecret()) || strings.Contains(err.Error(), "secret=") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(r.log.String(), r.fake.AppSecret()) {
		t.Fatal("the secret reached the log")
	}
}

func TestExchangeTimeoutIsNotRetried(t *testing.T) {
	r := newRig(t, func(_ *wechat.Config, o *wechat.Options) { o.Timeout = 150 * time.Millisecond })
	r.fake.HangNext("/sns/oauth2/access_token")
	_, err := r.client.ExchangeCode(context.Background(), r.fake.IssueCode(fake.DefaultUser.OpenID, wechat.ScopeBase))
	var te *provider.TransportError
	if !errors.As(err, &te) || !te.Timeout {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if n := r.fake.Calls("/sns/oauth2/access_token"); n != 1 {
		t.Fatalf("the exchange was sent %d times: a lost reply may have spent the code", n)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		cfg  wechat.Config
		want string
	}{
		{wechat.Config{}, ""},
		{wechat.Config{AppID: "wx0123456789abcdef", AppSecret: "s"}, ""},
		{wechat.Config{AppID: "wx0123456789abcdef"}, "wechat.app_secret: is empty"},
		{wechat.Config{AppID: "0123", AppSecret: "s"}, "does not look like an AppID"},
		{wechat.Config{AppID: "wx0123456789abcdef", AppSecret: "s", APIBaseURL: "http://api.weixin.qq.com"}, "wechat.api_base_url: must use https://"},
	} {
		err := c.cfg.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestAuthorizePageShowsWeChatsErrorInsteadOfRedirecting(t *testing.T) {
	r := newRig(t)
	link, err := r.client.AuthorizeURL("https://evil.example.com/", wechat.ScopeBase, "s")
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "10003") {
		t.Fatalf("answered %d %s", resp.StatusCode, body)
	}
}

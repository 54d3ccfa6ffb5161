package customers

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/posbridge/posbridge/ordering/provider/facebook"
	fbfake "github.com/posbridge/posbridge/ordering/provider/facebook/fake"
	"github.com/posbridge/posbridge/ordering/provider/wechat"
	wxfake "github.com/posbridge/posbridge/ordering/provider/wechat/fake"
)

func newOAuth(t *testing.T, r *rig) (*OAuth, *wxfake.Server, *fbfake.Graph) {
	t.Helper()
	wx, err := wxfake.Start("127.0.0.1:0", wxfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wx.Close() })
	wc, err := wechat.New(wechat.Config{AppID: wx.AppID(), AppSecret: wx.AppSecret(), APIBaseURL: wx.URL(), OAuthBaseURL: wx.URL()}, wechat.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fb, err := fbfake.Start("127.0.0.1:0", fbfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fb.Close() })
	fc, err := facebook.New(facebook.Config{AppID: fb.AppID(), AppSecret: fb.AppSecret(), GraphBaseURL: fb.URL(), GraphVersion: "v21.0"}, facebook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := r.svc.NewOAuth(wc, fc, r.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	return o, wx, fb
}

// A WeChat login: the authorize URL passes the fake's checks, the code is
// exchanged, the same openid is the same customer, the page token is kept
// for the WeChat Pay sync; a forged state or another restaurant's is refused.
func TestWeChatLogin(t *testing.T) {
	r := newRig(t)
	o, wx, _ := newOAuth(t, r)
	ctx := context.Background()
	wx.AddUser(wxfake.User{OpenID: "oUser1", Nickname: "顾客"})
	link, err := o.WeChatAuthorizeURL(1, "http://127.0.0.1:8688/?rid=1&tid=3", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := wx.CheckAuthorizeURL(link); err != nil {
		t.Fatalf("WeChat refuses the authorize URL %s: %v", link, err)
	}
	u, _ := url.Parse(link)
	state := u.Query().Get("state")
	first, err := o.WeChatLogin(ctx, 1, wx.IssueCode("oUser1", wechat.ScopeBase), state, 0)
	if err != nil || first.OpenID != "oUser1" || first.Token == "" {
		t.Fatalf("login: %+v %v", first, err)
	}
	again, err := o.WeChatLogin(ctx, 1, wx.IssueCode("oUser1", wechat.ScopeBase), state, 0)
	if err != nil || again.CustomerID != first.CustomerID {
		t.Fatalf("the same openid again: %+v %v", again, err)
	}
	ident, ok, err := r.svc.WeChatIdentity(ctx, first.CustomerID, wx.AppID())
	if err != nil || !ok || ident.Subject != "oUser1" || ident.AccessToken == "" || ident.RefreshToken == "" {
		t.Fatalf("the kept identity: %+v %v %v", ident, ok, err)
	}
	if _, err := o.WeChatLogin(ctx, 2, wx.IssueCode("oUser1", wechat.ScopeBase), state, 0); !errors.Is(err, ErrBadOAuth) {
		t.Fatalf("another restaurant's state: %v", err)
	}
	if _, err := o.WeChatLogin(ctx, 1, wx.IssueCode("oUser1", wechat.ScopeBase), state+"0", 0); !errors.Is(err, ErrBadOAuth) {
		t.Fatalf("a forged state: %v", err)
	}
	if _, err := o.WeChatLogin(ctx, 1, "not-a-code", state, 0); !errors.Is(err, ErrBadOAuth) {
		t.Fatalf("a bad code: %v", err)
	}
}

// A Facebook login is checked with debug_token: this app's valid user token
// logs in, another app's or an expired one does not.
func TestFacebookLogin(t *testing.T) {
	r := newRig(t)
	o, _, fb := newOAuth(t, r)
	ctx := context.Background()
	good := fb.Issue(fbfake.Token{UserID: "10158000000000001", Name: "Alex"})
	l, err := o.FacebookLogin(ctx, 1, good)
	if err != nil || l.Token == "" {
		t.Fatalf("login: %+v %v", l, err)
	}
	again, err := o.FacebookLogin(ctx, 1, fb.Issue(fbfake.Token{UserID: "10158000000000001"}))
	if err != nil || again.CustomerID != l.CustomerID {
		t.Fatalf("the same Facebook user again: %+v %v", again, err)
	}
	for name, tok := range map[string]string{
		"another app's": fb.Issue(fbfake.Token{UserID: "10158000000000002", AppID: "999"}),
		"expired":       fb.Issue(fbfake.Token{UserID: "10158000000000003", ExpiresIn: -1}),
		"made up":       "EAAB-made-up",
	} {
		if _, err := o.FacebookLogin(ctx, 1, tok); !errors.Is(err, ErrFacebookLogin) {
			t.Errorf("%s token: %v", name, err)
		}
	}
}

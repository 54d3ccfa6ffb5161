package api

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/ordering/provider/wechat"
	wxfake "github.com/posbridge/posbridge/ordering/provider/wechat/fake"
)

// §9 access-token with a login: a customer logged in by SMS who goes
// through WeChat's consent page gets the WeChat account bound to them (the
// same customer, now with the openid and page token the WeChat Pay sync
// sends), not a second account; a WeChat account that is already another
// customer's login is refused with 403 and binds nothing; without a login
// the same account logs its own customer in.
func TestWeChatAccessTokenBindsTheLoggedInCustomer(t *testing.T) {
	wx, err := wxfake.Start("127.0.0.1:0", wxfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wx.Close() })
	wc, err := wechat.New(wechat.Config{AppID: wx.AppID(), AppSecret: wx.AppSecret(), APIBaseURL: wx.URL(), OAuthBaseURL: wx.URL()}, wechat.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := newCustomerRig(t, func(o *Options) {
		oauth, err := o.Customers.NewOAuth(wc, nil, o.Now)
		if err != nil {
			t.Fatal(err)
		}
		o.OAuth = oauth
	})
	wx.AddUser(wxfake.User{OpenID: "oBound1", Nickname: "王先生"})
	wx.AddUser(wxfake.User{OpenID: "oTaken2", Nickname: "李女士"})
	state := func() string {
		got := c.want(c.do("GET", prefix+"weixin/authorize-url?res_id=1", ""), 200).body
		u, err := url.Parse(got["url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		return u.Query().Get("state")
	}
	accessToken := func(openid string, status int, headers ...string) map[string]any {
		body := `{"res_id": 1, "code": "` + wx.IssueCode(openid, wechat.ScopeUserInfo) + `", "state": "` + state() + `"}`
		return c.want(c.do("POST", prefix+"weixin/access-token", body, headers...), status).body
	}
	ctx := context.Background()

	// Another customer logged in by WeChat first: oTaken2 is theirs.
	theirs := accessToken("oTaken2", 200)
	theirID := num(theirs["id"])

	// The SMS customer binds oBound1: the same customer answers, with the openid.
	tok := c.smsLogin("13812345678")
	auth := []string{"Authorization", "Bearer " + tok}
	me := c.want(c.do("GET", prefix+"users/me", "", auth...), 200).body
	myID := num(me["id"])
	bound := accessToken("oBound1", 200, auth...)
	if num(bound["id"]) != myID || bound["openid"] != "oBound1" || bound["token"] == "" {
		t.Fatalf("bind answered another customer: %v (mine %s)", bound, myID)
	}
	ids, err := c.db.CustomerIdentities(ctx, mustInt(t, myID))
	if err != nil || len(ids) != 1 || !strings.HasSuffix(ids[0].Subject, ":oBound1") || ids[0].AccessToken == "" {
		t.Fatalf("identities of the SMS customer: %+v %v", ids, err)
	}
	// the new login is still the phone's customer
	if got := c.want(c.do("GET", prefix+"users/me", "", "Authorization", "Bearer "+bound["token"].(string)), 200).body; got["phone"] != "13812345678" {
		t.Fatalf("me after the bind: %v", got)
	}
	// binding it again is fine (the tokens are renewed)
	if again := accessToken("oBound1", 200, auth...); num(again["id"]) != myID {
		t.Fatalf("bind again: %v", again)
	}

	// oTaken2 is another customer's: 403 with a sentence, nothing moves.
	refused := accessToken("oTaken2", 403, auth...)
	if d, _ := refused["detail"].(string); !strings.Contains(d, "已绑定了另一个账户") {
		t.Fatalf("403 detail: %v", refused)
	}
	if ids, _ := c.db.CustomerIdentities(ctx, mustInt(t, theirID)); len(ids) != 1 {
		t.Fatalf("the other customer's identity moved: %+v", ids)
	}
	if ids, _ := c.db.CustomerIdentities(ctx, mustInt(t, myID)); len(ids) != 1 {
		t.Fatalf("a refused bind added an identity: %+v", ids)
	}

	// Without a login, oBound1 logs in as the SMS customer; a forged login is no login.
	if plain := accessToken("oBound1", 200); num(plain["id"]) != myID {
		t.Fatalf("WeChat login after the bind: %v (want %s)", plain, myID)
	}
	if forged := accessToken("oTaken2", 200, "Authorization", "Bearer "+tok+"x"); num(forged["id"]) != theirID {
		t.Fatalf("a forged login bound: %v", forged)
	}
}

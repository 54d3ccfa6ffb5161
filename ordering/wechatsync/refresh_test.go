package wechatsync_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/provider/wechat"
	wxfake "github.com/posbridge/posbridge/ordering/provider/wechat/fake"
	"github.com/posbridge/posbridge/ordering/wechatsync"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay"
)

// A sync sent more than two hours after the customer's login first renews
// the page token with its refresh_token at WeChat, keeps it with the login,
// and sends it as login_token; a login WeChat no longer renews goes out
// with the token it has.
func TestAStaleLoginTokenIsRenewedBeforeTheSend(t *testing.T) {
	w := newPayWorld(t, t.TempDir())
	wf, err := wxfake.Start("127.0.0.1:0", wxfake.Options{AppID: subAppID})
	must(t, err)
	t.Cleanup(func() { _ = wf.Close() })
	wc, err := wechat.New(wechat.Config{AppID: wf.AppID(), AppSecret: wf.AppSecret(), APIBaseURL: wf.URL(), OAuthBaseURL: wf.URL()},
		wechat.Options{Timeout: 2 * time.Second})
	must(t, err)
	ctx := context.Background()
	openid := "oSubOpenid0000000000000020"
	wf.AddUser(wxfake.User{OpenID: openid})
	tok, err := wc.ExchangeCode(ctx, wf.IssueCode(openid, wechat.ScopeBase))
	must(t, err)

	_, db := reporterOn(t, w, nil)
	var cust int64
	must(t, db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if cust, err = tx.InsertCustomer(1, ""); err != nil {
			return err
		}
		return tx.SaveCustomerIdentity(store.CustomerIdentity{CustomerID: cust, Provider: "wechat", AppID: subAppID,
			Subject: "1:" + openid, AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken})
	}))
	creds, err := wechatpay.LoadCredentials(&w.cfg)
	must(t, err)
	client, err := wechatpay.NewClient(w.cfg, creds, wechatpay.ClientOptions{})
	must(t, err)
	tokens, err := customers.NewTokens([]byte("0123456789abcdef0123456789abcdef"), time.Hour, nil)
	must(t, err)
	later := func() time.Time { return time.Now().Add(3 * time.Hour) }
	rep := wechatsync.New(wechatsync.Options{DB: db, Config: w.cfg, Sender: client, Now: later,
		Identities: customers.NewService(db, nil, tokens, customers.Limits{}, nil),
		Refresher:  &wechatsync.Refresher{DB: db, WeChat: wc},
		PublicURL:  func() string { return "https://order.example.com" }})

	code := placeOrder(t, db, cust, orders.Awaiting, nil)
	must(t, rep.Report(ctx, "tx", bridge.Transition{Source: order.SourceOrdering, Code: code, To: order.StatusNew,
		Payment: order.PaymentPaid, At: time.Now()}))
	bodies, accepted := syncsOf(w.fake, code, "CREATE_DEAL")
	if len(bodies) != 1 || accepted != 1 {
		t.Fatalf("%d sent, %d accepted", len(bodies), accepted)
	}
	var body struct {
		LoginToken string `json:"login_token"`
	}
	must(t, json.Unmarshal([]byte(bodies[0]), &body))
	if body.LoginToken == tok.AccessToken || body.LoginToken == "" {
		t.Fatalf("sent the stale token")
	}
	ids, err := db.CustomerIdentities(ctx, cust)
	must(t, err)
	if len(ids) != 1 || ids[0].AccessToken != body.LoginToken {
		t.Fatalf("the renewed token was not kept with the login")
	}
	s, err := db.WeChatPaySync(ctx, code, "CREATE_DEAL")
	must(t, err)
	if string(s.Body) != bodies[0] {
		t.Fatalf("the stored body is not the one sent")
	}

	// WeChat no longer renews the login (its refresh_token expired): the
	// sync goes out with the token it has.
	wf.FailNext("/sns/oauth2/refresh_token", wechat.CodeRefreshExpired)
	other := placeOrder(t, db, cust, orders.Awaiting, nil)
	must(t, rep.Report(ctx, "tx", bridge.Transition{Source: order.SourceOrdering, Code: other, To: order.StatusNew,
		Payment: order.PaymentPaid, At: time.Now()}))
	if _, accepted := syncsOf(w.fake, other, "CREATE_DEAL"); accepted != 1 {
		t.Fatalf("a login that cannot be renewed held the sync back")
	}
}

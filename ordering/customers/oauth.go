package customers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/facebook"
	"github.com/posbridge/posbridge/ordering/provider/wechat"
	"github.com/posbridge/posbridge/store"
)

// Errors of §9 and §3.5.
var (
	ErrBadOAuth      = errors.New("微信授权已失效，请重新进入页面")
	ErrSnapshotUser  = errors.New("请在微信中打开完整页面后再登录")
	ErrFacebookLogin = errors.New("Facebook 登录已失效，请重新登录")
	ErrNotConfigured = errors.New("本店未开通此登录方式")
	// ErrIdentityBound: binding a WeChat account that is already another
	// customer's login (403).
	ErrIdentityBound = errors.New("这个微信账号已绑定了另一个账户，请用那个账户登录，或先在那个账户里解绑")
)

// Login is what §3.2 answers, plus the openid for a WeChat login.
type Login struct {
	CustomerID int64
	Token      string
	TTL        int
	OpenID     string
}

// OAuth holds the outside logins of the service.
type OAuth struct {
	svc      *Service
	wechat   *wechat.Client // nil: not configured
	facebook *facebook.Client
	states   *wechat.StateSigner
}

// NewOAuth wires the WeChat and Facebook clients (either may be nil). The
// OAuth state is signed with a key derived from the login secret and lasts
// ten minutes: a page that sat longer starts over.
func (s *Service) NewOAuth(wc *wechat.Client, fb *facebook.Client, now func() time.Time) (*OAuth, error) {
	signer, err := wechat.NewStateSigner(append([]byte("oauth-state:"), s.pepper...), 10*time.Minute, now)
	if err != nil {
		return nil, err
	}
	return &OAuth{svc: s, wechat: wc, facebook: fb, states: signer}, nil
}

// WeChatAuthorizeURL is §9's authorize-url: WeChat's page that comes back
// to redirect with a code and a state only posbridge could have made, naming
// the restaurant.
func (o *OAuth) WeChatAuthorizeURL(restaurantID int64, redirect string, userInfo bool) (string, error) {
	if o.wechat == nil {
		return "", ErrNotConfigured
	}
	state, err := o.states.Sign("r" + strconv.FormatInt(restaurantID, 10))
	if err != nil {
		return "", err
	}
	scope := wechat.ScopeBase
	if userInfo {
		scope = wechat.ScopeUserInfo
	}
	return o.wechat.AuthorizeURL(redirect, scope, state)
}

// WeChatLogin is §9's access-token: the code of the redirect is exchanged,
// the customer found by openid or created, the page token kept (the WeChat
// Pay sync sends it as login_token), and a login issued. A bad code or
// state is ErrBadOAuth (400).
//
// With bindTo (a customer already logged in at the restaurant, 0 = none)
// the WeChat account is bound to that customer instead: the same customer
// goes on, now with the openid and page token; an account that is another
// customer's login is ErrIdentityBound and binds nothing.
func (o *OAuth) WeChatLogin(ctx context.Context, restaurantID int64, code, state string, bindTo int64) (Login, error) {
	if o.wechat == nil {
		return Login{}, ErrNotConfigured
	}
	payload, err := o.states.Verify(state)
	if err != nil || payload != "r"+strconv.FormatInt(restaurantID, 10) {
		return Login{}, ErrBadOAuth
	}
	tok, err := o.wechat.ExchangeCode(ctx, code)
	if wechat.IsCodeRejected(err) {
		return Login{}, ErrBadOAuth
	}
	if err != nil {
		return Login{}, fmt.Errorf("微信暂时无法登录，请稍后再试: %w", err)
	}
	if tok.IsSnapshotUser {
		return Login{}, ErrSnapshotUser
	}
	ident := store.CustomerIdentity{Provider: "wechat", AppID: o.wechat.AppID(),
		Subject: tok.OpenID, AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}
	var id int64
	if bindTo != 0 {
		id, err = o.svc.bindIdentity(ctx, restaurantID, bindTo, ident)
	} else {
		id, err = o.svc.loginIdentity(ctx, restaurantID, ident)
	}
	if err != nil {
		return Login{}, err
	}
	token, ttl, err := o.svc.tokens.Issue(id, restaurantID)
	return Login{CustomerID: id, Token: token, TTL: ttl, OpenID: tok.OpenID}, err
}

// FacebookLogin is §3.5: the page's Facebook token is checked with
// debug_token (this app's, a user's, valid, not expired), then the customer
// found by the Facebook user id or created.
func (o *OAuth) FacebookLogin(ctx context.Context, restaurantID int64, userToken string) (Login, error) {
	return o.FacebookLoginAs(ctx, restaurantID, userToken, "")
}

// FacebookLoginAs is §10.1's debug-token: FacebookLogin, and the token must
// be the named user's ("" = any).
func (o *OAuth) FacebookLoginAs(ctx context.Context, restaurantID int64, userToken, userID string) (Login, error) {
	if o.facebook == nil {
		return Login{}, ErrNotConfigured
	}
	info, err := o.facebook.VerifyUserToken(ctx, userToken, userID)
	if errors.Is(err, facebook.ErrTokenRejected) {
		return Login{}, ErrFacebookLogin
	}
	if err != nil {
		return Login{}, fmt.Errorf("Facebook 暂时无法登录，请稍后再试: %w", err)
	}
	id, err := o.svc.loginIdentity(ctx, restaurantID, store.CustomerIdentity{Provider: "facebook", AppID: info.AppID, Subject: info.UserID})
	if err != nil {
		return Login{}, err
	}
	token, ttl, err := o.svc.tokens.Issue(id, restaurantID)
	return Login{CustomerID: id, Token: token, TTL: ttl}, err
}

// loginIdentity finds the restaurant's customer with the identity, or makes
// one, and keeps the identity's newest tokens. Identities are per app, and
// customers per restaurant: the same openid at another restaurant is another
// customer.
func (s *Service) loginIdentity(ctx context.Context, restaurantID int64, ident store.CustomerIdentity) (int64, error) {
	var id int64
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		subject := ident
		subject.Subject = fmt.Sprintf("%d:%s", restaurantID, ident.Subject)
		c, err := tx.CustomerByIdentity(subject.Provider, subject.AppID, subject.Subject)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if id, err = tx.InsertCustomer(restaurantID, ""); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			id = c.ID
			if err := tx.TouchCustomerLogin(id); err != nil {
				return err
			}
		}
		subject.CustomerID = id
		return tx.SaveCustomerIdentity(subject)
	})
	return id, err
}

// bindIdentity binds the identity to the logged-in customer: theirs
// already (the tokens are renewed) or no one's; another customer's is
// ErrIdentityBound, in the same write, so two racing binds cannot both win.
func (s *Service) bindIdentity(ctx context.Context, restaurantID, customerID int64, ident store.CustomerIdentity) (int64, error) {
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		subject := ident
		subject.Subject = fmt.Sprintf("%d:%s", restaurantID, ident.Subject)
		c, err := tx.CustomerByIdentity(subject.Provider, subject.AppID, subject.Subject)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return err
		case c.ID != customerID:
			return ErrIdentityBound
		}
		if err := tx.TouchCustomerLogin(customerID); err != nil {
			return err
		}
		subject.CustomerID = customerID
		return tx.SaveCustomerIdentity(subject)
	})
	return customerID, err
}

// WeChatIdentity is the customer's WeChat login under app: the openid and
// page token the WeChat Pay sync needs; false when there is none.
func (s *Service) WeChatIdentity(ctx context.Context, customerID int64, appID string) (store.CustomerIdentity, bool, error) {
	ids, err := s.db.CustomerIdentities(ctx, customerID)
	if err != nil {
		return store.CustomerIdentity{}, false, err
	}
	var found store.CustomerIdentity
	ok := false
	for _, i := range ids { // the newest: a customer who bound another WeChat account pays with it
		if i.Provider == "wechat" && i.AppID == appID && (!ok || !i.TokenAt.Before(found.TokenAt)) {
			if _, openid, cut := cutRestaurant(i.Subject); cut {
				i.Subject = openid
			}
			found, ok = i, true
		}
	}
	return found, ok, nil
}

func cutRestaurant(subject string) (int64, string, bool) {
	for i := 0; i < len(subject); i++ {
		if subject[i] == ':' {
			rid, err := strconv.ParseInt(subject[:i], 10, 64)
			return rid, subject[i+1:], err == nil
		}
	}
	return 0, subject, false
}

// WeChatJSSDKConfig is §9.1: wx.config's fields for the page at pageURL
// (the jsapi_ticket is cached by the client until it expires).
func (o *OAuth) WeChatJSSDKConfig(ctx context.Context, pageURL string) (wechat.JSConfig, error) {
	if o.wechat == nil {
		return wechat.JSConfig{}, ErrNotConfigured
	}
	return o.wechat.JSSDKConfig(ctx, pageURL, []string{"chooseWXPay", "getLocation", "openLocation", "scanQRCode"})
}

// FacebookAuthorizeURL is Facebook's login dialog for the page's redirect
// login: it comes back to redirect with the user token in the fragment and
// a state only posbridge could have made (the page checks it is the one it
// was given before it sends the token to debug-token).
func (o *OAuth) FacebookAuthorizeURL(restaurantID int64, redirect string) (string, error) {
	if o.facebook == nil {
		return "", ErrNotConfigured
	}
	state, err := o.states.Sign("f" + strconv.FormatInt(restaurantID, 10))
	if err != nil {
		return "", err
	}
	return o.facebook.LoginDialogURL(redirect, state)
}

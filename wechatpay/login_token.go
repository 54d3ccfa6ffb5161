package wechatpay

import (
	"context"
	"errors"
	"strings"
	"time"
)

// LoginTokenLifetime is how long a page access_token lives (expires_in 7200).
const LoginTokenLifetime = 2 * time.Hour

// loginTokenMargin: a token this close to its end is refreshed too, so that
// it is still valid when WeChat Pay reads it.
const loginTokenMargin = 10 * time.Minute

// ErrLoginGone is returned (wrapped) by a LoginTokenRefresher when the login
// cannot be renewed any more: its refresh_token expired (30 days) or was
// revoked. The sync then goes out with the token it has.
var ErrLoginGone = errors.New("wechatpay: the WeChat login can no longer be refreshed")

// LoginTokenRefresher renews the page access_token of a customer's WeChat
// login. The WeChat OAuth client implements it (sns/oauth2/refresh_token
// with the login's refresh_token) and stores the new token with the login;
// login.SessionRef tells it which login. It returns the new token and when
// WeChat issued it; a login that cannot be renewed is ErrLoginGone, any
// other error is temporary (the attempt is retried later).
type LoginTokenRefresher interface {
	RefreshLoginToken(ctx context.Context, login WeChatLogin) (token string, issuedAt time.Time, err error)
}

// LoginTokenStale reports whether the order's login token must be refreshed
// before a (re)send at now: older than LoginTokenLifetime less a margin.
func LoginTokenStale(o *SyncOrder, now time.Time) bool {
	c := &o.Customer
	if c.OpenID == "" || c.LoginToken == "" {
		return false
	}
	return c.TokenIssuedAt.IsZero() || now.Sub(c.TokenIssuedAt) >= LoginTokenLifetime-loginTokenMargin
}

// EnsureFreshLoginToken is what the outbox calls before each attempt: when the
// token is stale it asks r for a new one and puts it into o (store o again:
// the body changes with the token, and only then). It returns whether o
// changed. ErrLoginGone is no reason to hold the sync back: o keeps its
// token, the error is returned for the log, and the caller sends anyway —
// whether WeChat Pay checks the token at sync time is not documented.
func EnsureFreshLoginToken(ctx context.Context, now time.Time, o *SyncOrder, r LoginTokenRefresher) (bool, error) {
	if !LoginTokenStale(o, now) {
		return false, nil
	}
	if r == nil {
		return false, errors.New("wechatpay: the login token is stale and no LoginTokenRefresher is set")
	}
	token, issued, err := r.RefreshLoginToken(ctx, o.Customer)
	if err != nil {
		return false, err
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return false, errors.New("wechatpay: the refresher returned an empty token")
	}
	if issued.IsZero() {
		issued = now
	}
	changed := token != o.Customer.LoginToken || !issued.Equal(o.Customer.TokenIssuedAt)
	o.Customer.LoginToken, o.Customer.TokenIssuedAt = token, issued
	return changed, nil
}

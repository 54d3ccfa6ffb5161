package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// Scopes of web authorisation.
const (
	ScopeBase     = "snsapi_base"     // silent: openid only
	ScopeUserInfo = "snsapi_userinfo" // consent page: nickname and avatar too
)

// MaxStateLen is WeChat's limit on state (bytes, [a-zA-Z0-9]).
const MaxStateLen = 128

var stateRE = regexp.MustCompile(`^[a-zA-Z0-9]{1,128}$`)

// ErrBadAuthorizeInput is an authorize URL we refuse to build (WeChat would
// show the customer an error page instead).
var ErrBadAuthorizeInput = errors.New("wechat: bad authorize input")

// AuthorizeURL is the link that sends the customer to WeChat's authorisation
// page. redirectURI is the page to come back to (on the account's 网页授权域名);
// state is returned unchanged and must be [a-zA-Z0-9], at most 128 bytes
// (sign it: see StateSigner). The parameter order is the documented one and
// #wechat_redirect ends the URL; redirect_uri is encoded exactly once.
func (c *Client) AuthorizeURL(redirectURI, scope, state string) (string, error) {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.Fragment != "" {
		return "", fmt.Errorf("%w: redirect_uri %q must be an absolute http(s) URL without #fragment", ErrBadAuthorizeInput, redirectURI)
	}
	if scope != ScopeBase && scope != ScopeUserInfo {
		return "", fmt.Errorf("%w: scope %q is neither %s nor %s", ErrBadAuthorizeInput, scope, ScopeBase, ScopeUserInfo)
	}
	if !stateRE.MatchString(state) {
		return "", fmt.Errorf("%w: state must be 1 to %d characters of a-z, A-Z, 0-9", ErrBadAuthorizeInput, MaxStateLen)
	}
	var b strings.Builder
	b.WriteString(wire.JoinURL(c.cfg.OAuthBaseURL, "/connect/oauth2/authorize"))
	b.WriteString("?appid=" + url.QueryEscape(c.cfg.AppID))
	b.WriteString("&redirect_uri=" + escape(redirectURI))
	b.WriteString("&response_type=code")
	b.WriteString("&scope=" + scope)
	b.WriteString("&state=" + state)
	b.WriteString("#wechat_redirect")
	return b.String(), nil
}

// escape percent-encodes like encodeURIComponent (space as %20, not +), the
// form WeChat's examples show.
func escape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// PageToken is what web authorisation yields: the page access_token (not the
// basic one), for user info and, as login_token, for the WeChat Pay sync.
type PageToken struct {
	AccessToken  string
	ExpiresAt    time.Time
	RefreshToken string
	OpenID       string
	UnionID      string // only with snsapi_userinfo and an open-platform binding
	Scope        string // granted scopes, comma-separated
	// IsSnapshotUser is a 朋友圈 "snapshot page" visitor: a virtual account
	// that must not become a customer.
	IsSnapshotUser bool
}

type pageTokenReply struct {
	AccessToken    string `json:"access_token"`
	ExpiresIn      int64  `json:"expires_in"`
	RefreshToken   string `json:"refresh_token"`
	OpenID         string `json:"openid"`
	Scope          string `json:"scope"`
	UnionID        string `json:"unionid"`
	IsSnapshotUser int    `json:"is_snapshotuser"`
}

func (r pageTokenReply) token(now time.Time) PageToken {
	return PageToken{
		AccessToken: r.AccessToken, ExpiresAt: now.Add(time.Duration(r.ExpiresIn) * time.Second),
		RefreshToken: r.RefreshToken, OpenID: r.OpenID, UnionID: r.UnionID, Scope: r.Scope,
		IsSnapshotUser: r.IsSnapshotUser == 1,
	}
}

// ExchangeCode trades the code of the redirect for the customer's page token
// and openid. A rejected code gives an error for which IsCodeRejected is
// true. A transport error is not retried: the code may be spent.
func (c *Client) ExchangeCode(ctx context.Context, code string) (PageToken, error) {
	if code == "" {
		return PageToken{}, &Error{Op: "exchange code", Code: CodeInvalidCode, Msg: "empty code"}
	}
	var r pageTokenReply
	err := c.do(ctx, request{
		op: "exchange code", method: http.MethodGet, path: "/sns/oauth2/access_token",
		query: url.Values{"appid": {c.cfg.AppID}, "secret": {c.cfg.AppSecret}, "code": {code}, "grant_type": {"authorization_code"}},
	}, &r)
	if err != nil {
		return PageToken{}, err
	}
	if err := nonEmpty("exchange code", map[string]string{"access_token": r.AccessToken, "openid": r.OpenID}); err != nil {
		return PageToken{}, err
	}
	return r.token(c.now()), nil
}

// RefreshPageToken renews a page token with its refresh_token (valid 30 days;
// after that the customer authorises again: errcode 40030 / 42002).
func (c *Client) RefreshPageToken(ctx context.Context, refreshToken string) (PageToken, error) {
	var r pageTokenReply
	err := c.do(ctx, request{
		op: "refresh page token", method: http.MethodGet, path: "/sns/oauth2/refresh_token",
		query:          url.Values{"appid": {c.cfg.AppID}, "grant_type": {"refresh_token"}, "refresh_token": {refreshToken}},
		retryTransport: true, secrets: []string{refreshToken},
	}, &r)
	if err != nil {
		return PageToken{}, err
	}
	if err := nonEmpty("refresh page token", map[string]string{"access_token": r.AccessToken, "openid": r.OpenID}); err != nil {
		return PageToken{}, err
	}
	return r.token(c.now()), nil
}

// UserInfo is sns/userinfo (scope snsapi_userinfo only). Since 2021 WeChat
// leaves sex and region empty; nickname and avatar are still given.
type UserInfo struct {
	OpenID     string   `json:"openid"`
	Nickname   string   `json:"nickname"`
	Sex        int      `json:"sex"`
	Province   string   `json:"province"`
	City       string   `json:"city"`
	Country    string   `json:"country"`
	HeadImgURL string   `json:"headimgurl"`
	Privilege  []string `json:"privilege"`
	UnionID    string   `json:"unionid"`
}

// UserInfo fetches the customer's nickname and avatar with a page token.
func (c *Client) UserInfo(ctx context.Context, pageAccessToken, openID string) (UserInfo, error) {
	var u UserInfo
	err := c.do(ctx, request{
		op: "user info", method: http.MethodGet, path: "/sns/userinfo",
		query:          url.Values{"access_token": {pageAccessToken}, "openid": {openID}, "lang": {"zh_CN"}},
		retryTransport: true, secrets: []string{pageAccessToken},
	}, &u)
	if err != nil {
		return UserInfo{}, err
	}
	if u.OpenID != openID {
		return UserInfo{}, fmt.Errorf("wechat user info: the reply is for another openid")
	}
	return u, nil
}

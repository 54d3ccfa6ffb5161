package qfpay

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// OAuthCodeURL is seed §8.1's link: QFPay's get_weixin_oauth_code, opened in
// the WeChat browser, signed in its query (app_code, redirect_uri raw, mchid).
// QFPay sends the browser back to redirectURI with ?code= (or &code=).
func (c *Client) OAuthCodeURL(redirectURI string) (string, error) {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", errors.New("qfpay: the redirect URI must be the page's absolute http(s) URL")
	}
	p := url.Values{"app_code": {c.cfg.AppCode}, "redirect_uri": {redirectURI}}
	if c.cfg.MchID != "" {
		p.Set("mchid", c.cfg.MchID)
	}
	var b strings.Builder
	b.WriteString(wire.JoinURL(c.cfg.APIBaseURL, "/tool/v1/get_weixin_oauth_code"))
	b.WriteString("?app_code=" + url.QueryEscape(c.cfg.AppCode))
	b.WriteString("&redirect_uri=" + url.QueryEscape(redirectURI))
	if c.cfg.MchID != "" {
		b.WriteString("&mchid=" + url.QueryEscape(c.cfg.MchID))
	}
	b.WriteString("&sign=" + Sign(p, c.cfg.ClientKey))
	return b.String(), nil
}

// OpenID trades the code of get_weixin_oauth_code for the payer's openid
// under QFPay's official account (seed §8.2). A refused code is an *Error.
func (c *Client) OpenID(ctx context.Context, code string) (string, error) {
	if code == "" {
		return "", &Error{Op: "get openid", Respcd: "1104", Resperr: "empty code"}
	}
	var r struct {
		OpenID string `json:"openid"`
	}
	if err := c.sendForm(ctx, "get openid", http.MethodGet, "/tool/v1/get_weixin_openid", url.Values{"code": {code}}, c.queryTimeout, &r); err != nil {
		return "", err
	}
	if r.OpenID == "" {
		return "", errors.New("qfpay get openid: the reply has no openid")
	}
	return r.OpenID, nil
}

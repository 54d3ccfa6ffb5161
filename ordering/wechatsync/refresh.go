package wechatsync

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/wechat"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay"
)

// PageTokens renews page tokens of one official account (wechat.Client).
type PageTokens interface {
	AppID() string
	RefreshPageToken(ctx context.Context, refreshToken string) (wechat.PageToken, error)
}

// Refresher renews a customer's page access_token with its refresh_token
// before a (re)send, and keeps the new one with the login: the
// LoginTokenRefresher of the sync, for logins under the ordering page's
// official account.
type Refresher struct {
	DB     *store.DB
	WeChat PageTokens
}

var _ wechatpay.LoginTokenRefresher = (*Refresher)(nil)

// RefreshLoginToken implements wechatpay.LoginTokenRefresher. A login of
// another account, or one whose refresh_token WeChat no longer takes
// (40030, 42002: 30 days passed), cannot be renewed: ErrLoginGone.
func (r *Refresher) RefreshLoginToken(ctx context.Context, login wechatpay.WeChatLogin) (string, time.Time, error) {
	if r.WeChat == nil || login.AppID != r.WeChat.AppID() {
		return "", time.Time{}, fmt.Errorf("%w: the login is not under the ordering page's official account", wechatpay.ErrLoginGone)
	}
	customerID, err := strconv.ParseInt(login.SessionRef, 10, 64)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%w: no customer behind the login", wechatpay.ErrLoginGone)
	}
	idents, err := r.DB.CustomerIdentities(ctx, customerID)
	if err != nil {
		return "", time.Time{}, err
	}
	for _, ident := range idents {
		if ident.Provider != "wechat" || ident.AppID != login.AppID || ident.RefreshToken == "" {
			continue
		}
		tok, err := r.WeChat.RefreshPageToken(ctx, ident.RefreshToken)
		switch code := wechat.ErrCode(err); {
		case code == wechat.CodeInvalidRefresh || code == wechat.CodeRefreshExpired:
			return "", time.Time{}, fmt.Errorf("%w: %v", wechatpay.ErrLoginGone, err)
		case err != nil:
			return "", time.Time{}, err
		}
		ident.AccessToken = tok.AccessToken
		if tok.RefreshToken != "" {
			ident.RefreshToken = tok.RefreshToken
		}
		var at time.Time
		err = r.DB.Write(ctx, func(tx *store.Tx) error {
			at = tx.Now()
			return tx.SaveCustomerIdentity(ident)
		})
		return tok.AccessToken, at, err
	}
	return "", time.Time{}, fmt.Errorf("%w: the customer has no refresh_token", wechatpay.ErrLoginGone)
}

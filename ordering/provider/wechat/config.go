package wechat

import "github.com/posbridge/posbridge/ordering/provider/accounts"

// Config is the store's account here. It lives in package accounts, so the
// config package reads it without this client (and its net/http).
type Config = accounts.WeChat

// The production hosts, when the config leaves them out.
const (
	DefaultAPIBaseURL   = accounts.WeChatDefaultAPIBaseURL
	DefaultOAuthBaseURL = accounts.WeChatDefaultOAuthBaseURL
)

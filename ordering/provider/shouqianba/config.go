package shouqianba

import "github.com/posbridge/posbridge/ordering/provider/accounts"

// Config is the store's account here. It lives in package accounts, so the
// config package reads it without this client (and its net/http).
type Config = accounts.Shouqianba

// The production hosts, when the config leaves them out.
const (
	DefaultAPIBaseURL = accounts.ShouqianbaDefaultAPIBaseURL
	DefaultWAPBaseURL = accounts.ShouqianbaDefaultWAPBaseURL
)

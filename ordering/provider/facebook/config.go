package facebook

import "github.com/posbridge/posbridge/ordering/provider/accounts"

// Config is the store's account here. It lives in package accounts, so the
// config package reads it without this client (and its net/http).
type Config = accounts.Facebook

// The production hosts, when the config leaves them out.
const (
	DefaultGraphBaseURL = accounts.FacebookDefaultGraphBaseURL
	DefaultGraphVersion = accounts.FacebookDefaultGraphVersion
)

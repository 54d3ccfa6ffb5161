package wechatpay

import "github.com/posbridge/posbridge/wechatpay/wxconfig"

// The section of posbridge.yaml lives in wxconfig (no HTTP client there);
// these names keep the client's callers as they were.
type (
	Config     = wxconfig.Config
	Restaurant = wxconfig.Restaurant
	Problem    = wxconfig.Problem
)

const (
	ModeServiceProvider = wxconfig.ModeServiceProvider
	ModeChannel         = wxconfig.ModeChannel
	DefaultBaseURL      = wxconfig.DefaultBaseURL
	ConfigSection       = wxconfig.ConfigSection
)

// Defaults returns the section as it is when the file leaves it out: off.
func Defaults() Config { return wxconfig.Defaults() }

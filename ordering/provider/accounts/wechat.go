package accounts

import (
	"strings"

	"github.com/posbridge/posbridge/ordering/provider"
)

// Default base URLs (ordering.wechat.api_base_url, oauth_base_url).
const (
	WeChatDefaultAPIBaseURL   = "https://api.weixin.qq.com"
	WeChatDefaultOAuthBaseURL = "https://open.weixin.qq.com"
)

// WeChat is ordering.wechat: the certified 服务号 whose web authorisation and
// JS-SDK the page uses.
type WeChat struct {
	AppID        string `mapstructure:"app_id" yaml:"app_id"`
	AppSecret    string `mapstructure:"app_secret" yaml:"app_secret"`
	APIBaseURL   string `mapstructure:"api_base_url" yaml:"api_base_url"`
	OAuthBaseURL string `mapstructure:"oauth_base_url" yaml:"oauth_base_url"`
}

// Configured reports whether WeChat login is set up.
func (c WeChat) Configured() bool {
	return strings.TrimSpace(c.AppID) != "" || strings.TrimSpace(c.AppSecret) != ""
}

// WithDefaults fills empty base URLs.
func (c WeChat) WithDefaults() WeChat {
	if strings.TrimSpace(c.APIBaseURL) == "" {
		c.APIBaseURL = WeChatDefaultAPIBaseURL
	}
	if strings.TrimSpace(c.OAuthBaseURL) == "" {
		c.OAuthBaseURL = WeChatDefaultOAuthBaseURL
	}
	return c
}

// Validate checks a configured account (defaults applied); an unconfigured
// one is valid: WeChat login is then off.
func (c WeChat) Validate() error {
	if !c.Configured() {
		return nil
	}
	c = c.WithDefaults()
	p := provider.Problems{Section: "wechat"}
	p.Required("app_id", c.AppID, "the AppID of your 服务号 (公众号后台 → 设置与开发 → 基本配置), like wx1234567890abcdef")
	if id := strings.TrimSpace(c.AppID); id != "" && (!strings.HasPrefix(id, "wx") || len(id) != 18) {
		p.Add("app_id", "\""+id+"\" does not look like an AppID (wx followed by 16 characters): copy it from 公众号后台 → 基本配置")
	}
	p.Required("app_secret", c.AppSecret, "the AppSecret of the same account (基本配置 → AppSecret; reset it there if nobody kept it)")
	CheckBaseURL(&p, "api_base_url", c.APIBaseURL, "leave it out for "+WeChatDefaultAPIBaseURL)
	CheckBaseURL(&p, "oauth_base_url", c.OAuthBaseURL, "leave it out for "+WeChatDefaultOAuthBaseURL)
	return p.Err()
}

package accounts

import (
	"regexp"
	"strings"

	"github.com/posbridge/posbridge/ordering/provider"
)

// Defaults: the China-Mainland production hosts (the seed's environment;
// the test host is https://openapi-test.qfpay.com, Hong Kong merchants use
// https://openapi-hk.qfapi.com and https://o2-hk.qfapi.com/q/direct).
const (
	QFPayDefaultAPIBaseURL = "https://openapi.qfpay.com"
	QFPayDefaultPayPageURL = "https://o2.qfpay.com/q/direct"
)

// QFPay is ordering.payment.qf (or a restaurant's override).
type QFPay struct {
	AppCode    string `mapstructure:"app_code" yaml:"app_code"`
	ClientKey  string `mapstructure:"client_key" yaml:"client_key"`
	MchID      string `mapstructure:"mchid" yaml:"mchid"` // only when QFPay gave one: then it is sent in every call
	APIBaseURL string `mapstructure:"api_base_url" yaml:"api_base_url"`
	PayPageURL string `mapstructure:"pay_page_url" yaml:"pay_page_url"`
}

// Configured reports whether 钱方 is set up.
func (c QFPay) Configured() bool {
	return strings.TrimSpace(c.AppCode) != "" || strings.TrimSpace(c.ClientKey) != ""
}

// WithDefaults fills empty URLs.
func (c QFPay) WithDefaults() QFPay {
	if strings.TrimSpace(c.APIBaseURL) == "" {
		c.APIBaseURL = QFPayDefaultAPIBaseURL
	}
	if strings.TrimSpace(c.PayPageURL) == "" {
		c.PayPageURL = QFPayDefaultPayPageURL
	}
	return c
}

var (
	codeRE  = regexp.MustCompile(`^[A-Za-z0-9]{8,64}$`)
	mchidRE = regexp.MustCompile(`^[A-Za-z0-9]{1,16}$`)
)

// Validate checks a configured account (defaults applied); an unconfigured
// one is valid: 钱方 is then not offered.
func (c QFPay) Validate() error {
	if !c.Configured() {
		return nil
	}
	c = c.WithDefaults()
	p := provider.Problems{Section: "qf"}
	p.Required("app_code", c.AppCode, "the app_code QFPay sent with your account (32 characters)")
	if v := strings.TrimSpace(c.AppCode); v != "" && !codeRE.MatchString(v) {
		p.Add("app_code", "does not look like a QFPay app_code (letters and digits only): copy it again from QFPay's e-mail")
	}
	p.Required("client_key", c.ClientKey, "the client_key (signing key) QFPay sent with the app_code")
	if v := strings.TrimSpace(c.MchID); v != "" && !mchidRE.MatchString(v) {
		p.Add("mchid", "must be the mchid QFPay gave you (up to 16 letters and digits), or left out when QFPay gave none")
	}
	CheckBaseURL(&p, "api_base_url", c.APIBaseURL, "leave it out for "+QFPayDefaultAPIBaseURL)
	CheckBaseURL(&p, "pay_page_url", c.PayPageURL, "leave it out for "+QFPayDefaultPayPageURL)
	return p.Err()
}

package accounts

import (
	"fmt"
	"os"
	"strings"

	"github.com/posbridge/posbridge/internal/rsakeys"
	"github.com/posbridge/posbridge/ordering/provider"
)

// Defaults: the API domain of today's SDKs and the WAP cashier gateway.
const (
	ShouqianbaDefaultAPIBaseURL = "https://vsi-api.shouqianba.com"
	ShouqianbaDefaultWAPBaseURL = "https://qr.shouqianba.com/gateway"
)

// Shouqianba is ordering.payment.sqb (or a restaurant's override).
type Shouqianba struct {
	VendorSN       string `mapstructure:"vendor_sn" yaml:"vendor_sn"`
	VendorKey      string `mapstructure:"vendor_key" yaml:"vendor_key"`
	AppID          string `mapstructure:"app_id" yaml:"app_id"`
	ActivationCode string `mapstructure:"activation_code" yaml:"activation_code"`
	DeviceID       string `mapstructure:"device_id" yaml:"device_id"` // default: generated once and kept with the terminal
	APIBaseURL     string `mapstructure:"api_base_url" yaml:"api_base_url"`
	WAPBaseURL     string `mapstructure:"wap_base_url" yaml:"wap_base_url"`
	PublicKeyFile  string `mapstructure:"public_key_file" yaml:"public_key_file"`
}

// Configured reports whether 收钱吧 is set up.
func (c Shouqianba) Configured() bool {
	return strings.TrimSpace(c.VendorSN) != "" || strings.TrimSpace(c.VendorKey) != "" || strings.TrimSpace(c.AppID) != ""
}

// WithDefaults fills empty URLs.
func (c Shouqianba) WithDefaults() Shouqianba {
	if strings.TrimSpace(c.APIBaseURL) == "" {
		c.APIBaseURL = ShouqianbaDefaultAPIBaseURL
	}
	if strings.TrimSpace(c.WAPBaseURL) == "" {
		c.WAPBaseURL = ShouqianbaDefaultWAPBaseURL
	}
	return c
}

// Validate checks a configured account (defaults applied); an unconfigured
// one is valid: 收钱吧 is then not offered. The activation code is needed
// only until the terminal is activated; the client says so when it is.
func (c Shouqianba) Validate() error {
	if !c.Configured() {
		return nil
	}
	c = c.WithDefaults()
	p := provider.Problems{Section: "sqb"}
	p.Required("vendor_sn", c.VendorSN, "the 服务商序列号 (vendor_sn) from 收钱吧's service-provider platform")
	p.Required("vendor_key", c.VendorKey, "the 服务商密钥 (vendor_key) from the same platform")
	p.Required("app_id", c.AppID, "the app id from 收钱吧's service-provider platform")
	if len(c.DeviceID) > 128 {
		p.Add("device_id", "is longer than 128 characters")
	}
	CheckBaseURL(&p, "api_base_url", c.APIBaseURL, "leave it out for "+ShouqianbaDefaultAPIBaseURL)
	CheckBaseURL(&p, "wap_base_url", c.WAPBaseURL, "leave it out for "+ShouqianbaDefaultWAPBaseURL)
	if f := strings.TrimSpace(c.PublicKeyFile); f != "" {
		if _, err := LoadShouqianbaPublicKey(f); err != nil {
			p.Add("public_key_file", err.Error())
		}
	}
	return p.Err()
}

// LoadShouqianbaPublicKey reads 收钱吧's notification key (PEM).
func LoadShouqianbaPublicKey(path string) (any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v (the RSA public key 收钱吧 gave you for notifications, or leave the key out)", path, err)
	}
	k, err := rsakeys.ParsePublic(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v (expected 收钱吧's RSA public key as PEM)", path, err)
	}
	return k, nil
}

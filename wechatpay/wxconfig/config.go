package wxconfig

import "strings"

// Modes of Config.Mode: who the caller is towards WeChat Pay.
const (
	ModeServiceProvider = "service_provider" // 服务商: sp_mchid + sp_appid
	ModeChannel         = "channel"          // 渠道商: channel_id
)

// DefaultBaseURL is WeChat Pay's API host (api2.mch.weixin.qq.com is the
// documented backup).
const DefaultBaseURL = "https://api.mch.weixin.qq.com"

// ConfigSection is the key of the section in posbridge.yaml; Problem keys
// start with it.
const ConfigSection = "wechatpay"

// Config is the wechatpay section of posbridge.yaml. The tags are the
// contract keys of the section.
type Config struct {
	Enabled bool   `mapstructure:"enabled" yaml:"enabled"`
	Mode    string `mapstructure:"mode" yaml:"mode"` // service_provider | channel

	SpMchID   string `mapstructure:"sp_mchid" yaml:"sp_mchid"`
	SpAppID   string `mapstructure:"sp_appid" yaml:"sp_appid"`
	ChannelID string `mapstructure:"channel_id" yaml:"channel_id"`

	// MerchantSerialNo is the serial of the merchant API certificate
	// (apiclient_cert.pem) whose private key is PrivateKeyFile.
	MerchantSerialNo string `mapstructure:"merchant_serial_no" yaml:"merchant_serial_no"`
	PrivateKeyFile   string `mapstructure:"private_key_file" yaml:"private_key_file"`

	// PublicKeyID and PublicKeyFile are the WeChat Pay public key
	// (PUB_KEY_ID_…) that verifies replies. Without them, replies are
	// verified with platform certificates downloaded and decrypted with
	// APIv3Key. With both, both are accepted (the migration period).
	PublicKeyID   string `mapstructure:"public_key_id" yaml:"public_key_id"`
	PublicKeyFile string `mapstructure:"public_key_file" yaml:"public_key_file"`
	APIv3Key      string `mapstructure:"apiv3_key" yaml:"apiv3_key"`

	BaseURL     string       `mapstructure:"base_url" yaml:"base_url"`
	Restaurants []Restaurant `mapstructure:"restaurants" yaml:"restaurants"`
}

// Restaurant is one scan-to-order restaurant and the sub-merchant WeChat Pay
// knows it as.
type Restaurant struct {
	ID        int64  `mapstructure:"id" yaml:"id"` // the scan-to-order restaurant id
	SubMchID  string `mapstructure:"sub_mchid" yaml:"sub_mchid"`
	SubAppID  string `mapstructure:"sub_appid" yaml:"sub_appid"`
	OutShopNo string `mapstructure:"out_shop_no" yaml:"out_shop_no"`
	// DishTypes maps a menu category id to a documented dish type such as
	// FAST_FOOD; dishes of unmapped categories are sent without a type.
	DishTypes map[string]string `mapstructure:"dish_types" yaml:"dish_types"`
}

// Defaults returns the section as it is when the file leaves it out: off.
func Defaults() Config {
	return Config{Mode: ModeServiceProvider, BaseURL: DefaultBaseURL}
}

// MerchantID is the merchant whose API certificate signs: the service
// provider's sp_mchid, or the channel merchant's channel_id.
func (c *Config) MerchantID() string {
	if c.Mode == ModeChannel {
		return strings.TrimSpace(c.ChannelID)
	}
	return strings.TrimSpace(c.SpMchID)
}

// Restaurant returns the configured restaurant with the id.
func (c *Config) Restaurant(id int64) (*Restaurant, bool) {
	for i := range c.Restaurants {
		if c.Restaurants[i].ID == id {
			return &c.Restaurants[i], true
		}
	}
	return nil, false
}

// UsesPublicKey is true when replies are verified with the WeChat Pay public
// key (public_key_id is set).
func (c *Config) UsesPublicKey() bool { return strings.TrimSpace(c.PublicKeyID) != "" }

// UsesCertificates is true when platform certificates are downloaded: the
// APIv3 key is set (alone, or next to a public key during the migration).
func (c *Config) UsesCertificates() bool { return c.APIv3Key != "" }

// Masked returns a copy safe to print: the APIv3 key is hidden. Key files
// appear by path only, so nothing else is secret.
func (c Config) Masked() Config {
	if c.APIv3Key != "" {
		c.APIv3Key = "(set)"
	}
	c.Restaurants = append([]Restaurant(nil), c.Restaurants...)
	return c
}

// DishType looks a menu category up in the restaurant's map. Keys are
// compared without case: viper lower-cases map keys when it loads the file.
func (r *Restaurant) DishType(categoryID string) (string, bool) {
	if categoryID == "" {
		return "", false
	}
	if t, ok := r.DishTypes[categoryID]; ok {
		return t, true
	}
	for k, t := range r.DishTypes {
		if strings.EqualFold(k, categoryID) {
			return t, true
		}
	}
	return "", false
}

package config

import (
	"os"
	"path/filepath"
	"time"

	"github.com/posbridge/posbridge/ordering/members/rules"
	"github.com/posbridge/posbridge/ordering/provider/accounts"
)

// OrderingConfig is the scan-to-order channel (seed 002): the listener the
// customers' phones reach, the URL printed in table QR codes, and the
// restaurants with their menu files.
type OrderingConfig struct {
	// Listen is the address of the phones' API and page; "" turns the
	// channel off. It serves nothing of the console or the push receiver.
	Listen      string `mapstructure:"listen" yaml:"listen"`
	PublicURL   string `mapstructure:"public_url" yaml:"public_url"`
	TLSCertFile string `mapstructure:"tls_cert_file" yaml:"tls_cert_file"`
	TLSKeyFile  string `mapstructure:"tls_key_file" yaml:"tls_key_file"`
	// Restaurants are the seed's restaurant ids (the QR's rid), each
	// serving one of stores[] from its menu file.
	Restaurants []RestaurantConfig `mapstructure:"restaurants" yaml:"restaurants"`
	// TakeCodeStart is the first take code of each business day; 5001 keeps
	// them apart from 开个店's pickup numbers (1001…).
	TakeCodeStart int `mapstructure:"take_code_start" yaml:"take_code_start"`
	// AcceptDeadline: an order nobody accepted within this is rejected by
	// itself, and the phone is told so.
	AcceptDeadline time.Duration `mapstructure:"accept_deadline" yaml:"accept_deadline"`
	// TrustedProxies (CIDRs or addresses) are the reverse proxies or tunnels
	// whose X-Forwarded-For names the phone, for the per-address limits.
	TrustedProxies []string `mapstructure:"trusted_proxies" yaml:"trusted_proxies"`
	// OpenOrdersPerTable caps the orders not yet completed at one real
	// table (not the virtual takeout / wait-pickup tables).
	OpenOrdersPerTable int `mapstructure:"open_orders_per_table" yaml:"open_orders_per_table"`
	// CreatesPerMinute and CalcsPerMinute are per phone address.
	CreatesPerMinute int `mapstructure:"creates_per_minute" yaml:"creates_per_minute"`
	CalcsPerMinute   int `mapstructure:"calcs_per_minute" yaml:"calcs_per_minute"`
	// JWTSecretFile keys the customers' logins; "" = generated once into
	// the data folder (0600).
	JWTSecretFile string `mapstructure:"jwt_secret_file" yaml:"jwt_secret_file"`
	// SMS is the store's gateway for login codes (the sandbox shows them in
	// the console and the log instead).
	SMS      accounts.SMS      `mapstructure:"sms" yaml:"sms"`
	WeChat   accounts.WeChat   `mapstructure:"wechat" yaml:"wechat"`
	Facebook accounts.Facebook `mapstructure:"facebook" yaml:"facebook"`
	Payment  OrderingPayment   `mapstructure:"payment" yaml:"payment"`
	// Members is the store's member cards: levels, points, the top-up price
	// list (ordering.members, issue 18).
	Members rules.Config `mapstructure:"members" yaml:"members"`
}

// RestaurantConfig is one restaurant of the ordering channel.
type RestaurantConfig struct {
	ID      int64  `mapstructure:"id" yaml:"id"`
	StoreID string `mapstructure:"store_id" yaml:"store_id"`
	// MenuFile is the menu (YAML or JSON). A relative path is beside the
	// config file, or under data_dir/menus when the config folder is not
	// writable (the service's /etc/posbridge): console edits go there.
	MenuFile string `mapstructure:"menu_file" yaml:"menu_file"`
	// Payment is the restaurant's own 钱方 / 收钱吧 account (else
	// ordering.payment's).
	Payment RestaurantPayment `mapstructure:"payment" yaml:"payment"`
}

func orderingDefaults() OrderingConfig {
	return OrderingConfig{
		TakeCodeStart:      5001,
		AcceptDeadline:     10 * time.Minute,
		OpenOrdersPerTable: 10,
		CreatesPerMinute:   10,
		CalcsPerMinute:     120,
		WeChat:             accounts.WeChat{}.WithDefaults(),
		Facebook:           accounts.Facebook{}.WithDefaults(),
		Payment:            OrderingPayment{Expire: 15 * time.Minute},
		Members:            rules.Config{Points: rules.DefaultConfig().Points},
	}
}

// MenuPath is where restaurant r's menu file is read and written.
func (c *Config) MenuPath(r RestaurantConfig) string {
	if r.MenuFile == "" || filepath.IsAbs(r.MenuFile) {
		return r.MenuFile
	}
	if c.File != "" {
		dir := filepath.Dir(c.File)
		if dirWritable(dir) {
			return filepath.Join(dir, r.MenuFile)
		}
	}
	return filepath.Join(c.DataDir, "menus", r.MenuFile)
}

// dirWritable tries what the daemon would do: create a file in dir.
func dirWritable(dir string) bool {
	f, err := os.CreateTemp(dir, ".posbridge-write-check-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}

// Restaurant returns the restaurant with the seed id rid.
func (c *OrderingConfig) Restaurant(rid int64) (RestaurantConfig, bool) {
	for _, r := range c.Restaurants {
		if r.ID == rid {
			return r, true
		}
	}
	return RestaurantConfig{}, false
}

// SandboxOrderingListen is where the sandbox serves the phones' page.
const SandboxOrderingListen = "127.0.0.1:8688"

// sandboxOrdering turns the channel on in the sandbox: the tea shop 1862
// as restaurant 1, with the demo menu (written under data_dir/menus on
// the first run).
func sandboxOrdering(o OrderingConfig) OrderingConfig {
	o.Listen = SandboxOrderingListen // public_url: the listener's address once it is open
	o.Restaurants = []RestaurantConfig{{ID: 1, StoreID: "1862", MenuFile: "menu-1862.yaml"}}
	return o
}

package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/posbridge/posbridge/ordering/provider"
	"github.com/posbridge/posbridge/ordering/provider/accounts"
)

// OrderingPayment is ordering.payment (issue 16): the online payment
// providers and how long an order waits for its payment.
type OrderingPayment struct {
	// Expire: an order unpaid this long is closed at the provider and here.
	Expire time.Duration       `mapstructure:"expire" yaml:"expire"`
	QF     accounts.QFPay      `mapstructure:"qf" yaml:"qf"`
	SQB    accounts.Shouqianba `mapstructure:"sqb" yaml:"sqb"`
}

// RestaurantPayment is a restaurant's own 钱方 / 收钱吧 account, used
// instead of ordering.payment's when it is set.
type RestaurantPayment struct {
	QF  accounts.QFPay      `mapstructure:"qf" yaml:"qf"`
	SQB accounts.Shouqianba `mapstructure:"sqb" yaml:"sqb"`
}

// JWTSecretPath is where the customers' login key is kept: the configured
// file, or jwt-secret in the data folder (written 0600 on the first start).
func (c *Config) JWTSecretPath() string {
	if c.Ordering.JWTSecretFile != "" {
		return c.Ordering.JWTSecretFile
	}
	return filepath.Join(c.DataDir, "ordering-jwt-secret")
}

// QFPayOf is restaurant rid's 钱方 account (its own, else the shared one).
func (c *OrderingConfig) QFPayOf(rid int64) accounts.QFPay {
	if r, ok := c.Restaurant(rid); ok && r.Payment.QF.Configured() {
		return r.Payment.QF
	}
	return c.Payment.QF
}

// SQBOf is restaurant rid's 收钱吧 account (its own, else the shared one).
func (c *OrderingConfig) SQBOf(rid int64) accounts.Shouqianba {
	if r, ok := c.Restaurant(rid); ok && r.Payment.SQB.Configured() {
		return r.Payment.SQB
	}
	return c.Payment.SQB
}

// customers checks issue 16's keys: each provider's own Validate, its
// problems reported at their keys (and so at their lines).
func (v *validator) customers() {
	o := v.c.Ordering
	v.positive("ordering.payment.expire", o.Payment.Expire)
	if o.Payment.Expire > 2*time.Hour {
		v.err("ordering.payment.expire", "is %s: 钱方 and 收钱吧 close unpaid orders after two hours at most; use 15m", o.Payment.Expire)
	}
	v.providerProblems("ordering.sms", o.SMS.Validate())
	v.providerProblems("ordering.wechat", o.WeChat.Validate())
	v.providerProblems("ordering.facebook", o.Facebook.Validate())
	v.providerProblems("ordering.payment.qf", o.Payment.QF.Validate())
	v.providerProblems("ordering.payment.sqb", o.Payment.SQB.Validate())
	for i, r := range o.Restaurants {
		key := fmt.Sprintf("ordering.restaurants[%d].payment", i)
		v.providerProblems(key+".qf", r.Payment.QF.Validate())
		v.providerProblems(key+".sqb", r.Payment.SQB.Validate())
	}
}

// providerProblems reports a provider's ConfigError key by key under prefix.
func (v *validator) providerProblems(prefix string, err error) {
	if err == nil {
		return
	}
	var ce *provider.ConfigError
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			v.err(prefix+"."+p.Key, "%s", p.Problem)
		}
		return
	}
	v.err(prefix, "%v", err)
}

// maskedCustomers hides issue 16's secrets in a dump.
func maskedCustomers(o OrderingConfig) OrderingConfig {
	o.SMS.Token = maskSecret(o.SMS.Token)
	o.SMS.WebhookURL = maskURL(o.SMS.WebhookURL)
	o.WeChat.AppSecret = maskSecret(o.WeChat.AppSecret)
	o.Facebook.AppSecret = maskSecret(o.Facebook.AppSecret)
	o.Payment.QF, o.Payment.SQB = maskQF(o.Payment.QF), maskSQB(o.Payment.SQB)
	rs := make([]RestaurantConfig, len(o.Restaurants))
	for i, r := range o.Restaurants {
		r.Payment.QF, r.Payment.SQB = maskQF(r.Payment.QF), maskSQB(r.Payment.SQB)
		rs[i] = r
	}
	if o.Restaurants != nil {
		o.Restaurants = rs
	}
	return o
}

func maskQF(c accounts.QFPay) accounts.QFPay {
	c.ClientKey = maskSecret(c.ClientKey)
	return c
}

func maskSQB(c accounts.Shouqianba) accounts.Shouqianba {
	c.VendorKey = maskSecret(c.VendorKey)
	c.ActivationCode = maskSecret(c.ActivationCode)
	return c
}

package wechatpay

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/posbridge/posbridge/internal/rsakeys"
)

// Credentials are the keys a Client works with, loaded from the files of
// the Config or made in memory (tests, the sandbox).
type Credentials struct {
	// MerchantKey is the 服务商/渠道商 merchant API private key that signs.
	MerchantKey *rsa.PrivateKey
	// PublicKey is the WeChat Pay public key of Config.PublicKeyID; nil when
	// replies are verified with platform certificates only.
	PublicKey *rsa.PublicKey
}

// LoadCredentials reads the key files the Config names.
func LoadCredentials(c *Config) (*Credentials, error) {
	if strings.TrimSpace(c.PrivateKeyFile) == "" {
		return nil, errors.New("wechatpay.private_key_file is empty: set the merchant API private key apiclient_key.pem")
	}
	data, err := os.ReadFile(c.PrivateKeyFile)
	if err != nil {
		return nil, fmt.Errorf("wechatpay.private_key_file: %w", err)
	}
	key, err := rsakeys.ParsePrivate(data)
	if err != nil {
		return nil, fmt.Errorf("wechatpay.private_key_file %s: %w", c.PrivateKeyFile, err)
	}
	creds := &Credentials{MerchantKey: key}
	if c.UsesPublicKey() {
		data, err := os.ReadFile(c.PublicKeyFile)
		if err != nil {
			return nil, fmt.Errorf("wechatpay.public_key_file: %w", err)
		}
		if creds.PublicKey, err = rsakeys.ParsePublic(data); err != nil {
			return nil, fmt.Errorf("wechatpay.public_key_file %s: %w", c.PublicKeyFile, err)
		}
	}
	return creds, nil
}

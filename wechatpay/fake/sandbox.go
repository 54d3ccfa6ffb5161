package fake

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
)

// Sandbox is a fake WeChat Pay with made-up credentials, for `posbridge
// run` without a config file: the client gets MerchantKey, the ids and
// PublicKeyID/PublicKey, and the console shows real sync states.
type Sandbox struct {
	Server         *Server
	BaseURL        string
	MchID          string // sp_mchid (service_provider mode)
	SpAppID        string
	MerchantSerial string
	MerchantKey    *rsa.PrivateKey
	SubMerchants   []SubMerchant
}

// Sandbox identities: recognisably fake, valid in form.
const (
	SandboxMchID   = "1900000100"
	SandboxSpAppID = "wx000000000sandbox"
	SandboxSerial  = "5A4D0B0C5A4D0B0C5A4D0B0C5A4D0B0C5A4D0B0C"
)

// StartSandbox makes keys, starts a fake on addr ("127.0.0.1:0") and
// returns what the client needs. failureRate (0–1) of the syncs get a
// 500 or a 429, so that retries show.
func StartSandbox(addr string, subMerchants []SubMerchant, failureRate float64) (*Sandbox, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	s, err := New(Options{MchID: SandboxMchID, MerchantSerial: SandboxSerial, MerchantPublicKey: &key.PublicKey,
		SpAppID: SandboxSpAppID, SubMerchants: subMerchants, FailureRate: failureRate})
	if err != nil {
		return nil, err
	}
	url, err := s.Start(addr)
	if err != nil {
		return nil, fmt.Errorf("fake wechatpay: %w", err)
	}
	return &Sandbox{Server: s, BaseURL: url, MchID: SandboxMchID, SpAppID: SandboxSpAppID,
		MerchantSerial: SandboxSerial, MerchantKey: key, SubMerchants: subMerchants}, nil
}

package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/posbridge/posbridge/internal/rsakeys"
)

func (v *validator) platform() {
	p := v.c.Platform
	v.enum("platform.mode", p.Mode, ModeSandbox, ModeLive)
	if v.c.Sandbox && p.Mode != ModeSandbox {
		v.err("platform.mode", "live needs a config file with your stores and printers: create one with `posbridge config init`")
	}
	if v.c.SetupMode() {
		v.warn("platform", "%s", v.c.SetupMessage())
	} else if p.Mode == ModeLive {
		required := []struct{ key, val, what string }{
			{"platform.base_url", p.BaseURL, "the API address 开个店 gave you, like https://…/openapi"},
			{"platform.partner_id", p.PartnerID, "the partnerId 开个店 gave you"},
			{"platform.app_id", p.AppID, "the appId 开个店 gave you"},
			{"platform.access_token", p.AccessToken, "the access token 开个店 gave you"},
			{"platform.private_key_file", p.PrivateKeyFile, "the file with your merchant RSA private key"},
		}
		for _, r := range required {
			if strings.TrimSpace(r.val) == "" {
				v.err(r.key, "required in live mode: %s", r.what)
			}
		}
	}
	if p.BaseURL != "" {
		v.baseURL(p.BaseURL, p.Mode)
	}
	if p.PrivateKeyFile != "" {
		v.keyFile("platform.private_key_file", p.PrivateKeyFile, true)
	}
	if p.PublicKeyFile != "" {
		v.keyFile("platform.public_key_file", p.PublicKeyFile, false)
	}
	v.positive("platform.timeout", p.Timeout)
	if p.RatePerSecond <= 0 {
		v.err("platform.rate_per_second", "must be more than 0 (calls per second to 开个店; 5 is safe)")
	}
	if len(p.OrderClients) == 0 {
		v.err("platform.order_clients", "must list the channels to fetch, like [1, 2, 3]; leave the key out for every channel")
	}
	for i, n := range p.OrderClients {
		if n < 1 {
			v.err(fmt.Sprintf("platform.order_clients[%d]", i), "%d is not a channel: channels are numbers from 1 (see the orderClient list)", n)
		}
	}
	for i, c := range p.SellOutChannels {
		switch c {
		case "saas", "saasdelivery", "saasmall", "wc":
		default:
			v.err(fmt.Sprintf("platform.sell_out_channels[%d]", i), "%q is not a 开个店 sales channel: use saas (自提), saasdelivery (外卖), saasmall (微商城) or wc (围餐)", c)
		}
	}
}

func (v *validator) baseURL(raw, mode string) {
	const key = "platform.base_url"
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		v.err(key, "%q is not a web address: write it like https://open.example.cn/openapi", raw)
		return
	}
	if u.User != nil {
		v.err(key, "must not contain a user name or password: put the token in platform.access_token")
	}
	if u.Scheme == "http" && mode == ModeLive && !isLoopback(u.Hostname()) {
		v.warn(key, "uses http: orders and the access token travel unencrypted; use the https address")
	}
	if mode == ModeSandbox {
		v.warn(key, "is ignored in sandbox mode (the built-in simulator answers); set platform.mode: live to use it")
	}
}

// keyFile reads and parses an RSA key file.
func (v *validator) keyFile(key, path string, private bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		v.err(key, "cannot read the key file: %v (relative paths start at the config file's folder)", unwrapPath(err))
		return
	}
	var bits int
	if private {
		k, err := rsakeys.ParsePrivate(data)
		if err != nil {
			hint := "use the merchant private key you generated for 开个店 (PKCS#8 or PKCS#1, PEM or base64)"
			if _, perr := rsakeys.ParsePublic(data); perr == nil {
				hint = "this is a public key: put your private key here, and the platform's public key in platform.public_key_file"
			}
			v.err(key, "%s is not an RSA private key (%v): %s", path, err, hint)
			return
		}
		bits = k.N.BitLen()
	} else {
		k, err := rsakeys.ParsePublic(data)
		if err != nil {
			hint := "use the platform public key 开个店 gave you (X.509 or PKCS#1, PEM or base64)"
			if _, perr := rsakeys.ParsePrivate(data); perr == nil {
				hint = "this is a private key: never share it; put the platform's public key here"
			}
			v.err(key, "%s is not an RSA public key (%v): %s", path, err, hint)
			return
		}
		bits = k.N.BitLen()
	}
	if bits < rsakeys.MinBits {
		v.warn(key, "the key has %d bits; 开个店 requires %d: generate a new key pair of %d bits", bits, rsakeys.MinBits, rsakeys.MinBits)
	}
}

// unwrapPath drops the operation from a *PathError ("open x: no such file").
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

func (v *validator) poll() {
	p := v.c.Poll
	for _, d := range []struct {
		key string
		val time.Duration
	}{
		{"poll.interval", p.Interval},
		{"poll.fast_interval", p.FastInterval},
		{"poll.refund_interval", p.RefundEvery},
		{"poll.reconcile_interval", p.ReconcileEvery},
	} {
		if d.val == 0 {
			v.err(d.key, "must be more than 0, like 60s")
		} else if d.val > 0 && d.val < time.Second {
			v.warn(d.key, "is under 1s: 开个店 limits the rate of calls; use 5s or more")
		}
	}
	if p.FastInterval > p.Interval {
		v.warn("poll.fast_interval", "is longer than poll.interval (%s): the fast interval should be the shorter one", p.Interval)
	}
}

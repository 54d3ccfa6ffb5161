package accounts

import (
	"net"
	"net/url"
	"strings"

	"github.com/posbridge/posbridge/ordering/provider"
)

// SMS is ordering.sms.
type SMS struct {
	WebhookURL string `mapstructure:"webhook_url" yaml:"webhook_url"`
	Token      string `mapstructure:"token" yaml:"token"`
}

// Configured reports whether the store set up a gateway (else the sandbox
// sender or no SMS login).
func (c SMS) Configured() bool {
	return strings.TrimSpace(c.WebhookURL) != "" || strings.TrimSpace(c.Token) != ""
}

// Validate checks a configured gateway; an unconfigured one is valid.
func (c SMS) Validate() error {
	p := provider.Problems{Section: "sms"}
	if !c.Configured() {
		return nil
	}
	p.Required("token", c.Token, "the Bearer token your SMS gateway expects")
	raw := strings.TrimSpace(c.WebhookURL)
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		p.Add("webhook_url", "is empty: the address your SMS gateway takes codes at, like https://sms.example.com/send")
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		p.Add("webhook_url", "\""+raw+"\" is not an http(s) address like https://sms.example.com/send")
	case u.User != nil:
		p.Add("webhook_url", "must not hold user:password@ (the token goes in token)")
	case u.Scheme == "http" && !onThisNetwork(u.Hostname()):
		p.Add("webhook_url", "must use https:// (plain http only to a gateway on this PC or the shop's own network, like http://192.168.1.20/)")
	}
	return p.Err()
}

// onThisNetwork allows plain http to a gateway modem on the shop's LAN: the
// token then never crosses the internet.
func onThisNetwork(host string) bool {
	if IsLoopback(host) {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsPrivate()
}

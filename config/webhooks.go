package config

import (
	"fmt"
	"net/url"
	"path"
	"strings"
)

// WebhookConfig is one receiver of signed outbound events: each request's
// body is signed with HMAC-SHA256 under Secret (X-Posbridge-Signature).
type WebhookConfig struct {
	URL    string   `mapstructure:"url" yaml:"url"`
	Secret string   `mapstructure:"secret" yaml:"secret"`
	Events []string `mapstructure:"events" yaml:"events"` // patterns: order.accepted, order.*, printer.fault, *; empty = all
}

// On reports whether the entry is in use: url "" keeps a receiver written
// down but sends it nothing.
func (w WebhookConfig) On() bool { return strings.TrimSpace(w.URL) != "" }

// WebhookEvents are the event names posbridge sends.
var WebhookEvents = []string{
	"order.new", "order.accepted", "order.made", "order.delivering", "order.delivered", "order.completed",
	"order.cancelled", "order.rejected", "order.closed_unpaid", "order.refund_requested", "order.refund_processing",
	"order.refunded",
	"printer.fault", "printer.recovered",
}

// Wants reports whether the receiver subscribed to event.
func (w WebhookConfig) Wants(event string) bool {
	if len(w.Events) == 0 {
		return true
	}
	for _, p := range w.Events {
		if ok, _ := path.Match(strings.TrimSpace(p), event); ok {
			return true
		}
	}
	return false
}

// minWebhookSecret: a shorter secret can be guessed from signed bodies.
const minWebhookSecret = 16

func (v *validator) webhooks() {
	seen := map[string]bool{}
	for i, w := range v.c.Webhooks {
		key := fmt.Sprintf("webhooks[%d]", i)
		if !w.On() {
			continue
		}
		u, err := url.Parse(strings.TrimSpace(w.URL))
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
			v.add(false, key+".url", "webhook url %q is not an http:// or https:// address: write the receiver's full URL", MaskURL(w.URL))
		case seen[w.URL]:
			v.add(false, key+".url", "webhook url %s is listed twice: keep one entry and list all its events there", MaskURL(w.URL))
		case u.Scheme == "http" && !isLocalHost(u.Hostname()):
			v.add(true, key+".url", "webhook url %s is plain http: events (order codes, amounts) cross the network unencrypted; use https", MaskURL(w.URL))
		}
		seen[w.URL] = true
		if len(w.Secret) < minWebhookSecret {
			v.add(false, key+".secret", "webhook secret must be at least %d characters (receivers check the signature with it): generate one, e.g. openssl rand -hex 32", minWebhookSecret)
		}
		for j, p := range w.Events {
			if !knownEventPattern(p) {
				v.add(false, fmt.Sprintf("%s.events[%d]", key, j), "unknown webhook event %q: use one of %s, or a pattern such as order.*", p, strings.Join(WebhookEvents, ", "))
			}
		}
	}
}

func knownEventPattern(p string) bool {
	for _, e := range WebhookEvents {
		if ok, _ := path.Match(strings.TrimSpace(p), e); ok {
			return true
		}
	}
	return false
}

func isLocalHost(h string) bool {
	return h == "localhost" || h == "127.0.0.1" || h == "::1"
}

// MaskURL hides what a URL may carry of a secret (user info, the query) so
// that it can be logged.
func MaskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unreadable url)"
	}
	if u.User != nil {
		u.User = url.User("****")
	}
	if u.RawQuery != "" {
		u.RawQuery = "****"
	}
	return u.String()
}

func maskWebhooks(in []WebhookConfig) []WebhookConfig {
	out := make([]WebhookConfig, len(in))
	for i, w := range in {
		out[i] = WebhookConfig{URL: MaskURL(w.URL), Secret: maskSecret(w.Secret), Events: w.Events}
	}
	return out
}

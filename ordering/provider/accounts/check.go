package accounts

import (
	"net"
	"net/url"
	"strings"

	"github.com/posbridge/posbridge/ordering/provider"
)

// CheckBaseURL records a problem unless raw is an absolute http(s) URL
// without query or fragment. Plain http is allowed only to a loopback host
// (fakes and the sandbox): secrets travel in these requests.
func CheckBaseURL(p *provider.Problems, key, raw, what string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		p.Add(key, "is empty: "+what)
		return
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		p.Add(key, "\""+raw+"\" is not an http(s) address like https://host/: "+what)
		return
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		p.Add(key, "must be a plain address without ?query, #fragment or user:password@")
		return
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		p.Add(key, "must use https:// (plain http is only allowed to 127.0.0.1 or localhost, for test servers)")
	}
}

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

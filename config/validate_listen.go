package config

import (
	"crypto/tls"
	"net"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

func (v *validator) console() {
	c := v.c.Console
	host, ok := v.listen("console.listen", c.Listen, false)
	if ok && !isLoopback(host) && c.Pin == "" {
		v.addFrom(false, "console.pin", "console.listen", "required because console.listen %s is reachable from other machines: set a staff PIN (4 or more characters, or a bcrypt hash), or listen on 127.0.0.1", c.Listen)
	}
	if !c.LoopbackTrusted() && c.Pin == "" {
		v.addFrom(false, "console.pin", "console.trust_loopback", "required because console.trust_loopback is false: every browser, this PC's too, logs in with the staff PIN")
	}
	if c.Pin != "" {
		switch {
		case isBcrypt(c.Pin):
			if _, err := bcrypt.Cost([]byte(c.Pin)); err != nil {
				v.err("console.pin", "looks like a bcrypt hash but is damaged (%v): paste the whole hash, in quotes", err)
			}
		case len([]rune(c.Pin)) < 4:
			v.err("console.pin", "is too short: use at least 4 characters")
		case strings.TrimSpace(c.Pin) != c.Pin:
			v.warn("console.pin", "starts or ends with a space, which staff will not type")
		}
	}
	if c.APIToken != "" && len(c.APIToken) < 16 {
		v.warn("console.api_token", "is short enough to guess: use at least 16 random characters (for example from `openssl rand -hex 16`)")
	}
}

func isBcrypt(s string) bool {
	return strings.HasPrefix(s, "$2a$") || strings.HasPrefix(s, "$2b$") || strings.HasPrefix(s, "$2y$")
}

func (v *validator) push() {
	c := v.c.Push
	if c.Listen != "" {
		_, ok := v.listen("push.listen", c.Listen, true)
		if ok && v.c.PushOpenWithoutAuth() {
			v.problems = append(v.problems, Problem{Key: "push.listen", StillStarts: true, Source: v.source("push.listen"),
				Message: c.Listen + " is reachable from other machines but pushes are not authenticated: set push.token " +
					"(and add it to the push URL registered with 开个店) or platform.public_key_file, or listen on 127.0.0.1. " +
					"Until then posbridge refuses every push and polls for orders instead"})
		}
		if ok && sameListener(c.Listen, v.c.Console.Listen) {
			v.err("push.listen", "%s overlaps console.listen %s: the push receiver needs its own port, like 8687", c.Listen, v.c.Console.Listen)
		}
	}
	switch {
	case c.TLSCertFile != "" && c.TLSKeyFile == "":
		v.err("push.tls_key_file", "must be set when push.tls_cert_file is: the private key of that certificate")
	case c.TLSCertFile == "" && c.TLSKeyFile != "":
		v.err("push.tls_cert_file", "must be set when push.tls_key_file is: the certificate (chain) for that key")
	case c.TLSCertFile != "":
		if _, err := tls.LoadX509KeyPair(c.TLSCertFile, c.TLSKeyFile); err != nil {
			v.err("push.tls_cert_file", "cannot load the certificate and key: %v", err)
		}
	}
}

// listen checks a host:port listen address and returns its host.
func (v *validator) listen(key, addr string, mayBeEmpty bool) (string, bool) {
	if addr == "" {
		if !mayBeEmpty {
			v.err(key, "must be set, like 127.0.0.1:8686")
		}
		return "", false
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		v.err(key, "%q is not host:port: write it like 127.0.0.1:8686 (or 0.0.0.0:8686 for the whole LAN)", addr)
		return "", false
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		v.err(key, "port %q must be a number from 1 to 65535", port)
		return "", false
	}
	if host != "" && net.ParseIP(host) == nil && !hostnameRE.MatchString(host) {
		v.err(key, "host %q is neither an IP address nor a host name", host)
		return "", false
	}
	return host, true
}

var hostnameRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$`)

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameListener reports whether two listen addresses would collide.
func sameListener(a, b string) bool {
	ha, pa, err1 := net.SplitHostPort(a)
	hb, pb, err2 := net.SplitHostPort(b)
	if err1 != nil || err2 != nil || pa != pb {
		return false
	}
	wild := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return ha == hb || wild(ha) || wild(hb)
}

// PushOpenWithoutAuth reports a push listener reachable from other machines
// with nothing to authenticate pushes by (neither push.token nor
// platform.public_key_file): anyone on the network could cancel orders.
// The daemon then refuses every push and polls instead.
func (c *Config) PushOpenWithoutAuth() bool {
	if c.Push.Listen == "" || c.Push.Token != "" || c.Platform.PublicKeyFile != "" {
		return false
	}
	host, _, err := net.SplitHostPort(c.Push.Listen)
	return err != nil || !isLoopback(host)
}

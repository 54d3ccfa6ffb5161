package config

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/posbridge/posbridge/ordering/menu"
)

// ordering checks the scan-to-order section. Its menu files are read (never
// the network): a broken menu is reported by `posbridge menu check`, here
// only whether it loads.
func (v *validator) ordering() {
	c := v.c.Ordering
	if c.Listen != "" {
		host, ok := v.listen("ordering.listen", c.Listen, true)
		if ok {
			for _, other := range []struct{ key, addr string }{{"console.listen", v.c.Console.Listen}, {"push.listen", v.c.Push.Listen}} {
				if other.addr != "" && sameListener(c.Listen, other.addr) {
					v.err("ordering.listen", "%s overlaps %s %s: the phones' listener needs its own port, like 8688", c.Listen, other.key, other.addr)
				}
			}
			if !isLoopback(host) && c.TLSCertFile == "" {
				v.warn("ordering.listen", "%s is reachable on the LAN without TLS: phones on the shop's Wi-Fi can be watched by anyone on it. "+
					"Set ordering.tls_cert_file and tls_key_file, or listen on 127.0.0.1 behind an HTTPS reverse proxy or tunnel", c.Listen)
			}
		}
		if len(c.Restaurants) == 0 {
			v.err("ordering.restaurants", "is empty while ordering.listen is set: add `- { id: 1, store_id: \"%s\", menu_file: menu-1.yaml }`", firstStore(v.c))
		}
	}
	v.tlsPair("ordering", c.TLSCertFile, c.TLSKeyFile)
	online := v.restaurantList()
	if online == "" && v.c.WeChatPay.Enabled {
		online = "the WeChat Pay sync (wechatpay.enabled)"
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
			v.err("ordering.public_url", "%q is not a web address: write it like https://order.example.com", c.PublicURL)
		case u.RawQuery != "" || u.Fragment != "":
			v.err("ordering.public_url", "%q must not carry ?… or #…: the QR codes add ?rid=&tid=&ver= themselves", c.PublicURL)
		case u.Scheme != "https" && online != "" && isLoopback(u.Hostname()):
			v.warn("ordering.public_url", "is http:// on this PC while %s is on: fine for a test, but WeChat and the payment providers only reach https addresses", online)
		case u.Scheme != "https" && online != "":
			v.err("ordering.public_url", "must be https:// because of %s: WeChat and the payment providers only reach https addresses", online)
		}
	} else if c.Listen != "" && !v.c.Sandbox {
		v.warn("ordering.public_url", "is empty: `posbridge tables qr` and the console's stickers need the address phones open, like https://order.example.com or http://192.168.1.20:8688")
	}
	if c.TakeCodeStart < 1 || c.TakeCodeStart > 99_999_999 {
		v.err("ordering.take_code_start", "must be from 1 to 99999999, not %d (default 5001)", c.TakeCodeStart)
	}
	v.positive("ordering.accept_deadline", c.AcceptDeadline)
	for key, n := range map[string]int{"ordering.open_orders_per_table": c.OpenOrdersPerTable,
		"ordering.creates_per_minute": c.CreatesPerMinute, "ordering.calcs_per_minute": c.CalcsPerMinute} {
		if n < 1 {
			v.err(key, "must be at least 1, not %d", n)
		}
	}
	for i, p := range c.TrustedProxies {
		if _, err := ParseProxy(p); err != nil {
			v.err(fmt.Sprintf("ordering.trusted_proxies[%d]", i), "%v", err)
		}
	}
}

// restaurantList checks ordering.restaurants and returns the first
// restaurant whose menu offers online payment ("" when none does).
func (v *validator) restaurantList() (online string) {
	seen := map[int64]int{}
	for i, r := range v.c.Ordering.Restaurants {
		key := fmt.Sprintf("ordering.restaurants[%d]", i)
		if v.c.broken[key] {
			continue
		}
		switch {
		case r.ID < 1:
			v.err(key+".id", "must be a positive number: the rid of the QR codes, like 1")
		case seen[r.ID] > 0:
			v.err(key+".id", "%d is listed twice (also ordering.restaurants[%d]): keep one", r.ID, seen[r.ID]-1)
		default:
			seen[r.ID] = i + 1
		}
		if id := strings.TrimSpace(r.StoreID); id == "" {
			v.err(key+".store_id", "is missing: the id of the store in stores[] whose kitchen makes these orders")
		} else if !v.stores[id] {
			v.err(key+".store_id", "%q is not in stores[]: use one of the store ids listed there", r.StoreID)
		}
		if r.MenuFile == "" {
			v.err(key+".menu_file", "is missing: the menu file, like menu-%d.yaml (`posbridge menu init menu-%d.yaml` writes an example)", r.ID, r.ID)
			continue
		}
		if v.c.Ordering.Listen == "" || v.c.Sandbox {
			continue // off: its menus are read when it is turned on; the sandbox writes its demo menu
		}
		path := v.c.MenuPath(r)
		data, err := os.ReadFile(path)
		if err != nil {
			v.err(key+".menu_file", "cannot read %s: %v (`posbridge menu init %s` writes an example)", path, err, path)
			continue
		}
		m, err := menu.Parse(data)
		if err != nil {
			v.err(key+".menu_file", "%s has problems: run `posbridge menu check %s` to see each with its line", path, path)
			continue
		}
		for _, pt := range m.Restaurant.PaidTypes {
			if pt.Value != menu.PaidOffline && online == "" {
				online = fmt.Sprintf("online payment at restaurant %d (%s)", r.ID, path)
			}
		}
	}
	return online
}

// tlsPair checks the certificate and key files of a listener section.
func (v *validator) tlsPair(section, cert, key string) {
	switch {
	case cert != "" && key == "":
		v.err(section+".tls_key_file", "must be set when %s.tls_cert_file is: the private key of that certificate", section)
	case cert == "" && key != "":
		v.err(section+".tls_cert_file", "must be set when %s.tls_key_file is: the certificate (chain) for that key", section)
	case cert != "":
		if _, err := tls.LoadX509KeyPair(cert, key); err != nil {
			v.err(section+".tls_cert_file", "cannot load the certificate and key: %v", err)
		}
	}
}

func firstStore(c *Config) string {
	if len(c.Stores) > 0 {
		return c.Stores[0].ID
	}
	return "1862"
}

// ParseProxy reads one entry of ordering.trusted_proxies: a CIDR
// (10.0.0.0/8) or a single address (127.0.0.1).
func ParseProxy(s string) (*net.IPNet, error) {
	s = strings.TrimSpace(s)
	if _, n, err := net.ParseCIDR(s); err == nil {
		return n, nil
	}
	if ip := net.ParseIP(s); ip != nil {
		bits := 128
		if ip.To4() != nil {
			ip, bits = ip.To4(), 32
		}
		return &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}, nil
	}
	return nil, fmt.Errorf("%q is neither an address nor a CIDR: write it like 127.0.0.1 or 10.0.0.0/8", s)
}

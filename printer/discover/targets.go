package discover

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// target is one address to try.
type target struct {
	host   string // IP address or name
	port   int
	single bool // named on its own, not part of a range: its failure is reported
}

// DefaultPort is the raw printing port (AppSocket / JetDirect).
const DefaultPort = 9100

// DefaultMaxAddresses bounds one scan: a /24.
const DefaultMaxAddresses = 256

// expandTargets reads the hosts to scan: "192.168.1.87", "192.168.1.87:9101",
// "printer.local", "[fe80::1]:9100", a CIDR "192.168.1.0/24" or a last-octet
// range "192.168.1.20-40". A CIDR skips its network and broadcast addresses.
// More than max addresses in all is refused rather than cut short.
func expandTargets(specs []string, port, max int) ([]target, error) {
	var out []target
	seen := map[string]bool{}
	add := func(t target) error {
		key := net.JoinHostPort(t.host, strconv.Itoa(t.port))
		if seen[key] {
			return nil
		}
		if len(out) >= max {
			return fmt.Errorf("more than %d addresses to scan: give a smaller range (a /24 such as 192.168.1.0/24 is %d)", max, DefaultMaxAddresses)
		}
		seen[key] = true
		out = append(out, t)
		return nil
	}
	for _, raw := range specs {
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		if strings.Contains(s, "://") {
			return nil, fmt.Errorf("%q: write only the address, like 192.168.1.87 or 192.168.1.87:9100", raw)
		}
		switch {
		case strings.Contains(s, "/"):
			pfx, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("%q is not a network range: write it like 192.168.1.0/24", raw)
			}
			pfx = pfx.Masked()
			hostBits := pfx.Addr().BitLen() - pfx.Bits()
			// Refused before any address is tried (a /24 keeps 254 of 256).
			if hostBits > 30 || 1<<hostBits > max+2 {
				return nil, fmt.Errorf("%q is too large a range: scan at most %d addresses at once, like 192.168.1.0/24", raw, max)
			}
			last := lastAddr(pfx)
			for a := pfx.Addr(); pfx.Contains(a); a = a.Next() {
				// The network and broadcast addresses of an IPv4 range of 4
				// or more are no printer's.
				if !(pfx.Addr().Is4() && hostBits >= 2 && (a == pfx.Addr() || a == last)) {
					if err := add(target{host: a.String(), port: port}); err != nil {
						return nil, err
					}
				}
				if a == last {
					break
				}
			}
		case isOctetRange(s):
			from, to, err := octetRange(s)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", raw, err)
			}
			for a := from; ; a = a.Next() {
				if err := add(target{host: a.String(), port: port}); err != nil {
					return nil, err
				}
				if a == to {
					break
				}
			}
		default:
			host, p, err := hostPort(s, port)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", raw, err)
			}
			if err := add(target{host: host, port: p, single: true}); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// lastAddr is the highest address of a masked prefix.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// isOctetRange: 192.168.1.20-40.
func isOctetRange(s string) bool {
	i := strings.LastIndexByte(s, '-')
	return i > 0 && strings.Count(s[:i], ".") == 3 && !strings.Contains(s, ":")
}

func octetRange(s string) (netip.Addr, netip.Addr, error) {
	i := strings.LastIndexByte(s, '-')
	from, err := netip.ParseAddr(s[:i])
	end, err2 := strconv.Atoi(s[i+1:])
	if err != nil || err2 != nil || !from.Is4() || end < 0 || end > 255 {
		return from, from, fmt.Errorf("write a range of the last number, like 192.168.1.20-40")
	}
	b := from.As4()
	if end < int(b[3]) {
		return from, from, fmt.Errorf("the range ends (%d) before it starts (%d)", end, b[3])
	}
	b[3] = byte(end)
	return from, netip.AddrFrom4(b), nil
}

// hostPort reads "host", "host:port", "[v6]:port" or a bare IPv6 address.
func hostPort(s string, port int) (string, int, error) {
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return a.String(), port, nil
	}
	host, ps, err := net.SplitHostPort(s)
	if err != nil {
		host = s
	} else {
		p, err := strconv.Atoi(ps)
		if err != nil || p < 1 || p > 65535 {
			return "", 0, fmt.Errorf("port %q must be a number from 1 to 65535 (printers use 9100)", ps)
		}
		port = p
	}
	if host == "" || strings.ContainsAny(host, " /?#@") {
		return "", 0, fmt.Errorf("write the printer's IP address or name, like 192.168.1.87")
	}
	return host, port, nil
}

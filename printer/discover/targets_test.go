package discover

import (
	"strings"
	"testing"
)

func TestExpandTargets(t *testing.T) {
	cases := []struct {
		specs []string
		want  []string // host:port, in order; first and last when long
		n     int
	}{
		{[]string{"192.168.1.87"}, []string{"192.168.1.87:9100"}, 1},
		{[]string{" 192.168.1.87:9101 ", "192.168.1.87:9101"}, []string{"192.168.1.87:9101"}, 1},
		{[]string{"printer.local"}, []string{"printer.local:9100"}, 1},
		{[]string{"fe80::1"}, []string{"[fe80::1]:9100"}, 1},
		{[]string{"[fe80::1]:9101"}, []string{"[fe80::1]:9101"}, 1},
		{[]string{"192.168.1.0/30"}, []string{"192.168.1.1:9100", "192.168.1.2:9100"}, 2},
		{[]string{"192.168.1.8/31"}, []string{"192.168.1.8:9100", "192.168.1.9:9100"}, 2},
		{[]string{"192.168.1.9/32"}, []string{"192.168.1.9:9100"}, 1},
		{[]string{"192.168.1.77/24"}, []string{"192.168.1.1:9100", "192.168.1.254:9100"}, 254},
		{[]string{"192.168.1.250-255", "192.168.1.254"}, []string{"192.168.1.250:9100", "192.168.1.255:9100"}, 6},
		{[]string{"fd00::/126"}, []string{"[fd00::]:9100", "[fd00::3]:9100"}, 4},
		{[]string{"", "  "}, nil, 0},
	}
	for _, c := range cases {
		ts, err := expandTargets(c.specs, 9100, DefaultMaxAddresses)
		if err != nil {
			t.Errorf("%q: %v", c.specs, err)
			continue
		}
		if len(ts) != c.n {
			t.Errorf("%q: %d targets, want %d", c.specs, len(ts), c.n)
			continue
		}
		if c.n == 0 {
			continue
		}
		got := []string{key(ts[0])}
		if len(c.want) > 1 {
			got = append(got, key(ts[len(ts)-1]))
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%q: %v, want %v", c.specs, got, c.want)
		}
		s0 := strings.TrimSpace(c.specs[0])
		if single := !strings.Contains(s0, "/") && !isOctetRange(s0); ts[0].single != single {
			t.Errorf("%q: single = %v", c.specs, ts[0].single)
		}
	}
}

func key(t target) string { return tcpURI(t.host, t.port)[len("tcp://"):] }

func TestExpandTargetsRefusesWhatItCannotReadOrBound(t *testing.T) {
	cases := map[string]struct {
		specs []string
		max   int
		says  string
	}{
		"a /16":               {[]string{"10.0.0.0/16"}, 256, "too large"},
		"a /23":               {[]string{"192.168.0.0/23"}, 256, "too large"},
		"two /24s":            {[]string{"192.168.1.0/24", "192.168.2.0/24"}, 256, "more than 256"},
		"an IPv6 /64":         {[]string{"fd00::/64"}, 256, "too large"},
		"a URI":               {[]string{"tcp://192.168.1.87:9100"}, 256, "only the address"},
		"a broken CIDR":       {[]string{"192.168.1.0/33"}, 256, "not a network range"},
		"a backwards range":   {[]string{"192.168.1.40-20"}, 256, "ends"},
		"a range past 255":    {[]string{"192.168.1.1-300"}, 256, "like 192.168.1.20-40"},
		"a port out of range": {[]string{"192.168.1.87:70000"}, 256, "1 to 65535"},
		"a space":             {[]string{"my printer"}, 256, "IP address or name"},
		"a small bound":       {[]string{"192.168.1.0/29"}, 4, "too large"},
		"a list over a bound": {[]string{"192.168.1.1-4", "192.168.1.9"}, 4, "more than 4"},
	}
	for name, c := range cases {
		_, err := expandTargets(c.specs, 9100, c.max)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want an error saying %q", name, err, c.says)
		}
	}
}

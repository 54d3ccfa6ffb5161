// Package connuri is the one grammar of printer and scanner connection URIs:
// config check validates with it, the printers open their transports from
// it and the scanner opens its port from it, so what the check accepts is
// what runs and what it refuses never starts.
package connuri

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Connection is a parsed printer or scanner connection URI.
type Connection struct {
	Scheme string // tcp | serial | usb | windows | file | virtual
	Host   string // tcp
	Port   int    // tcp
	Path   string // serial port (COM3, /dev/ttyUSB0), USB device file, file path
	Name   string // windows: spooler printer name; virtual: printer name

	// Serial line settings; zero values are filled with 8N1 and no flow control.
	Baud     int
	DataBits int    // 5–8, default 8
	Parity   string // none | odd | even | mark | space
	StopBits string // 1 | 1.5 | 2
	Flow     string // none | rtscts | xonxoff
}

// Address is host:port of a tcp connection.
func (c Connection) Address() string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}

const connectionExamples = "tcp://192.168.1.87:9100, serial://COM3?baud=9600, serial:///dev/ttyUSB0?baud=19200, usb:///dev/usb/lp0, windows://PrinterName, file:///path or virtual://name"

var serialParams = []string{"baud", "data_bits", "parity", "stop_bits", "flow"}

// Parse reads a connection URI: tcp://host:port,
// serial://PORT?baud=N[&data_bits=8&parity=none&stop_bits=1&flow=none],
// usb:///DEVICE, windows://PrinterName, file://PATH, virtual://name.
// Errors say how to write it.
func Parse(s string) (Connection, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Connection{}, fmt.Errorf("is empty: write one of %s", connectionExamples)
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return Connection{}, fmt.Errorf("%q has no scheme: write one of %s", s, connectionExamples)
	}
	c := Connection{Scheme: strings.ToLower(scheme)}
	switch c.Scheme {
	case "tcp":
		return c, c.parseTCP(rest)
	case "serial":
		return c, c.parseSerial(rest)
	case "usb":
		if !strings.HasPrefix(rest, "/") || strings.Contains(rest, "?") {
			return c, fmt.Errorf("%q: write the device file, like usb:///dev/usb/lp0", s)
		}
		c.Path = rest
	case "windows":
		// One slash at either end is trimmed (windows:///Name/); a slash or
		// percent sign inside the name is written %2F and %25.
		name, err := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(rest, "/"), "/"))
		if err != nil || strings.TrimSpace(name) == "" {
			return c, fmt.Errorf("%q: write the printer's name as Windows shows it, like windows://XP-80C", s)
		}
		c.Name = name
	case "file":
		path, err := url.PathUnescape(FilePath(rest))
		if err != nil || path == "" {
			return c, fmt.Errorf("%q: write a file path, like file:///var/lib/posbridge/receipt.bin", s)
		}
		c.Path = path
	case "virtual":
		name := strings.Trim(rest, "/")
		if name == "" {
			return c, fmt.Errorf("%q: give the virtual printer a name, like virtual://receipt", s)
		}
		c.Name = name
	case "http", "https":
		return c, fmt.Errorf("%q: network printers take raw bytes on a TCP port, write tcp://HOST:9100", s)
	default:
		return c, fmt.Errorf("unknown scheme %q: write one of %s", scheme, connectionExamples)
	}
	return c, nil
}

func (c *Connection) parseTCP(rest string) error {
	hostport := strings.TrimSuffix(rest, "/")
	if strings.ContainsAny(hostport, "/?#") {
		return fmt.Errorf("tcp://%s: write only the address and port, like tcp://192.168.1.87:9100", rest)
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return fmt.Errorf("tcp://%s needs a port: write tcp://%s:9100 (9100 is the usual raw printing port)", rest, strings.Trim(hostport, "[]"))
	}
	if strings.TrimSpace(host) == "" {
		return fmt.Errorf("tcp://%s has no host: write the printer's IP address, like tcp://192.168.1.87:%s", rest, port)
	}
	if strings.ContainsAny(host, " \t") {
		return fmt.Errorf("tcp://%s: the host %q has a space in it: write the printer's IP address, like tcp://192.168.1.87:%s", rest, host, port)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("tcp://%s: port %q must be a number from 1 to 65535 (usually 9100)", rest, port)
	}
	c.Host, c.Port = host, n
	return nil
}

func (c *Connection) parseSerial(rest string) error {
	port, query, _ := strings.Cut(rest, "?")
	if port == "" {
		return fmt.Errorf("serial://%s has no port: write serial://COM3?baud=9600 or serial:///dev/ttyUSB0?baud=9600", rest)
	}
	c.Path = port
	params, err := url.ParseQuery(query)
	if err != nil {
		return fmt.Errorf("serial://%s: the settings after ? are damaged: write them like ?baud=9600&flow=rtscts", rest)
	}
	for k := range params {
		if !slices.Contains(serialParams, k) {
			hint := ""
			for _, known := range serialParams {
				if normaliseKey(known) == normaliseKey(k) {
					hint = fmt.Sprintf(" (did you mean %s?)", known)
				}
			}
			return fmt.Errorf("serial://%s: unknown setting %q%s; known: %s", rest, k, hint, strings.Join(serialParams, ", "))
		}
	}
	baud := params.Get("baud")
	if baud == "" {
		return fmt.Errorf("serial://%s needs a speed: add ?baud=9600 (the speed set on the device, often 9600, 19200 or 115200)", rest)
	}
	if c.Baud, err = strconv.Atoi(baud); err != nil || c.Baud < 50 || c.Baud > 4_000_000 {
		return fmt.Errorf("serial://%s: baud %q must be a number like 9600, 19200 or 115200", rest, baud)
	}
	c.DataBits = 8
	if v := params.Get("data_bits"); v != "" {
		if c.DataBits, err = strconv.Atoi(v); err != nil || c.DataBits < 5 || c.DataBits > 8 {
			return fmt.Errorf("serial://%s: data_bits %q must be 5, 6, 7 or 8", rest, v)
		}
	}
	var ok bool
	if c.Parity, ok = oneOf(params.Get("parity"), "none", "none", "odd", "even", "mark", "space"); !ok {
		return fmt.Errorf("serial://%s: parity %q must be none, odd, even, mark or space", rest, params.Get("parity"))
	}
	if c.StopBits, ok = oneOf(params.Get("stop_bits"), "1", "1", "1.5", "2"); !ok {
		return fmt.Errorf("serial://%s: stop_bits %q must be 1, 1.5 or 2", rest, params.Get("stop_bits"))
	}
	if c.Flow, ok = oneOf(params.Get("flow"), "none", "none", "rtscts", "xonxoff"); !ok {
		return fmt.Errorf("serial://%s: flow %q must be none, rtscts or xonxoff", rest, params.Get("flow"))
	}
	return nil
}

// oneOf returns v (lowercased) if it is one of allowed, def if v is empty.
func oneOf(v, def string, allowed ...string) (string, bool) {
	if v == "" {
		return def, true
	}
	v = strings.ToLower(v)
	return v, slices.Contains(allowed, v)
}

// FilePath turns the part after file:// into a path, still escaped:
// file:///tmp/x is /tmp/x, file:///C:/x is C:/x, and file://out/x stays
// relative (config.Load resolves it against the config file's folder).
func FilePath(rest string) string {
	if len(rest) >= 3 && rest[0] == '/' && rest[2] == ':' && isLetter(rest[1]) {
		return rest[1:]
	}
	return rest
}

func isLetter(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }

// normaliseKey lets dataBits, data-bits and DATABITS all hint at data_bits.
func normaliseKey(s string) string {
	return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
}

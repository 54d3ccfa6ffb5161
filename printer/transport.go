package printer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Transport reaches one printer. Each job or status poll is one session
// (Open … Close): TCP printers take one client at a time and drop idle
// sockets, so a connection is never held between jobs.
type Transport interface {
	Open(ctx context.Context) (Link, error)
	// TwoWay reports whether the printer's replies can be read on this link
	// (tcp, serial, virtual). The spooler, USB device files and files are one-way.
	TwoWay() bool
	String() string
}

// Link is one open session with a printer.
type Link interface {
	// Write sends all of p or fails; it gives up at the context deadline or
	// the transport's write timeout, whichever is first.
	Write(ctx context.Context, p []byte) error
	// Read waits for reply bytes until the context is done; it returns
	// ErrNoReply when nothing came in time.
	Read(ctx context.Context, p []byte) (int, error)
	Close() error
}

// Errors of the transports.
var (
	ErrNoReply = errors.New("the printer did not answer in time")
	ErrOneWay  = errors.New("this connection cannot read replies from the printer")
)

// TransportOptions tune the links.
type TransportOptions struct {
	ConnectTimeout time.Duration // tcp connect; default 4 s
	WriteTimeout   time.Duration // per job; default 15 s (+1 s per 8 KiB over serial at 9600 baud…)
	Language       string        // escpos | tspl, for virtual printers' previews
	Columns        int           // virtual printers: preview width
}

func (o TransportOptions) withDefaults() TransportOptions {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 4 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 15 * time.Second
	}
	if o.Language == "" {
		o.Language = LangESCPOS
	}
	return o
}

// Connection is a parsed printer connection URI.
type Connection struct {
	Scheme string // tcp | serial | usb | windows | file | virtual
	Addr   string // host:port, device or port name, printer name, path, virtual name
	Serial SerialParams
}

// SerialParams are the line settings of a serial printer.
type SerialParams struct {
	Baud     int
	DataBits int
	Parity   string // none | odd | even | mark | space
	StopBits string // 1 | 1.5 | 2
	Flow     string // none | rtscts | xonxoff
}

// ParseConnection checks a printer connection URI (config check uses it).
func ParseConnection(uri string) (Connection, error) {
	uri = strings.TrimSpace(uri)
	scheme, rest, ok := strings.Cut(uri, "://")
	if !ok || rest == "" {
		return Connection{}, fmt.Errorf("printer connection %q: write it as tcp://host:9100, serial:///dev/ttyUSB0?baud=19200, serial://COM3?baud=9600, usb:///dev/usb/lp0, windows://PrinterName, file:///path or virtual://name", uri)
	}
	c := Connection{Scheme: strings.ToLower(scheme)}
	bad := func(format string, a ...any) (Connection, error) {
		return Connection{}, fmt.Errorf("printer connection %q: "+format, append([]any{uri}, a...)...)
	}
	switch c.Scheme {
	case "tcp":
		host, port, err := net.SplitHostPort(rest)
		if err != nil {
			host, port = strings.TrimSuffix(rest, "/"), "9100"
		}
		if host == "" || strings.ContainsAny(host, "/?# ") {
			return bad("give the printer's IP address and port, e.g. tcp://192.168.1.87:9100")
		}
		if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
			return bad("port %q is not a number 1–65535", port)
		}
		c.Addr = net.JoinHostPort(host, port)
	case "serial":
		name, query, _ := strings.Cut(rest, "?")
		if name == "" || name == "/" {
			return bad("name the port, e.g. serial:///dev/ttyUSB0 or serial://COM3")
		}
		c.Addr = name
		sp, err := parseSerialParams(query)
		if err != nil {
			return bad("%v", err)
		}
		c.Serial = sp
	case "usb":
		if !strings.HasPrefix(rest, "/") {
			return bad("give the device file, e.g. usb:///dev/usb/lp0")
		}
		c.Addr = rest
	case "windows":
		name, err := url.PathUnescape(strings.TrimPrefix(rest, "/"))
		if err != nil || strings.TrimSpace(name) == "" {
			return bad("give the printer name as Windows shows it, e.g. windows://XP-80C")
		}
		c.Addr = name
	case "file":
		p, err := url.PathUnescape(rest)
		if err != nil || p == "" {
			return bad("give an absolute path, e.g. file:///var/lib/posbridge/print.bin")
		}
		if len(p) > 3 && p[0] == '/' && p[2] == ':' { // file:///C:/x → C:/x
			p = p[1:]
		}
		c.Addr = p
	case "virtual":
		name := strings.Trim(rest, "/")
		if name == "" {
			return bad("give the virtual printer a name, e.g. virtual://front")
		}
		c.Addr = name
	default:
		return bad("unknown scheme %q (tcp, serial, usb, windows, file, virtual)", scheme)
	}
	return c, nil
}

func parseSerialParams(query string) (SerialParams, error) {
	sp := SerialParams{Baud: 9600, DataBits: 8, Parity: "none", StopBits: "1", Flow: "none"}
	q, err := url.ParseQuery(query)
	if err != nil {
		return sp, fmt.Errorf("bad options %q: %w", query, err)
	}
	for k, vs := range q {
		v := strings.ToLower(vs[len(vs)-1])
		switch k {
		case "baud":
			n, err := strconv.Atoi(v)
			if err != nil || n < 50 || n > 4_000_000 {
				return sp, fmt.Errorf("baud %q is not a serial speed (printers use 9600, 19200 or 115200)", v)
			}
			sp.Baud = n
		case "databits", "data_bits":
			if v < "5" || v > "8" || len(v) != 1 {
				return sp, fmt.Errorf("data_bits %q is not 5, 6, 7 or 8", v)
			}
			sp.DataBits, _ = strconv.Atoi(v)
		case "parity":
			switch v {
			case "none", "odd", "even", "mark", "space":
			default:
				return sp, fmt.Errorf("parity %q is not none, odd, even, mark or space", v)
			}
			sp.Parity = v
		case "stopbits", "stop_bits":
			if v != "1" && v != "1.5" && v != "2" {
				return sp, fmt.Errorf("stop_bits %q is not 1, 1.5 or 2", v)
			}
			sp.StopBits = v
		case "flow":
			switch v {
			case "none", "rtscts", "xonxoff":
			case "hardware", "rts/cts":
				v = "rtscts"
			default:
				return sp, fmt.Errorf("flow %q is not none, rtscts or xonxoff (as set by the printer's DIP switches)", v)
			}
			sp.Flow = v
		default:
			return sp, fmt.Errorf("unknown setting %q (baud, data_bits, parity, stop_bits, flow)", k)
		}
	}
	return sp, nil
}

// OpenTransport builds the transport for a connection URI.
func OpenTransport(uri string, opt TransportOptions) (Transport, error) {
	c, err := ParseConnection(uri)
	if err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	switch c.Scheme {
	case "tcp":
		return &tcpTransport{addr: c.Addr, opt: opt}, nil
	case "serial":
		return &serialTransport{name: c.Addr, params: c.Serial, opt: opt}, nil
	case "usb":
		return &fileTransport{path: c.Addr, device: true, opt: opt}, nil
	case "file":
		return &fileTransport{path: c.Addr, opt: opt}, nil
	case "windows":
		return newSpoolerTransport(c.Addr, opt)
	case "virtual":
		v := VirtualPrinterNamed(c.Addr, opt.Language)
		v.setColumns(opt.Columns)
		return v, nil
	}
	return nil, fmt.Errorf("printer connection %q: unsupported scheme", uri)
}

// writeDeadline is when a write of n bytes must be done: the write timeout
// plus time for large (raster) jobs, capped by the context.
func writeDeadline(ctx context.Context, opt TransportOptions, n int) time.Time {
	d := time.Now().Add(opt.WriteTimeout + time.Duration(n/8192)*time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(d) {
		return dl
	}
	return d
}

// Package transport carries printer bytes over tcp, serial, USB/file and
// Windows spooler links (and to the in-memory virtual printer), reads real-time
// printer status, and fences each job so a reply means it was printed.
package transport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/posbridge/posbridge/internal/connuri"
	"github.com/posbridge/posbridge/printer/document"
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

// Options tune the links.
type Options struct {
	ConnectTimeout time.Duration // tcp connect; default 4 s
	WriteTimeout   time.Duration // per job; default 15 s (+1 s per 8 KiB over serial at 9600 baud…)
	Language       string        // escpos | tspl, for virtual printers' previews
	Columns        int           // virtual printers: preview width
}

func (o Options) withDefaults() Options {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 4 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 15 * time.Second
	}
	if o.Language == "" {
		o.Language = document.LangESCPOS
	}
	return o
}

// Open builds the transport for a connection URI.
func Open(uri string, opt Options) (Transport, error) {
	c, err := connuri.Parse(uri)
	if err != nil {
		return nil, fmt.Errorf("printer connection %w", err)
	}
	opt = opt.withDefaults()
	switch c.Scheme {
	case "tcp":
		return &tcpTransport{addr: c.Address(), opt: opt}, nil
	case "serial":
		return &serialTransport{name: c.Path, params: c, opt: opt}, nil
	case "usb":
		return &fileTransport{path: c.Path, device: true, opt: opt}, nil
	case "file":
		return &fileTransport{path: c.Path, opt: opt}, nil
	case "windows":
		return newSpoolerTransport(c.Name, opt)
	case "virtual":
		v := VirtualPrinterNamed(c.Name, opt.Language)
		v.setColumns(opt.Columns)
		return v, nil
	}
	return nil, fmt.Errorf("printer connection %q: unsupported scheme", uri)
}

// writeDeadline is when a write of n bytes must be done: the write timeout
// plus time for large (raster) jobs, capped by the context.
func writeDeadline(ctx context.Context, opt Options, n int) time.Time {
	d := time.Now().Add(opt.WriteTimeout + time.Duration(n/8192)*time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(d) {
		return dl
	}
	return d
}

package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

// tcpTransport is a raw port 9100 (AppSocket) printer: connect per session
// with a connect timeout, keepalive, and deadlines on every write and read.
type tcpTransport struct {
	addr string
	opt  Options
}

func (t *tcpTransport) TwoWay() bool   { return true }
func (t *tcpTransport) String() string { return "tcp://" + t.addr }

func (t *tcpTransport) Open(ctx context.Context) (Link, error) {
	d := net.Dialer{Timeout: t.opt.ConnectTimeout, KeepAlive: 15 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", t.addr)
	if err != nil {
		return nil, fmt.Errorf("connect to printer at %s: %w (is it switched on and on the network?)", t.addr, err)
	}
	return &connLink{conn: conn, opt: t.opt, what: t.addr}, nil
}

// connLink is a Link over a net.Conn; the context can cut a blocked call short.
type connLink struct {
	conn net.Conn
	opt  Options
	what string
}

func (l *connLink) Write(ctx context.Context, p []byte) error {
	if err := l.conn.SetWriteDeadline(writeDeadline(ctx, l.opt, len(p))); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { l.conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := l.conn.Write(p); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("write to printer at %s: %w", l.what, ctx.Err())
		}
		return fmt.Errorf("write to printer at %s: %w", l.what, err)
	}
	return nil
}

func (l *connLink) Read(ctx context.Context, p []byte) (int, error) {
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(2 * time.Second)
	}
	if err := l.conn.SetReadDeadline(dl); err != nil {
		return 0, err
	}
	stop := context.AfterFunc(ctx, func() { l.conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	n, err := l.conn.Read(p)
	if err != nil && n == 0 {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return 0, ErrNoReply
		}
		return 0, fmt.Errorf("read from printer at %s: %w", l.what, err)
	}
	return n, nil
}

func (l *connLink) Close() error { return l.conn.Close() }

//go:build windows

package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"golang.org/x/sys/windows/svc/eventlog"
)

// Event IDs are fixed so that monitoring tools can filter on them.
const (
	eventIDError   = 1
	eventIDWarning = 2
)

// systemLogHandler sends errors to the Windows event log (Application, source
// = the service name registered by `service install`).
func systemLogHandler(name string, opts *slog.HandlerOptions) (slog.Handler, io.Closer, error) {
	elog, err := eventlog.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("open the Windows event log source %q: %w (run `posbridge service install` as administrator)", name, err)
	}
	eopts := *opts
	eopts.Level = max(opts.Level.Level(), slog.LevelError)
	h := newLineHandler(&eopts, func(l slog.Level, line []byte) error {
		msg := strings.TrimRight(string(line), "\r\n")
		if l >= slog.LevelError {
			return elog.Error(eventIDError, msg)
		}
		return elog.Warning(eventIDWarning, msg)
	})
	return h, elog, nil
}

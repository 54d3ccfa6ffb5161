//go:build !windows

package main

import (
	"io"
	"log/slog"
)

// systemLogHandler is the OS log beside stderr: none outside Windows, where
// the journal already collects stderr.
func systemLogHandler(string, *slog.HandlerOptions) (slog.Handler, io.Closer, error) {
	return nil, nil, nil
}

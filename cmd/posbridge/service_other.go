//go:build !linux && !windows

package main

import (
	"errors"
	"io"
)

func controlService(action string, spec serviceSpec, stdout io.Writer) (int, error) {
	return 1, errors.New("service commands support Windows and Linux (systemd); elsewhere start `posbridge service run` from your init system")
}

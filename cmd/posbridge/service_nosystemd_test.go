//go:build linux

package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// Without systemd (a container, another init), the service commands say so
// and what to do instead, not systemctl's bus errors.
func TestServiceCommandsWithoutSystemd(t *testing.T) {
	old := systemdBooted
	systemdBooted = filepath.Join(t.TempDir(), "no-systemd-here")
	t.Cleanup(func() { systemdBooted = old })
	for _, action := range []string{"status", "start", "stop", "restart"} {
		var out, errb bytes.Buffer
		code := serviceControl(action, nil, &out, &errb)
		msg := errb.String()
		if code == 0 || !strings.Contains(msg, "posbridge run --config") ||
			strings.Contains(msg, "Failed to connect to bus") || strings.Contains(msg, "has not been booted") {
			t.Errorf("service %s without systemd: exit %d, %q", action, code, msg)
		}
	}
}

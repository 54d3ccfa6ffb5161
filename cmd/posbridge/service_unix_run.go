//go:build !windows

package main

// runAsService: systemd (or Ctrl-C) stops the daemon with a signal.
func runAsService(p *serviceProgram) error {
	return runUntilSignal(p)
}

//go:build !windows

package main

import (
	"io"
	"os"
	"os/signal"
	"syscall"
)

// runAsService runs the program until systemd (SIGTERM) or Ctrl-C asks it
// to stop, or until the daemon fails.
func runAsService(p *serviceProgram, stderr io.Writer) error {
	// Listen before starting: a stop during start-up is still graceful.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(sig)
	if err := p.start(); err != nil {
		return err
	}
	select {
	case <-sig:
		return p.stop()
	case err := <-p.failed:
		p.closeLog()
		return err
	}
}

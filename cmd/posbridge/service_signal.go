package main

import (
	"os"
	"os/signal"
	"syscall"
)

// runUntilSignal runs the program until the service manager (SIGTERM from
// systemd; on Windows a console close or shutdown) or Ctrl-C asks it to
// stop, or until the daemon fails.
func runUntilSignal(p *serviceProgram) error {
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

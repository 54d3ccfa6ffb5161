package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/app"
)

// serviceStopTimeout bounds a stop: the daemon promises 10 s; the rest is
// margin before the service manager's own limit (systemd TimeoutStopSec=20s,
// Windows' 20 s WaitToKillServiceTimeout).
const serviceStopTimeout = 15 * time.Second

// serviceProgram is the daemon as the service manager sees it: start must
// return quickly, stop must return once everything is persisted.
type serviceProgram struct {
	name       string
	configPath string

	log    *slog.Logger
	closer io.Closer
	cancel context.CancelFunc
	done   chan struct{}
	failed chan error // the daemon stopped without being asked; exit non-zero
}

func newServiceProgram(name, configPath string) *serviceProgram {
	return &serviceProgram{name: name, configPath: configPath, failed: make(chan error, 1)}
}

// start loads the config the way only the service does (never the sandbox,
// relative paths from the executable's folder or ProgramData), sets up
// logging and starts the daemon in the background.
func (p *serviceProgram) start() error {
	cfg, err := loadConfig(p.configPath, config.LoadOptions{Service: true})
	if err != nil {
		return fmt.Errorf("service %s cannot start: %w", p.name, err)
	}
	if err := cfg.Check(); err != nil {
		return fmt.Errorf("service %s cannot start: %s: %w (check with `posbridge config check --config %s`)", p.name, cfg.File, err, cfg.File)
	}
	log, closer, err := setupLogging(cfg, true)
	if err != nil {
		return fmt.Errorf("service %s cannot start: %w", p.name, err)
	}
	p.log, p.closer = log, closer
	log.Info("posbridge service starting", "version", version, "commit", commit,
		"config", cfg.File, "data_dir", cfg.DataDir, "mode", cfg.Platform.Mode)

	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.done = cancel, make(chan struct{})
	go func() {
		defer close(p.done)
		err := withStartupFix(cfg, app.Run(ctx, cfg, log, daemonOptions(ctx, cfg, log)))
		if ctx.Err() != nil && err == nil {
			return
		}
		if err == nil {
			err = errors.New("the daemon stopped without being asked to")
		}
		log.Error("posbridge stopped with an error; the service manager will restart it", "err", err)
		p.failed <- err
	}()
	return nil
}

// stop asks the daemon to stop and waits for it, then closes the log.
func (p *serviceProgram) stop() error {
	if p.cancel == nil {
		return nil
	}
	p.cancel()
	var err error
	select {
	case <-p.done:
		p.log.Info("posbridge service stopped")
	case <-time.After(serviceStopTimeout):
		err = fmt.Errorf("the daemon did not stop within %s", serviceStopTimeout)
		p.log.Error("stop timed out; exiting anyway", "err", err)
	}
	if cerr := p.closer.Close(); err == nil {
		err = cerr
	}
	return err
}

// closeLog flushes the log after a fatal error, before the process exits.
func (p *serviceProgram) closeLog() {
	if p.closer != nil {
		_ = p.closer.Close()
	}
}

// serviceRun is `posbridge service run [--name N] [--config FILE]`, the
// command line the service manager starts. Every failure exits non-zero so
// that systemd's Restart= and Windows' recovery actions apply.
func serviceRun(args []string, stderr io.Writer) int {
	fset, cfgPath := newFlagSet("service run")
	fset.SetOutput(stderr)
	name := fset.String("name", defaultServiceName, "service `NAME` (service.name) for the system log")
	if err := fset.Parse(args); err != nil {
		return flagExit(err)
	}
	if fset.NArg() > 0 {
		return usageError(fset, stderr, "unexpected argument %q", fset.Arg(0))
	}
	if err := runAsService(newServiceProgram(*name, *cfgPath)); err != nil {
		fmt.Fprintf(stderr, "posbridge service run: %v\n", err)
		return 1
	}
	return 0
}

package app

import (
	"context"
	"log/slog"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/console"
)

// runSetupMode serves the staff console alone: live mode before any 开个店
// credential was set (the packaged config as installed). Nothing calls the
// platform, nothing listens for pushes, nothing prints; the console shows a
// banner saying what to set and refuses staff actions. It returns when ctx
// ends; stopping is set when it begins to stop.
func (d *Daemon) runSetupMode(ctx context.Context, log *slog.Logger, opts Options, stopping func()) error {
	cfg := d.Config
	d.Setup = true
	consoleLn, err := console.Listen(cfg.Console.Listen)
	if err != nil {
		return err
	}
	d.ConsoleAddr = consoleLn.Addr().String()
	b := bridge.New(bridge.Deps{Config: cfg, Store: d.DB, Logger: log, Now: opts.Now})
	d.Bridge = b
	srv := &console.Server{Bridge: b, Config: cfg, Log: log, Now: opts.Now, Instance: d.instance}
	served := make(chan error, 1)
	go func() { served <- console.Serve(ctx, consoleLn, srv.Handler(), nil, log) }()
	log.Warn(cfg.SetupMessage(), "console", "http://"+d.ConsoleAddr)
	if opts.Ready != nil {
		opts.Ready(d)
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stopping()
	log.Info("stopping posbridge", "reason", stopReason(ctx))
	return <-served
}

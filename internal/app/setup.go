package app

import (
	"context"
	"log/slog"
	"sync"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/console"
)

// runSetupMode serves the staff console alone: live mode before any 开个店
// credential was set (the packaged config as installed). Nothing calls the
// platform, nothing listens for pushes, nothing prints; the console shows a
// banner saying what to set, refuses staff actions, and serves the setup
// page (/setup), whose steps write the settings layer. When an edit (from
// the page, or by hand in settings.yaml) completes the credentials, it
// returns the new configuration and Run goes on in live mode; it returns
// nil when ctx ends. stopping is called when it begins to stop.
func (d *Daemon) runSetupMode(ctx context.Context, log *slog.Logger, opts Options, stopping func()) (*config.Config, error) {
	cfg := d.Config
	d.Setup = true
	consoleLn, err := console.Listen(cfg.Console.Listen)
	if err != nil {
		return nil, err
	}
	d.ConsoleAddr = consoleLn.Addr().String()
	bus := bridge.NewBus(opts.Now)
	b := bridge.New(bridge.Deps{Config: cfg, Store: d.DB, Bus: bus, Logger: log, Now: opts.Now})
	d.Bridge = b
	done := make(chan struct{})
	var once sync.Once
	d.Settings = &Settings{cur: cfg, log: log, bus: bus, install: func(_, next *config.Config) error {
		if !next.SetupMode() {
			once.Do(func() { close(done) })
		}
		return nil
	}}
	srv := &console.Server{Bridge: b, Settings: d.Settings, Config: cfg, Log: log, Now: opts.Now, Instance: d.instance,
		DiscoverSerial: opts.DiscoverSerial}
	serveCtx, stopServing := context.WithCancel(ctx)
	defer stopServing()
	served := make(chan error, 1)
	go func() { served <- console.Serve(serveCtx, consoleLn, srv.Handler(), nil, log) }()
	watchCtx, stopWatch := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() { _ = d.Settings.watch(watchCtx); close(watched) }()
	defer func() { stopWatch(); <-watched }()
	log.Warn(cfg.SetupMessage(), "console", "http://"+d.ConsoleAddr, "setup page", "http://"+d.ConsoleAddr+"/setup")
	if opts.Ready != nil {
		opts.Ready(d)
	}
	select {
	case err := <-served:
		return nil, err
	case <-done:
		// The setup page's last answer is written before the listener
		// closes: Serve shuts down gracefully.
		stopServing()
		if err := <-served; err != nil {
			return nil, err
		}
		next := d.Settings.Current()
		log.Info("setup complete: the 开个店 credentials are set; leaving setup mode", "settings", next.Settings)
		d.Setup = false
		return next, nil
	case <-ctx.Done():
	}
	stopping()
	log.Info("stopping posbridge", "reason", stopReason(ctx))
	return nil, <-served
}

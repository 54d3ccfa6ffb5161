package main

import (
	"context"
	"log/slog"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/app"
)

// daemonOptions are what every long-running start of the daemon (`run` and
// the service) adds to app.Run: the data-directory lock that keeps a second
// daemon out and the nightly backup into backup.dir, a loop of the daemon's
// lifecycle (the daily pruning of data older than retention.days is one of
// app.Main's own).
func daemonOptions(_ context.Context, cfg *config.Config, log *slog.Logger) app.Options {
	return app.Options{
		Lock: lockDataDir,
		Loops: []app.Loop{{Name: "backup", Run: func(ctx context.Context, d *app.Daemon) {
			newAutoBackup(d.DB, cfg, log).run(ctx)
		}}},
	}
}

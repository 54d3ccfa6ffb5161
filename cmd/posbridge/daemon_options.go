package main

import (
	"context"
	"log/slog"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/app"
)

// daemonOptions are what every long-running start of the daemon (`run` and
// the service) adds to app.Run: the data-directory lock that keeps a second
// daemon out, the daily pruning of data older than retention.days, and the
// nightly backup into backup.dir.
func daemonOptions(ctx context.Context, cfg *config.Config, log *slog.Logger) app.Options {
	return app.Options{
		Lock: lockDataDir,
		Ready: func(d *app.Daemon) {
			go newRetention(d.DB, cfg.Retention.Days, log).run(ctx)
			go newAutoBackup(d.DB, cfg, log).run(ctx)
		},
	}
}

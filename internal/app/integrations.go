package app

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/metrics"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/webhook"
)

// integrations are what other systems get from the daemon: signed webhooks
// and the Prometheus instruments.
type integrations struct {
	hooks   *webhook.Hooks
	metrics *metrics.Registry
}

func newIntegrations(cfg *config.Config, db *store.DB, log *slog.Logger, now func() time.Time) *integrations {
	return &integrations{hooks: webhook.New(db, cfg.Webhooks, log, webhook.Options{Now: now}), metrics: metrics.New()}
}

// countLogs makes log count its warnings and errors into the metrics.
func (ig *integrations) countLogs(log *slog.Logger) *slog.Logger {
	return slog.New(ig.metrics.CountLogs(log.Handler()))
}

// printerEvent passes a printer event on to the webhooks; it never blocks.
func (ig *integrations) printerEvent(e printer.Event) { ig.hooks.PrinterEvent(e) }

// push times the push receiver's answers.
func (ig *integrations) push(h http.Handler) http.Handler { return ig.metrics.InstrumentPush(h) }

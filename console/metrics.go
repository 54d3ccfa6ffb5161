package console

import (
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/metrics"
	"github.com/posbridge/posbridge/printer"
)

// metricsPath is the scrape path Prometheus expects by default.
const metricsPath = "/metrics"

// serveMetrics is the Prometheus scrape endpoint. A chain's Prometheus on
// the LAN sends console.api_token; a browser session (the PIN) is refused:
// a scraper is a tool, not a member of staff.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if !metricsAllowed(r) {
		refuse(w, r, http.StatusForbidden, "指标只对本机或带 console.api_token 的工具开放（Authorization: Bearer …）")
		return
	}
	// the orders' day column, as the console's 今日 counts them
	bl, err := s.Bridge.ReadBacklogs(r.Context(), bridge.BusinessDay(s.now()))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	bySource, outbox, inbox, queues, hooks := bl.OrdersBySource, bl.Outbox, bl.Inbox, bl.PrintQueues, bl.Webhooks
	w.Header().Set("Content-Type", metrics.ContentType)
	w.Header().Set("Cache-Control", "no-store")
	mw := metrics.NewWriter(w)

	mw.Family("posbridge_orders", "gauge", "Orders of today (the console's 今日) by local status and source.")
	for _, src := range slices.Sorted(maps.Keys(bySource)) {
		for _, st := range slices.Sorted(maps.Keys(bySource[src])) {
			mw.Sample("posbridge_orders", metrics.Labels{{"status", st}, {"source", src}}, float64(bySource[src][st]))
		}
	}
	stateGauge(mw, "posbridge_outbox_calls", "Platform calls in the outbox by state (pending is the backlog).", outbox,
		"pending", "failed")
	stateGauge(mw, "posbridge_inbox_items", "Pushes and polled changes in the inbox by state.", inbox, "pending", "failed")
	stateGauge(mw, "posbridge_webhook_deliveries", "Webhook deliveries by state (pending is the backlog).", hooks,
		bridge.WebhookPending, bridge.WebhookFailed)

	var printers []printer.PrinterStatus
	if s.Fleet != nil {
		printers = s.Fleet.Status()
	}
	mw.Family("posbridge_printer_up", "gauge", "1 when the printer can print, 0 when it cannot or its state is unknown.")
	for _, p := range printers {
		up := 0.0
		if p.State.CanPrint() {
			up = 1
		}
		mw.Sample("posbridge_printer_up", metrics.Labels{{"printer", p.Name}, {"role", p.Role}}, up)
	}
	mw.Family("posbridge_printer_state", "gauge", "The printer's state: 1 for the current one, 0 for the others.")
	for _, p := range printers {
		for _, st := range printerStates {
			v := 0.0
			if p.State == st {
				v = 1
			}
			mw.Sample("posbridge_printer_state", metrics.Labels{{"printer", p.Name}, {"state", string(st)}}, v)
		}
	}
	mw.Family("posbridge_print_jobs", "gauge", "Print jobs not done, by printer and state.")
	for _, name := range slices.Sorted(maps.Keys(queues)) {
		for _, st := range slices.Sorted(maps.Keys(queues[name])) {
			mw.Sample("posbridge_print_jobs", metrics.Labels{{"printer", name}, {"state", st}}, float64(queues[name][st]))
		}
	}

	h := s.Bridge.Health()
	mw.Gauge("posbridge_platform_last_ok_timestamp_seconds", "When 开个店 last answered a call successfully (0: not yet).", unixSeconds(h.LastPlatformOK))
	mw.Gauge("posbridge_push_last_timestamp_seconds", "When the last push arrived (0: none yet).", unixSeconds(h.LastPushAt))
	mw.Family("posbridge_pushes_refused_total", "counter", "Pushes refused (bad signature, token or body) since start.")
	mw.Sample("posbridge_pushes_refused_total", nil, float64(h.PushesRefused))
	mw.Family("posbridge_pushes_missed_total", "counter", "Changes found by polling that no push announced, since start.")
	mw.Sample("posbridge_pushes_missed_total", nil, float64(h.MissedPushes))
	if m := s.Metrics; m != nil {
		m.PushAck.Write(mw, "posbridge_push_ack_seconds", "Time from a push's arrival to its answer (committed to the inbox first).")
		m.Pushes.Write(mw, "posbridge_push_requests_total", "Pushes answered, by kind and HTTP status.")
		m.Logged.Write(mw, "posbridge_log_messages_total", "Warnings and errors the daemon logged, by level.")
	}
	if err := mw.Err(); err != nil {
		s.log().Debug("metrics scrape ended early", "err", err)
	}
}

// stateGauge writes counts by state; the always states are written at 0
// when absent, so that an alert on them has a series to watch.
func stateGauge(mw *metrics.Writer, name, help string, counts map[string]int, always ...string) {
	mw.Family(name, "gauge", help)
	for _, st := range always {
		if _, ok := counts[st]; !ok {
			mw.Sample(name, metrics.Labels{{"state", st}}, 0)
		}
	}
	for _, st := range slices.Sorted(maps.Keys(counts)) {
		mw.Sample(name, metrics.Labels{{"state", st}}, float64(counts[st]))
	}
}

func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMilli()) / 1000
}

// printerStates are every state a printer reports, so that a state's
// series exists (at 0) before the printer is ever in it.
var printerStates = []printer.PrinterState{printer.StateOnline, printer.StatePaperNearEnd, printer.StatePaperOut,
	printer.StateCoverOpen, printer.StateOffline, printer.StateUnknown}

// metricsAllowed: this PC, or a tool with the API token.
func metricsAllowed(r *http.Request) bool {
	k := authOf(r).kind
	return k == authLoopback || k == authToken
}

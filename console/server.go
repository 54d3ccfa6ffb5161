// Package console is posbridge's HTTP edge for staff: on the console
// listener the staff web page (embedded assets), the JSON API other store
// tools use, and server-sent events (pushes are received by package push,
// on a listener of their own). It holds no business rules: every decision
// is a call into bridge.
package console

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/metrics"
	"github.com/posbridge/posbridge/ordering/members"
)

// Server is the console listener's handler.
type Server struct {
	Bridge *bridge.Bridge
	Fleet  Fleet
	// Settings edits the settings layer; nil where the console may not
	// (tests of other parts, tools).
	Settings SettingsEditor
	Config   *config.Config
	// DiscoverSerial are device paths discovery treats as serial ports
	// besides those the system lists (tests give a socat pty).
	DiscoverSerial []string
	Log            *slog.Logger
	Now            func() time.Time
	// Instance names this run of the daemon, as push.Receiver.Instance.
	Instance string
	// Metrics are the instruments /metrics writes besides what it reads at
	// scrape time; nil leaves them out.
	Metrics *metrics.Registry
	// Menus is the scan-to-order channel's menus (nil when it is off).
	Menus MenuDesk
	// Members is the member ledger (会员 view; nil: the view says it is off).
	Members *members.Ledger
	// WeChatSync is the WeChat Pay catering sync (nil when it is off).
	WeChatSync WeChatSyncDesk
	// Refunds are the online payments' refunds the order drawer shows
	// (online_refunds.go); nil: none.
	Refunds RefundBook

	access  guard         // who may use the console (auth.go)
	streams streamLimiter // open event streams (events_limit.go)
	screens screenState   // paired screens (auth_device.go)
	manager managerPins   // console.manager_pin tries (members.go)
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Handler is the console mux: page, API and events, behind Protect. It never
// accepts pushes.
func (s *Server) Handler() http.Handler { return s.Protect(s.setupGuard(s.buildMux())) }

// buildMux registers every console route (Routes lists them).
func (s *Server) buildMux() *routeMux {
	mux := newRouteMux()
	mux.HandleFunc("GET /api/orders", s.listOrders)
	mux.HandleFunc("GET /api/orders/{code}", s.getOrder)
	for path, act := range map[string]bridge.Action{
		"accept": bridge.ActAccept, "reject": bridge.ActReject, "refund/approve": bridge.ActRefundApprove,
		"refund/reject": bridge.ActRefundReject, "made": bridge.ActMade, "complete": bridge.ActComplete,
		"deliver": bridge.ActDeliver, "cancel": bridge.ActCancel,
	} {
		mux.HandleFunc("POST /api/orders/{code}/"+path, s.orderAction(act))
	}
	mux.HandleFunc("POST /api/orders/{code}/reprint", s.reprint)
	s.routeWeChatSync(mux)
	mux.HandleFunc("POST /api/scan", s.scan)
	mux.HandleFunc("POST /api/pos/orders", s.submitPOS)
	mux.HandleFunc("GET /api/pos/orders/{id}", s.getPOS)
	mux.HandleFunc("GET /api/platform", s.platform)
	mux.HandleFunc("GET /api/calls", s.listCalls)
	mux.HandleFunc("POST /api/calls/{id}/retry", s.retryCall)
	mux.HandleFunc("POST /api/calls/{id}/abandon", s.abandonCall)
	mux.HandleFunc("GET /api/printers", s.listPrinters)
	mux.HandleFunc("POST /api/printers/{name}/test", s.testPrint)
	mux.HandleFunc("GET /api/jobs", s.listJobs)
	mux.HandleFunc("GET /api/jobs/{id}", s.getJob)
	mux.HandleFunc("GET /api/jobs/{id}/preview", s.jobPreview)
	mux.HandleFunc("POST /api/jobs/{id}/release", s.jobDecision(true))
	mux.HandleFunc("POST /api/jobs/{id}/drop", s.jobDecision(false))
	mux.HandleFunc("GET /api/stats/today", s.statsToday)
	s.routeStore(mux)
	mux.HandleFunc("GET /api/events", s.events)
	mux.HandleFunc("GET /api/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "sandbox": s.Config.Sandbox || s.Config.Platform.Mode == "sandbox",
			"setup": s.Config.SetupMode(), "instance": s.Instance})
	})
	mux.HandleFunc("/kaigedian/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "pushes go to the push listener, not the console")
	})
	s.routeSettings(mux)
	s.routeMenus(mux)
	s.routeMembers(mux)
	s.routeOnlineRefunds(mux)
	s.routeUI(mux)
	s.routeAuth(mux)
	s.routeScreens(mux)
	s.routeDevices(mux)
	s.routeIntegrations(mux)
	return mux
}

// Listen opens a listener for addr; ":0" style ports are fine in tests.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w (is another posbridge or program using the port?)", addr, err)
	}
	return ln, nil
}

// streamGrace is how long requests in flight may finish after shutdown
// begins before their contexts end.
const streamGrace = 500 * time.Millisecond

// Serve serves h on ln until ctx ends, then shuts down gracefully.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, tlsCfg *tls.Config, log *slog.Logger) error {
	// Event streams never go idle, so Shutdown alone would leave them open on
	// a stopped daemon and the page would never notice: their request
	// contexts end shortly after shutdown begins, and the page reconnects.
	base, endRequests := context.WithCancel(context.Background())
	defer endRequests()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute, TLSConfig: tlsCfg, BaseContext: func(net.Listener) context.Context { return base }}
	srv.RegisterOnShutdown(func() { time.AfterFunc(streamGrace, endRequests) })
	errc := make(chan error, 1)
	go func() {
		if tlsCfg != nil {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		shutCtx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutCtx); err != nil {
			_ = srv.Close()
		}
		return nil
	}
}

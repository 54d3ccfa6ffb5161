package console

import (
	"net/http"
	"testing"
)

// /metrics answers this PC and the API token; a browser that logged in
// with the PIN, a LAN client without credentials and a wrong token are refused.
func TestMetricsAccess(t *testing.T) {
	g := lanConsole(t)
	g.h = g.s.Protect(func() http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
			if !metricsAllowed(r) {
				refuse(w, r, http.StatusForbidden, "refused")
				return
			}
			w.WriteHeader(http.StatusOK)
		})
		g.s.routeAuth(mux)
		return mux
	}())
	wantStatus(t, "loopback", g.do(req{path: "/metrics", remote: "127.0.0.1:5000", host: "127.0.0.1:8686"}), http.StatusOK)
	wantStatus(t, "token from the LAN", g.do(req{path: "/metrics", header: map[string]string{"Authorization": "Bearer tok-0123456789abcdef"}}), http.StatusOK)
	wantStatus(t, "wrong token", g.do(req{path: "/metrics", header: map[string]string{"Authorization": "Bearer nope"}}), http.StatusUnauthorized)
	wantStatus(t, "LAN without credentials", g.do(req{path: "/metrics"}), http.StatusUnauthorized)
	c := sessionCookieOf(t, g.login("192.168.1.23:51234", lanPin))
	wantStatus(t, "PIN session", g.do(req{path: "/metrics", cookies: []*http.Cookie{c}}), http.StatusForbidden)
	wantStatus(t, "loopback through a proxy", g.do(req{path: "/metrics", remote: "127.0.0.1:5000", host: "127.0.0.1:8686",
		header: map[string]string{"X-Forwarded-For": "192.168.1.50"}}), http.StatusUnauthorized)
}

package console

import (
	"net/http"
	"testing"

	"github.com/posbridge/posbridge/config"
)

// Issue 13 item 6: a logout survives a daemon restart. It ends every PIN
// session (the session epoch in the data directory goes up), so a lost
// tablet is shut out by logging out on any other.
func TestLogoutSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	cc := config.ConsoleConfig{Listen: "0.0.0.0:8686", Pin: lanPin}
	g := newGuarded(t, cc, dir)
	mine := sessionCookieOf(t, g.login("192.168.1.23:5000", lanPin))
	lost := sessionCookieOf(t, g.login("192.168.1.24:5000", lanPin))
	csrf := csrfOf(t, g, mine)
	wantStatus(t, "logout", g.do(req{method: "POST", path: "/logout", cookies: []*http.Cookie{mine},
		header: map[string]string{csrfHeader: csrf}}), http.StatusOK)
	wantStatus(t, "the logged-out cookie", g.do(req{path: "/api/orders", cookies: []*http.Cookie{mine}}), http.StatusUnauthorized)
	wantStatus(t, "the other tablet's cookie", g.do(req{path: "/api/orders", cookies: []*http.Cookie{lost}}), http.StatusUnauthorized)

	restarted := newGuarded(t, cc, dir)
	restarted.clock.t = g.clock.t
	wantStatus(t, "the logged-out cookie after a restart", restarted.do(req{path: "/api/orders", cookies: []*http.Cookie{mine}}), http.StatusUnauthorized)
	wantStatus(t, "the other tablet's cookie after a restart", restarted.do(req{path: "/api/orders", cookies: []*http.Cookie{lost}}), http.StatusUnauthorized)
	// A new login works, and keeps working across the next restart.
	fresh := sessionCookieOf(t, restarted.login("192.168.1.23:5000", lanPin))
	again := newGuarded(t, cc, dir)
	again.clock.t = g.clock.t
	wantStatus(t, "a new session after another restart", again.do(req{path: "/api/orders", cookies: []*http.Cookie{fresh}}), http.StatusOK)
}

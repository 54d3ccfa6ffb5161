package console

import (
	"net/http"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
)

// Issue 13 item 6: behind a tunnel or proxy that adds no forwarding header,
// every request comes from 127.0.0.1; console.trust_loopback: false makes
// those log in with the PIN like any tablet.
func TestLoopbackTrustCanBeTurnedOff(t *testing.T) {
	off := false
	g := newGuarded(t, config.ConsoleConfig{Listen: "127.0.0.1:8686", Pin: lanPin, TrustLoopback: &off}, "")
	local := req{path: "/api/orders", remote: "127.0.0.1:40000", host: "127.0.0.1:8686"}
	wantStatus(t, "loopback without a login", g.do(local), http.StatusUnauthorized)
	c := sessionCookieOf(t, g.login("127.0.0.1:40001", lanPin))
	local.cookies = []*http.Cookie{c}
	w := g.do(local)
	wantStatus(t, "loopback with a PIN session", w, http.StatusOK)
	if want := `"auth":"session"`; !strings.Contains(w.Body.String(), want) {
		t.Fatalf("let in as %s, want a session", w.Body)
	}

	on := newGuarded(t, config.ConsoleConfig{Listen: "127.0.0.1:8686"}, "")
	wantStatus(t, "loopback trusted by default", on.do(req{path: "/api/orders", remote: "127.0.0.1:40000", host: "127.0.0.1:8686"}), http.StatusOK)

	cfg := config.Defaults()
	cfg.Console.TrustLoopback = &off
	found := false
	for _, p := range cfg.Validate() {
		if p.Key == "console.pin" && !p.Warning {
			found = true
		}
	}
	if !found {
		t.Fatal("config check must require a PIN when loopback is not trusted")
	}
}

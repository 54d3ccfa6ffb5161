package console

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/posbridge/posbridge/config"
)

// testClock is a wall clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// guarded is a console mux behind Protect whose API handlers echo how the
// request was let in, with the login routes and the page.
type guarded struct {
	t     *testing.T
	s     *Server
	h     http.Handler
	clock *testClock
}

func newGuarded(t *testing.T, cc config.ConsoleConfig, dataDir string) *guarded {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	clock := &testClock{t: time.Date(2026, 11, 22, 11, 30, 0, 0, time.UTC)}
	cfg := &config.Config{DataDir: dataDir, Console: cc, Stores: []config.StoreConfig{{ID: "1862", Name: "南翔一店"}}}
	s := &Server{Config: cfg, Now: clock.Now}
	mux := http.NewServeMux()
	echo := func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"auth": string(authOf(r).kind), "actor": actorOf(r)})
	}
	mux.HandleFunc("GET /api/orders", echo)
	mux.HandleFunc("POST /api/orders/{code}/accept", echo)
	s.routeUI(mux)
	s.routeAuth(mux)
	return &guarded{t: t, s: s, h: s.Protect(mux), clock: clock}
}

type req struct {
	method, path, remote, host string
	body                       string
	header                     map[string]string
	cookies                    []*http.Cookie
}

func (g *guarded) do(r req) *httptest.ResponseRecorder {
	g.t.Helper()
	if r.method == "" {
		r.method = "GET"
	}
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	hr.RemoteAddr = r.remote
	if hr.RemoteAddr == "" {
		hr.RemoteAddr = "192.168.1.23:51234"
	}
	hr.Host = r.host
	if hr.Host == "" {
		hr.Host = "192.168.1.10:8686"
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	for _, c := range r.cookies {
		hr.AddCookie(c)
	}
	w := httptest.NewRecorder()
	g.h.ServeHTTP(w, hr)
	return w
}

func (g *guarded) login(remote, pin string) *httptest.ResponseRecorder {
	g.t.Helper()
	return g.do(req{method: "POST", path: "/login", remote: remote, body: url.Values{"pin": {pin}, "next": {"/#orders"}}.Encode(),
		header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
}

func sessionCookieOf(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("no session cookie in %d answer: %v", w.Code, w.Header())
	return nil
}

func csrfOf(t *testing.T, g *guarded, c *http.Cookie) string {
	t.Helper()
	w := g.do(req{path: "/api/session", cookies: []*http.Cookie{c}})
	var s struct {
		Auth string `json:"auth"`
		CSRF string `json:"csrf"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &s); err != nil || s.Auth != "session" || s.CSRF == "" {
		t.Fatalf("session info: %d %s", w.Code, w.Body)
	}
	return s.CSRF
}

func wantStatus(t *testing.T, what string, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	if w.Code != want {
		t.Fatalf("%s: HTTP %d, want %d: %s", what, w.Code, want, w.Body)
	}
}

const lanPin = "2468"

func lanConsole(t *testing.T) *guarded {
	return newGuarded(t, config.ConsoleConfig{Listen: "0.0.0.0:8686", Pin: lanPin, APIToken: "tok-0123456789abcdef"}, "")
}

func TestLoopbackNeedsNoLoginButAKnownHost(t *testing.T) {
	g := newGuarded(t, config.ConsoleConfig{Listen: "192.168.1.10:8686"}, "")
	for _, tc := range []struct {
		remote, host string
		want         int
	}{
		{"127.0.0.1:5000", "127.0.0.1:8686", 200},
		{"127.0.0.1:5000", "localhost:8686", 200},
		{"127.0.0.1:5000", "LOCALHOST.:8686", 200},
		{"[::1]:5000", "[::1]:8686", 200},
		{"127.0.0.1:5000", "192.168.1.10:8686", 200}, // the configured listen host
		{"127.0.0.1:5000", "evil.example:8686", 403}, // DNS rebinding
		{"127.0.0.1:5000", "127.0.0.1.nip.io:8686", 403},
	} {
		w := g.do(req{path: "/api/orders", remote: tc.remote, host: tc.host})
		if w.Code != tc.want {
			t.Errorf("%s with Host %s: HTTP %d, want %d: %s", tc.remote, tc.host, w.Code, tc.want, w.Body)
		}
		if tc.want == 200 && !strings.Contains(w.Body.String(), `"auth":"loopback"`) {
			t.Errorf("%s: not let in as loopback: %s", tc.host, w.Body)
		}
	}
	// A reverse proxy on this PC may be serving the LAN: not trusted as local.
	w := g.do(req{path: "/api/orders", remote: "127.0.0.1:5000", host: "127.0.0.1:8686", header: map[string]string{"X-Forwarded-For": "192.168.1.50"}})
	wantStatus(t, "proxied request", w, http.StatusForbidden)
}

func TestLANWithoutPinConfiguredIsRefused(t *testing.T) {
	g := newGuarded(t, config.ConsoleConfig{Listen: "0.0.0.0:8686"}, "")
	w := g.do(req{path: "/api/orders"})
	wantStatus(t, "LAN API without a PIN configured", w, http.StatusForbidden)
	if !strings.Contains(w.Body.String(), "console.pin") {
		t.Errorf("refusal does not say what to set: %s", w.Body)
	}
	w = g.do(req{path: "/login"})
	wantStatus(t, "login page without a PIN configured", w, http.StatusForbidden)
	w = g.login("192.168.1.23:5000", "")
	wantStatus(t, "login without a PIN configured", w, http.StatusForbidden)
}

func TestLANBrowserLogsInWithThePin(t *testing.T) {
	g := lanConsole(t)
	w := g.do(req{path: "/api/orders"})
	wantStatus(t, "API before login", w, http.StatusUnauthorized)
	if !strings.Contains(w.Body.String(), "PIN") {
		t.Errorf("401 does not mention the PIN: %s", w.Body)
	}
	w = g.do(req{path: "/", header: map[string]string{"Accept": "text/html"}})
	wantStatus(t, "page before login", w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/login?next=%2F" {
		t.Errorf("redirect to %q", loc)
	}
	wantStatus(t, "stylesheet before login", g.do(req{path: "/assets/app.css"}), http.StatusOK)
	w = g.do(req{path: "/login"})
	wantStatus(t, "login page", w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `name="pin"`) || !strings.Contains(w.Body.String(), "南翔一店") {
		t.Errorf("login page lacks the PIN field or the store: %s", w.Body)
	}

	w = g.login("192.168.1.23:5000", "1111")
	wantStatus(t, "wrong PIN", w, http.StatusUnauthorized)
	if !strings.Contains(w.Body.String(), "PIN 不正确，还可以再试 4 次") {
		t.Errorf("wrong PIN page: %s", w.Body)
	}
	w = g.login("192.168.1.23:5000", lanPin)
	wantStatus(t, "right PIN", w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/#orders" {
		t.Errorf("after login redirected to %q", loc)
	}
	c := sessionCookieOf(t, w)
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.MaxAge <= 0 {
		t.Errorf("session cookie not HttpOnly/SameSite=Strict/Path=/ with an age: %+v", c)
	}
	cookies := []*http.Cookie{c}

	w = g.do(req{path: "/api/orders", cookies: cookies})
	wantStatus(t, "API with the session", w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"auth":"session"`) {
		t.Errorf("not let in by session: %s", w.Body)
	}
	// CSRF: a state-changing call needs the session's token in a header.
	accept := req{method: "POST", path: "/api/orders/X1/accept", cookies: cookies}
	wantStatus(t, "POST without CSRF token", g.do(accept), http.StatusForbidden)
	accept.header = map[string]string{csrfHeader: "forged"}
	wantStatus(t, "POST with a wrong CSRF token", g.do(accept), http.StatusForbidden)
	accept.header = map[string]string{csrfHeader: csrfOf(t, g, c), "X-Staff-Name": url.PathEscape("小王")}
	w = g.do(accept)
	wantStatus(t, "POST with the CSRF token", w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"actor":"staff:小王"`) {
		t.Errorf("percent-encoded staff name not decoded: %s", w.Body)
	}
	// A long Chinese name is cut at 40 characters, never inside one.
	long := strings.Repeat("王", 50)
	accept.header = map[string]string{csrfHeader: csrfOf(t, g, c), "X-Staff-Name": url.PathEscape(long)}
	w = g.do(accept)
	wantStatus(t, "POST with a long staff name", w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"actor":"staff:`+strings.Repeat("王", 40)+`"`) {
		t.Errorf("long staff name not cut at 40 characters: %s", w.Body)
	}
	// Logout ends the session for good, even though the cookie is still signed.
	w = g.do(req{method: "POST", path: "/logout", cookies: cookies, header: map[string]string{csrfHeader: csrfOf(t, g, c)}})
	wantStatus(t, "logout", w, http.StatusOK)
	wantStatus(t, "API after logout", g.do(req{path: "/api/orders", cookies: cookies}), http.StatusUnauthorized)
}

func TestBcryptPin(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("8642"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	g := newGuarded(t, config.ConsoleConfig{Listen: "0.0.0.0:8686", Pin: string(hash)}, "")
	wantStatus(t, "hash typed as the PIN", g.login("192.168.1.23:5000", string(hash)), http.StatusUnauthorized)
	wantStatus(t, "wrong PIN", g.login("192.168.1.23:5000", "8641"), http.StatusUnauthorized)
	w := g.login("192.168.1.23:5000", "8642")
	wantStatus(t, "right PIN against the bcrypt hash", w, http.StatusSeeOther)
	sessionCookieOf(t, w)
}

func TestPinAttemptsAreRateLimited(t *testing.T) {
	g := lanConsole(t)
	guesser, other := "192.168.1.66:4000", "192.168.1.23:4000"
	for i := 1; i < pinFreeTries; i++ {
		wantStatus(t, "wrong PIN", g.login(guesser, "0000"), http.StatusUnauthorized)
	}
	w := g.login(guesser, "0001")
	wantStatus(t, "the fifth wrong PIN", w, http.StatusTooManyRequests)
	if w.Header().Get("Retry-After") != "30" {
		t.Errorf("Retry-After %q, want 30", w.Header().Get("Retry-After"))
	}
	// While locked even the right PIN is refused: guessing cannot go on.
	w = g.login(guesser, lanPin)
	wantStatus(t, "right PIN while locked", w, http.StatusTooManyRequests)
	if !strings.Contains(w.Body.String(), "秒后再试") {
		t.Errorf("lock page does not say how long: %s", w.Body)
	}
	// Another device of the store is not locked out.
	wantStatus(t, "another client", g.login(other, lanPin), http.StatusSeeOther)

	g.clock.Add(31 * time.Second)
	wantStatus(t, "wrong PIN after the lock", g.login(guesser, "0002"), http.StatusTooManyRequests)
	g.clock.Add(61 * time.Second) // the lock doubled
	wantStatus(t, "right PIN after the doubled lock", g.login(guesser, lanPin), http.StatusSeeOther)
	wantStatus(t, "a new miss after success starts over", g.login(guesser, "0003"), http.StatusUnauthorized)

	// IPv6 clients are counted per /64: hopping addresses does not help.
	for i := 0; i < pinFreeTries; i++ {
		g.login("[2001:db8:1:2::"+string(rune('a'+i))+"]:4000", "9999")
	}
	wantStatus(t, "another address in the same /64", g.login("[2001:db8:1:2::ff]:4000", lanPin), http.StatusTooManyRequests)
}

// After a LAN-wide burst of misses, an address that missed before must
// wait out the window; one with no recorded miss (the counter tablet) still
// gets its try, so the cap does not lock every tablet out (issue 13 item 3).
func TestManyClientsCannotShareTheGuessing(t *testing.T) {
	g := lanConsole(t)
	wantStatus(t, "a tablet's typo", g.login("10.9.9.8:4000", "1357"), http.StatusUnauthorized)
	for i := 0; i < pinGlobalMisses; i++ {
		g.login(fmt.Sprintf("10.0.%d.%d:4000", i/200, i%200+1), "0000")
	}
	wantStatus(t, "a guesser's next try after a LAN-wide burst", g.login("10.0.0.1:4000", "0001"), http.StatusTooManyRequests)
	wantStatus(t, "an address that missed before, right PIN", g.login("10.9.9.8:4000", lanPin), http.StatusTooManyRequests)
	wantStatus(t, "fresh client after a LAN-wide burst", g.login("10.9.9.9:4000", lanPin), http.StatusSeeOther)
	g.clock.Add(pinGlobalWindow + time.Second)
	wantStatus(t, "after the window", g.login("10.9.9.8:4000", lanPin), http.StatusSeeOther)
}

func TestSessionsExpireRenewAndSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	g := newGuarded(t, config.ConsoleConfig{Listen: "0.0.0.0:8686", Pin: lanPin}, dir)
	c := sessionCookieOf(t, g.login("192.168.1.23:5000", lanPin))
	csrf := csrfOf(t, g, c)

	// A daemon restart (same data directory, same PIN) keeps the tablet logged in.
	g2 := newGuarded(t, config.ConsoleConfig{Listen: "0.0.0.0:8686", Pin: lanPin}, dir)
	g2.clock.t = g.clock.t
	wantStatus(t, "session after a restart", g2.do(req{path: "/api/orders", cookies: []*http.Cookie{c}}), http.StatusOK)
	// Changing the PIN logs every browser out.
	g3 := newGuarded(t, config.ConsoleConfig{Listen: "0.0.0.0:8686", Pin: "9753"}, dir)
	g3.clock.t = g.clock.t
	wantStatus(t, "session after the PIN changed", g3.do(req{path: "/api/orders", cookies: []*http.Cookie{c}}), http.StatusUnauthorized)

	// Past half its life a session is renewed, keeping its CSRF token.
	g.clock.Add(8 * time.Hour)
	w := g.do(req{path: "/api/orders", cookies: []*http.Cookie{c}})
	wantStatus(t, "session at 8 h", w, http.StatusOK)
	renewed := sessionCookieOf(t, w)
	if csrfOf(t, g, renewed) != csrf {
		t.Error("renewal changed the CSRF token: an open page would stop working")
	}
	g.clock.Add(10 * time.Hour)
	wantStatus(t, "original cookie at 18 h", g.do(req{path: "/api/orders", cookies: []*http.Cookie{c}}), http.StatusUnauthorized)
	wantStatus(t, "renewed cookie at 18 h", g.do(req{path: "/api/orders", cookies: []*http.Cookie{renewed}}), http.StatusOK)

	// A tampered cookie is refused.
	bad := *renewed
	flip := "A"
	if strings.HasPrefix(bad.Value, "A") {
		flip = "B"
	}
	bad.Value = flip + bad.Value[1:] // the payload no longer matches its MAC
	wantStatus(t, "tampered cookie", g.do(req{path: "/api/orders", cookies: []*http.Cookie{&bad}}), http.StatusUnauthorized)
}

func TestBearerTokenForStoreTools(t *testing.T) {
	g := lanConsole(t)
	w := g.do(req{method: "POST", path: "/api/orders/X1/accept", header: map[string]string{"Authorization": "Bearer tok-0123456789abcdef"}})
	wantStatus(t, "POST with the API token (no CSRF needed)", w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"auth":"token"`) {
		t.Errorf("not let in by token: %s", w.Body)
	}
	wantStatus(t, "wrong token", g.do(req{path: "/api/orders", header: map[string]string{"Authorization": "Bearer nope"}}), http.StatusUnauthorized)
	wantStatus(t, "basic auth", g.do(req{path: "/api/orders", header: map[string]string{"Authorization": "Basic dG9rOng="}}), http.StatusUnauthorized)
	// A wrong token is refused even from loopback: explicit credentials must be right.
	wantStatus(t, "wrong token on loopback", g.do(req{path: "/api/orders", remote: "127.0.0.1:1", host: "127.0.0.1:8686",
		header: map[string]string{"Authorization": "Bearer nope"}}), http.StatusUnauthorized)

	noToken := newGuarded(t, config.ConsoleConfig{Listen: "0.0.0.0:8686", Pin: lanPin}, "")
	wantStatus(t, "token when none is configured", noToken.do(req{path: "/api/orders", header: map[string]string{"Authorization": "Bearer "}}), http.StatusUnauthorized)
}

// Another web site open in the store PC's browser cannot press buttons on
// the loopback console, though the PC needs no login.
func TestCrossSiteRequestsAreRefused(t *testing.T) {
	g := newGuarded(t, config.ConsoleConfig{Listen: "127.0.0.1:8686"}, "")
	lo := func(h map[string]string) req {
		return req{method: "POST", path: "/api/orders/X1/accept", remote: "127.0.0.1:1", host: "127.0.0.1:8686", header: h}
	}
	wantStatus(t, "cross-site fetch", g.do(lo(map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})), http.StatusForbidden)
	wantStatus(t, "old browser, foreign Origin", g.do(lo(map[string]string{"Origin": "https://evil.example"})), http.StatusForbidden)
	wantStatus(t, "same-origin fetch", g.do(lo(map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:8686"})), http.StatusOK)
	wantStatus(t, "the CLI (no browser headers)", g.do(lo(nil)), http.StatusOK)
	// On a plain-HTTP LAN address browsers send no Sec-Fetch-Site; the Origin decides.
	lan := lanConsole(t)
	post := req{method: "POST", path: "/api/orders/X1/accept", header: map[string]string{"Authorization": "Bearer tok-0123456789abcdef", "Origin": "http://192.168.1.10:8686"}}
	wantStatus(t, "LAN page's own POST", lan.do(post), http.StatusOK)
	post.header["Origin"] = "null"
	wantStatus(t, "opaque origin", lan.do(post), http.StatusForbidden)
	wantStatus(t, "cross-site GET (read-only, CORS keeps the answer away)", g.do(req{path: "/api/orders", remote: "127.0.0.1:1", host: "127.0.0.1:8686",
		header: map[string]string{"Sec-Fetch-Site": "cross-site"}}), http.StatusOK)
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	for in, want := range map[string]string{
		"/#orders": "/#orders", "//evil.example/": "/", "/\\evil.example": "/", "https://evil.example": "/",
		"": "/", "/login?next=/": "/", "/#printers": "/#printers",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoopbackLoginPageRedirectsHome(t *testing.T) {
	g := lanConsole(t)
	w := g.do(req{path: "/login", remote: "127.0.0.1:1", host: "localhost:8686"})
	wantStatus(t, "login page on loopback", w, http.StatusSeeOther)
	w = g.do(req{path: "/api/session", remote: "127.0.0.1:1", host: "localhost:8686"})
	if !strings.Contains(w.Body.String(), `"auth":"loopback"`) || strings.Contains(w.Body.String(), "csrf") {
		t.Errorf("loopback session info: %s", w.Body)
	}
}

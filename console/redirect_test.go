package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// offSite reports whether a browser that follows Location leaves this site.
// Browsers drop tabs and newlines from URLs and read a backslash as a slash,
// so those are removed first, as a browser would.
func offSite(loc string) bool {
	cleaned := strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, loc)
	u, err := url.Parse(cleaned)
	return err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(cleaned, "/") || strings.HasPrefix(cleaned, "//")
}

// Issue 13 item 5: whatever next a link carries, the browser stays on this
// site after the login page (already logged in) and after a PIN login.
func TestLoginNextNeverLeavesTheSite(t *testing.T) {
	g := lanConsole(t)
	for _, next := range []string{
		"/\t/evil.example/", "/\n/evil.example/", "/\r\n/evil.example", "/%09/evil.example/", "\t//evil.example",
		"//evil.example/", "/\\evil.example", "/\t\\evil.example", "https://evil.example/", "http:evil.example",
		"///evil.example", "/ /evil.example", "javascript:alert(1)", "/\x00/evil.example",
	} {
		loopback := g.do(req{path: "/login?next=" + url.QueryEscape(next), remote: "127.0.0.1:1", host: "127.0.0.1:8686"})
		if loopback.Code != http.StatusSeeOther {
			t.Fatalf("loopback login page with next %q: %d", next, loopback.Code)
		}
		if loc := loopback.Header().Get("Location"); offSite(loc) {
			t.Errorf("next %q: the logged-in login page redirects off-site to %q", next, loc)
		}
		w := g.do(req{method: "POST", path: "/login", remote: "192.168.1.40:5000",
			body:   url.Values{"pin": {lanPin}, "next": {next}}.Encode(),
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("PIN login with next %q: %d %s", next, w.Code, w.Body)
		}
		if loc := w.Header().Get("Location"); offSite(loc) {
			t.Errorf("next %q: a PIN login redirects off-site to %q", next, loc)
		}
	}
	// Paths on this site survive, query and fragment included.
	for next, want := range map[string]string{"/#orders": "/#orders", "/?view=board#printers": "/?view=board#printers", "/assets/app.css": "/assets/app.css"} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

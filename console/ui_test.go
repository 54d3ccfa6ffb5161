package console

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
)

// uiPaths is every embedded file with the URL it is served at.
func uiPaths(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{"ui/index.html": "/"}
	err := fs.WalkDir(uiFiles, "ui/assets", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out[p] = "/" + strings.TrimPrefix(p, "ui/")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func serveLoopback(t *testing.T, h http.Handler, target string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", target, nil)
	r.RemoteAddr, r.Host = "127.0.0.1:40000", "127.0.0.1:8686"
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestEmbeddedAssetsAreServedWithTypesAndRevalidation(t *testing.T) {
	h := uiHandler()
	want := map[string]string{".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
		".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
	for file, url := range uiPaths(t) {
		w := serveLoopback(t, h, url, nil)
		if w.Code != http.StatusOK {
			t.Errorf("%s: HTTP %d", url, w.Code)
			continue
		}
		body, _ := uiFiles.ReadFile(file)
		if w.Body.String() != string(body) {
			t.Errorf("%s: body differs from the embedded %s", url, file)
		}
		if ct := want[path.Ext(file)]; ct != "" && w.Header().Get("Content-Type") != ct {
			t.Errorf("%s: Content-Type %q, want %q", url, w.Header().Get("Content-Type"), ct)
		}
		if w.Header().Get("Cache-Control") != "no-cache" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: caching headers %v", url, w.Header())
		}
		etag := w.Header().Get("ETag")
		if etag == "" {
			t.Errorf("%s: no ETag", url)
			continue
		}
		if w2 := serveLoopback(t, h, url, map[string]string{"If-None-Match": etag}); w2.Code != http.StatusNotModified || w2.Body.Len() != 0 {
			t.Errorf("%s revalidated with its ETag: HTTP %d, %d bytes", url, w2.Code, w2.Body.Len())
		}
	}
	page := serveLoopback(t, h, "/", nil)
	csp := page.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("page CSP %q", csp)
	}
	// no-referrer would make browsers send "Origin: null" with the page's own
	// POSTs, which cross-origin protection refuses on a plain-HTTP LAN address.
	if rp := page.Header().Get("Referrer-Policy"); rp != "same-origin" {
		t.Errorf("Referrer-Policy %q, want same-origin", rp)
	}
	if w := serveLoopback(t, h, "/assets/nope.js", nil); w.Code != http.StatusNotFound {
		t.Errorf("unknown asset: HTTP %d", w.Code)
	}
	if w := serveLoopback(t, h, "/favicon.ico", nil); w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/svg+xml" {
		t.Errorf("favicon: HTTP %d %s", w.Code, w.Header().Get("Content-Type"))
	}
}

// references finds what a file loads: src/href attributes, JS imports, CSS url().
var references = []*regexp.Regexp{
	regexp.MustCompile(`(?:src|href)="([^"#]+)"`),
	regexp.MustCompile(`(?:from|import)\s*\(?\s*'([^']+)'`),
	regexp.MustCompile(`url\(\s*"?([^")]+)"?\s*\)`),
}

func TestEveryReferencedAssetExists(t *testing.T) {
	served := map[string]bool{}
	for _, url := range uiPaths(t) {
		served[url] = true
	}
	files := uiPaths(t)
	files["ui/login.html"] = "/login"
	checked := 0
	for file, url := range files {
		if ext := path.Ext(file); ext != ".html" && ext != ".js" && ext != ".css" {
			continue
		}
		body, _ := uiFiles.ReadFile(file)
		for _, re := range references {
			for _, m := range re.FindAllStringSubmatch(string(body), -1) {
				ref := m[1]
				if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
					continue
				}
				if !strings.HasPrefix(ref, "/") {
					ref = path.Join(path.Dir(url), ref)
				}
				if strings.HasPrefix(ref, "/api/") || ref == "/login" || ref == "/logout" {
					continue
				}
				checked++
				if !served[ref] {
					t.Errorf("%s loads %q, which is not embedded", file, m[1])
				}
			}
		}
	}
	if checked < 15 {
		t.Errorf("only %d references checked: the patterns no longer match the page", checked)
	}
}

// The console must work with the store's internet down: nothing may load
// from another host. The SVG namespace is a name, not a download.
func TestNoOutsideURLsInThePage(t *testing.T) {
	outside := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	allowed := map[string]bool{"http://www.w3.org": true}
	err := fs.WalkDir(uiFiles, "ui", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, _ := uiFiles.ReadFile(p)
		for _, m := range outside.FindAllString(string(body), -1) {
			if !allowed[strings.ToLower(m)] {
				t.Errorf("%s refers to %s: serve it from the daemon instead", p, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func uiHandler() http.Handler {
	mux := http.NewServeMux()
	(&Server{Config: &config.Config{}}).routeUI(mux)
	return mux
}

package console

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
)

// uiFiles is the staff page: everything it loads is in here, so the console
// works with the store's internet down.
//
//go:embed ui/*.html ui/assets
var uiFiles embed.FS

// uiAsset is one embedded file ready to serve.
type uiAsset struct {
	body        []byte
	contentType string
	etag        string
}

var (
	uiAssetsOnce sync.Once
	uiAssets     map[string]uiAsset // by URL path: "/" and "/assets/…"
)

// contentTypes are set explicitly: the OS MIME table (Windows registry)
// sometimes maps .js to text/plain, which browsers refuse for modules.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".json":  "application/json; charset=utf-8",
	".ogg":   "audio/ogg",
}

func loadUIAssets() map[string]uiAsset {
	uiAssetsOnce.Do(func() {
		uiAssets = map[string]uiAsset{}
		add := func(urlPath, file string) {
			b, err := uiFiles.ReadFile(file)
			if err != nil {
				panic("console ui: " + err.Error()) // embedded at build time: cannot happen
			}
			ct := contentTypes[path.Ext(file)]
			if ct == "" {
				ct = mime.TypeByExtension(path.Ext(file))
			}
			sum := sha256.Sum256(b)
			uiAssets[urlPath] = uiAsset{body: b, contentType: ct, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		}
		add("/", "ui/index.html")
		add("/setup", "ui/setup.html")
		_ = fs.WalkDir(uiFiles, "ui/assets", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				add("/"+strings.TrimPrefix(p, "ui/"), p)
			}
			return err
		})
		if fav, ok := uiAssets["/assets/favicon.svg"]; ok {
			uiAssets["/favicon.ico"] = fav
		}
	})
	return uiAssets
}

// routeUI serves the page at / and its assets under /assets/.
func (s *Server) routeUI(mux router) {
	mux.HandleFunc("GET /{$}", serveUI)
	mux.HandleFunc("GET /assets/", serveUI)
	mux.HandleFunc("GET /favicon.ico", serveUI)
}

// serveUI answers from the embedded files. Assets revalidate by ETag on
// every load (no-cache), so a daemon upgrade is never mixed with an old
// script from the browser's cache; a 304 costs one round trip on loopback.
func serveUI(w http.ResponseWriter, r *http.Request) {
	a, ok := loadUIAssets()[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", a.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if r.URL.Path == "/" || r.URL.Path == "/setup" {
		setPageHeaders(w)
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(a.body)
}

// setPageHeaders keeps the page from being framed by another site or
// loading anything from outside the daemon.
func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"connect-src 'self'; media-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Frame-Options", "DENY")
	// Not no-referrer: with it browsers send "Origin: null" on the page's own
	// POSTs, which cross-origin protection must refuse on a plain-HTTP LAN
	// address (no Sec-Fetch-Site there).
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
}

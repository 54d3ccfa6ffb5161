package api

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed page
var pageFiles embed.FS

// page serves the phone page at / and its two files under /static/; no
// outside resource (CDN, font, analytics) is loaded.
func (s *Server) page() http.Handler {
	sub, _ := fs.Sub(pageFiles, "page")
	files := http.FileServerFS(sub)
	index, _ := fs.ReadFile(sub, "index.html")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeDetail(w, http.StatusMethodNotAllowed, "方法 “"+r.Method+"” 不被允许。")
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
		switch r.URL.Path {
		case "/", "/index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(index)
		case "/static/app.js", "/static/app.css", "/static/member.js":
			w.Header().Set("Cache-Control", "no-cache")
			r2 := r.Clone(r.Context())
			r2.URL.Path = r.URL.Path[len("/static"):]
			files.ServeHTTP(w, r2)
		case "/static/jweixin-1.6.0.js": // the WeChat JS-SDK, vendored: never a CDN
			w.Header().Set("Cache-Control", "public, max-age=86400")
			r2 := r.Clone(r.Context())
			r2.URL.Path = r.URL.Path[len("/static"):]
			files.ServeHTTP(w, r2)
		default:
			notFound(w)
		}
	})
}

package console

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/posbridge/posbridge/bridge"
)

// How a request was let in; handlers read it from the request context.
type authKind string

const (
	authLoopback authKind = "loopback" // the PC the daemon runs on
	authToken    authKind = "token"    // a store tool with console.api_token
	authSession  authKind = "session"  // a browser on the LAN that entered the PIN
)

type authCtxKey struct{}

type authInfo struct {
	kind authKind
	sess session        // authSession only
	dev  *bridge.Device // authDevice only
}

func authOf(r *http.Request) authInfo {
	a, _ := r.Context().Value(authCtxKey{}).(authInfo)
	return a
}

// csrfHeader carries the session's CSRF token on every state-changing call.
const csrfHeader = "X-CSRF-Token"

// guard is the console's access state, built on first use from the config.
type guard struct {
	once     sync.Once
	cop      *http.CrossOriginProtection
	sessions *sessionKeeper
	limiter  *pinLimiter
	hosts    map[string]bool
}

func (s *Server) guard() *guard {
	g := &s.access
	g.once.Do(func() {
		g.cop = http.NewCrossOriginProtection()
		g.sessions = newSessionKeeper(s.Config.DataDir, s.Config.Console.Pin, s.now, s.log())
		g.limiter = newPinLimiter(s.now)
		g.hosts = loopbackHosts(s.Config.Console.Listen)
	})
	return g
}

// loopbackHosts are the Host header values a loopback client may send: a
// page on another site that rebinds its DNS name to 127.0.0.1 sends its own
// name and is refused.
func loopbackHosts(listen string) map[string]bool {
	hosts := map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	if h, _, err := net.SplitHostPort(listen); err == nil && h != "" {
		if ip := net.ParseIP(h); ip == nil || !ip.IsUnspecified() {
			hosts[strings.ToLower(h)] = true
		}
	}
	return hosts
}

// Protect guards the console mux. A loopback client (judged by its address,
// with its Host header checked against DNS rebinding) needs no login. Store
// tools send Authorization: Bearer <console.api_token>. Browsers on other
// machines log in with console.pin and then carry a session cookie, and
// every state-changing call of theirs must carry the session's CSRF token.
// Cross-origin state-changing browser requests are refused for everyone, so
// another web site open on the store PC cannot press buttons either.
func (s *Server) Protect(h http.Handler) http.Handler {
	g := s.guard()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		decodeStaffName(r)
		if err := g.cop.Check(r); err != nil {
			refuse(w, r, http.StatusForbidden, "跨站请求被拒绝：请直接在控制台页面上操作")
			return
		}
		if authz := r.Header.Get("Authorization"); authz != "" {
			if !s.tokenOK(authz) {
				refuse(w, r, http.StatusUnauthorized, "API 令牌无效：请使用 posbridge.yaml 中 console.api_token 的值（Authorization: Bearer …）")
				return
			}
			h.ServeHTTP(w, withAuth(r, authInfo{kind: authToken}))
			return
		}
		if isLoopbackClient(r) && s.Config.Console.LoopbackTrusted() {
			if !g.hosts[requestHost(r)] {
				s.log().Warn("console refused a loopback request with a foreign Host header (DNS rebinding?)", "host", r.Host)
				refuse(w, r, http.StatusForbidden, "请通过 http://127.0.0.1 或 http://localhost 打开控制台")
				return
			}
			h.ServeHTTP(w, withAuth(r, authInfo{kind: authLoopback}))
			return
		}
		// A PIN session beats a device cookie: a staff tablet that was also
		// paired as a screen still logs in and opens the console.
		_, staff := g.sessions.fromRequest(r)
		if d, token, ok := s.deviceFromRequest(r); ok && !staff && r.URL.Path != "/login" {
			s.serveDevice(w, r, h, d, token)
			return
		}
		if isPublicPath(r) {
			h.ServeHTTP(w, r)
			return
		}
		if isScreenPage(r) {
			http.Redirect(w, r, "/pair", http.StatusSeeOther)
			return
		}
		if s.Config.Console.Pin == "" {
			refuse(w, r, http.StatusForbidden, "此控制台只允许在本机打开；要在其他设备上使用，请在 posbridge.yaml 中设置 console.pin")
			return
		}
		sess, ok := g.sessions.fromRequest(r)
		if !ok {
			if strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == metricsPath {
				writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "需要登录：请在控制台页面输入门店 PIN", "login": "/login"})
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if !safeMethod(r.Method) && subtle.ConstantTimeCompare([]byte(r.Header.Get(csrfHeader)), []byte(g.sessions.csrf(sess))) != 1 {
			refuse(w, r, http.StatusForbidden, "页面已过期，请刷新页面后重试")
			return
		}
		g.sessions.renew(w, r, sess)
		h.ServeHTTP(w, withAuth(r, authInfo{kind: authSession, sess: sess}))
	})
}

// decodeStaffName undoes the page's percent-encoding of X-Staff-Name:
// browsers cannot send a Chinese name in a header as it is.
func decodeStaffName(r *http.Request) {
	v := r.Header.Get("X-Staff-Name")
	if !strings.Contains(v, "%") {
		return
	}
	if dec, err := url.PathUnescape(v); err == nil && utf8.ValidString(dec) {
		r.Header.Set("X-Staff-Name", dec)
	}
}

func withAuth(r *http.Request, a authInfo) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), authCtxKey{}, a))
}

// tokenOK checks an Authorization header against console.api_token.
func (s *Server) tokenOK(authz string) bool {
	want := s.Config.Console.APIToken
	scheme, token, ok := strings.Cut(authz, " ")
	if want == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	return secretEqual(strings.TrimSpace(token), want)
}

// secretEqual compares in constant time, hiding the lengths too.
func secretEqual(got, want string) bool {
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// pinOK checks a typed PIN against console.pin, plaintext or bcrypt hash.
func pinOK(typed, configured string) bool {
	if configured == "" || typed == "" {
		return false
	}
	if strings.HasPrefix(configured, "$2") {
		return bcrypt.CompareHashAndPassword([]byte(configured), []byte(typed)) == nil
	}
	return secretEqual(typed, configured)
}

// isLoopbackClient judges by the connection's address. A request that came
// through a reverse proxy on this PC is not trusted as local: the proxy may
// be serving the whole LAN. A tunnel or proxy that adds no forwarding header
// cannot be told apart: console.trust_loopback: false is for those.
func isLoopbackClient(r *http.Request) bool {
	for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	ip := clientIP(r)
	return ip != nil && ip.IsLoopback()
}

func clientIP(r *http.Request) net.IP {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return net.ParseIP(host)
}

// requestHost is the Host header without port, lower case.
func requestHost(r *http.Request) string {
	h := r.Host
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	return strings.ToLower(h)
}

// isPublicPath is what a browser on the LAN may load before logging in: the
// login page and the static assets (nothing in them is secret).
func isPublicPath(r *http.Request) bool {
	p := r.URL.Path
	if p == "/login" {
		return r.Method == http.MethodGet || r.Method == http.MethodPost
	}
	if strings.HasPrefix(p, "/pair/") || p == "/pair" {
		return r.Method == http.MethodGet // a screen pairs with its one-time code (devices.go)
	}
	return safeMethod(r.Method) && (strings.HasPrefix(p, "/assets/") || p == "/favicon.ico")
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// refuse answers JSON to API calls and a short page to browsers.
func refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") || !strings.Contains(r.Header.Get("Accept"), "text/html") {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	renderNotice(w, status, msg)
}

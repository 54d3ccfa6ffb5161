package console

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// routeAuth adds the login page, login and logout, and the page's session
// query to the console mux.
func (s *Server) routeAuth(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("GET /api/session", s.sessionInfo)
}

var loginTemplate = template.Must(template.ParseFS(uiFiles, "ui/login.html"))

// loginView fills ui/login.html: the PIN form, or a notice alone.
type loginView struct {
	Store  string
	Next   string
	Error  string
	Notice string
	Locked bool
}

func (s *Server) storeTitle() string {
	var names []string
	for _, st := range s.Config.Stores {
		if st.Name != "" {
			names = append(names, st.Name)
		}
	}
	return strings.Join(names, " · ")
}

func renderLogin(w http.ResponseWriter, status int, v loginView) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	setPageHeaders(w)
	w.WriteHeader(status)
	if err := loginTemplate.Execute(w, v); err != nil {
		slog.Default().Error("render login page", "err", err)
	}
}

// renderNotice is a page with one sentence, for browsers that are refused.
func renderNotice(w http.ResponseWriter, status int, msg string) {
	renderLogin(w, status, loginView{Notice: msg})
}

// safeNext keeps redirects after login on this site: next must parse as a
// bare path (no scheme, no host), and anything a browser would rewrite into
// one (tabs and newlines are dropped, a backslash reads as a slash, so
// "/\t/evil.example" becomes "//evil.example") is refused. What is sent back
// is rebuilt from the parsed path, query and fragment, never next as given.
func safeNext(next string) string {
	if strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' || unicode.IsSpace(r) }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.HasPrefix(u.Path, "/login") {
		return "/"
	}
	out := u.EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		out += "#" + u.EscapedFragment()
	}
	if strings.HasPrefix(out, "//") {
		return "/"
	}
	return out
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if k := authOf(r).kind; k == authLoopback || k == authSession {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	if s.Config.Console.Pin == "" {
		renderNotice(w, http.StatusForbidden, "此控制台只允许在本机打开；要在其他设备上使用，请在 posbridge.yaml 中设置 console.pin")
		return
	}
	renderLogin(w, http.StatusOK, loginView{Store: s.storeTitle(), Next: next})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	g := s.guard()
	asJSON := strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
	var pin, next string
	if asJSON {
		var body struct {
			Pin string `json:"pin"`
		}
		raw, _ := io.ReadAll(http.MaxBytesReader(w, r.Body, 4<<10))
		_ = json.Unmarshal(raw, &body)
		pin = body.Pin
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		_ = r.ParseForm()
		pin, next = r.PostFormValue("pin"), r.PostFormValue("next")
	}
	next = safeNext(next)
	answer := func(status int, msg string, locked bool) {
		if asJSON {
			writeJSON(w, status, map[string]string{"error": msg})
			return
		}
		renderLogin(w, status, loginView{Store: s.storeTitle(), Next: next, Error: msg, Locked: locked})
	}
	if k := authOf(r).kind; k == authLoopback || k == authToken {
		if asJSON {
			writeJSON(w, http.StatusOK, map[string]any{"ok": true, "auth": k})
			return
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	if s.Config.Console.Pin == "" {
		answer(http.StatusForbidden, "此控制台只允许在本机打开；要在其他设备上使用，请在 posbridge.yaml 中设置 console.pin", false)
		return
	}
	ip := clientIP(r)
	key := pinClientKey(ip)
	if wait := g.limiter.wait(key); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		answer(http.StatusTooManyRequests, "PIN 输错次数过多，请 "+waitText(wait)+"后再试", true)
		return
	}
	if !pinOK(strings.TrimSpace(pin), s.Config.Console.Pin) {
		left, lock := g.limiter.miss(key)
		s.log().Warn("console login: wrong PIN", "client", ip.String(), "tries_left", left, "locked_for", lock)
		if lock > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(lock.Seconds()))))
			answer(http.StatusTooManyRequests, "PIN 不正确，输错次数过多，请 "+waitText(lock)+"后再试", true)
			return
		}
		answer(http.StatusUnauthorized, fmt.Sprintf("PIN 不正确，还可以再试 %d 次", left), false)
		return
	}
	g.limiter.success(key)
	sess := g.sessions.issue()
	g.sessions.setCookie(w, r, sess)
	s.log().Info("console login", "client", ip.String())
	if asJSON {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "auth": authSession, "csrf": g.sessions.csrf(sess)})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func waitText(d time.Duration) string {
	if d >= time.Minute {
		return strconv.Itoa(int(math.Ceil(d.Minutes()))) + " 分钟"
	}
	return strconv.Itoa(int(math.Ceil(d.Seconds()))) + " 秒"
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if a := authOf(r); a.kind == authSession {
		s.guard().sessions.revoke(a.sess)
	}
	clearSessionCookie(w)
	// A logout ends every PIN session (auth_session.go): say so.
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "login": "/login", "message": "已退出：所有平板都需重新输入 PIN"})
}

// sessionInfo tells the page how it is let in and, for a PIN session, the
// CSRF token it must send with every state-changing call.
func (s *Server) sessionInfo(w http.ResponseWriter, r *http.Request) {
	a := authOf(r)
	out := map[string]any{"auth": a.kind, "pin_login": a.kind == authSession, "store": s.storeTitle(),
		"sandbox": s.Config.Sandbox || s.Config.Platform.Mode == "sandbox"}
	stores := []map[string]string{}
	for _, st := range s.Config.Stores {
		stores = append(stores, map[string]string{"id": st.ID, "name": st.Name})
	}
	out["stores"] = stores
	if a.kind == authSession {
		out["csrf"] = s.guard().sessions.csrf(a.sess)
		out["expires_at"] = a.sess.expires.In(shanghai).Format(time.RFC3339)
	}
	writeJSON(w, http.StatusOK, out)
}

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
func (s *Server) routeAuth(mux router) {
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
	if _, ok := s.guard().sessions.fromRequest(r); ok {
		http.Redirect(w, r, next, http.StatusSeeOther) // logged in already
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
	if sess, ok := g.sessions.fromRequest(r); ok {
		// Logged in already (a login page left open): no PIN is checked,
		// so no limit applies.
		s.loggedIn(w, r, sess, next, asJSON)
		return
	}
	key := pinClientKey(ip)
	attempt, wait := g.limiter.begin(key)
	if attempt == nil {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		if wait <= pinBusyRetry {
			answer(http.StatusTooManyRequests, "正在验证上一次输入的 PIN，请稍候再试", false)
			return
		}
		answer(http.StatusTooManyRequests, "PIN 输错次数过多，请 "+waitText(wait)+"后再试", true)
		return
	}
	right, checked := checkPin(r, strings.TrimSpace(pin), s.Config.Console.Pin)
	if !checked {
		attempt.abandon()
		w.Header().Set("Retry-After", "5")
		answer(http.StatusServiceUnavailable, "系统繁忙，请几秒后再试", false)
		return
	}
	if !right {
		left, lock := attempt.miss()
		s.log().Warn("console login: wrong PIN", "client", ip.String(), "tries_left", left, "locked_for", lock)
		if lock > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(lock.Seconds()))))
			answer(http.StatusTooManyRequests, "PIN 不正确，输错次数过多，请 "+waitText(lock)+"后再试", true)
			return
		}
		answer(http.StatusUnauthorized, fmt.Sprintf("PIN 不正确，还可以再试 %d 次", left), false)
		return
	}
	attempt.success()
	sess := g.sessions.issue()
	g.sessions.setCookie(w, r, sess)
	s.log().Info("console login", "client", ip.String())
	s.loggedIn(w, r, sess, next, asJSON)
}

// loggedIn answers a login that holds a session: the CSRF token for the
// page, or the redirect for the form.
func (s *Server) loggedIn(w http.ResponseWriter, r *http.Request, sess session, next string, asJSON bool) {
	if asJSON {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "auth": authSession, "csrf": s.guard().sessions.csrf(sess)})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// checkPin compares the PIN in one of the few check slots (pinChecks).
// checked is false when no slot came free in time or the client left.
func checkPin(r *http.Request, typed, configured string) (right, checked bool) {
	t := time.NewTimer(pinCheckWait)
	defer t.Stop()
	select {
	case pinCheckSlots <- struct{}{}:
	case <-t.C:
		return false, false
	case <-r.Context().Done():
		return false, false
	}
	defer func() { <-pinCheckSlots }()
	return pinOK(typed, configured), true
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
	if s.Config.SetupMode() {
		out["setup"] = s.setupNotice()
	}
	if a.kind == authSession {
		out["csrf"] = s.guard().sessions.csrf(a.sess)
		out["expires_at"] = a.sess.expires.In(shanghai).Format(time.RFC3339)
	}
	writeJSON(w, http.StatusOK, out)
}

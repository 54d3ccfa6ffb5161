package fake

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// AuthorizeError is what WeChat's authorize page would show instead of
// redirecting (its numbered error pages).
type AuthorizeError struct {
	Code int
	Why  string
}

func (e *AuthorizeError) Error() string {
	return fmt.Sprintf("authorize page error %d: %s", e.Code, e.Why)
}

var stateRE = regexp.MustCompile(`^[a-zA-Z0-9]{1,128}$`)

var paramOrder = []string{"appid", "redirect_uri", "response_type", "scope", "state"}

// CheckAuthorizeURL checks a whole authorize link the way WeChat does,
// including what a browser never sends to a server: #wechat_redirect.
func (s *Server) CheckAuthorizeURL(raw string) error {
	const suffix = "#wechat_redirect"
	if !strings.HasSuffix(raw, suffix) {
		return &AuthorizeError{Code: 10003, Why: "the link must end with #wechat_redirect"}
	}
	u, err := url.Parse(strings.TrimSuffix(raw, suffix))
	if err != nil {
		return &AuthorizeError{Code: 10003, Why: "unparsable link"}
	}
	if u.Path != "/connect/oauth2/authorize" {
		return &AuthorizeError{Code: 10003, Why: "path is not /connect/oauth2/authorize"}
	}
	_, _, _, err = s.checkQuery(u.RawQuery)
	return err
}

// checkQuery validates the raw query of the authorize page.
func (s *Server) checkQuery(rawQuery string) (redirect *url.URL, scope, state string, err error) {
	var names []string
	raw := map[string]string{}
	for _, part := range strings.Split(rawQuery, "&") {
		name, value, _ := strings.Cut(part, "=")
		names = append(names, name)
		raw[name] = value
	}
	if len(names) > len(paramOrder) && slices.Equal(names[len(paramOrder):], []string{"forcePopup"}) {
		names = names[:len(paramOrder)]
	}
	q, perr := url.ParseQuery(rawQuery)
	switch {
	case perr != nil:
		return nil, "", "", &AuthorizeError{Code: 10003, Why: "malformed query"}
	case q.Get("appid") == "":
		return nil, "", "", &AuthorizeError{Code: 10012, Why: "appid 参数为空"}
	case q.Get("appid") != s.opts.AppID:
		return nil, "", "", &AuthorizeError{Code: 40013, Why: "invalid appid"}
	case q.Get("redirect_uri") == "":
		return nil, "", "", &AuthorizeError{Code: 10011, Why: "redirect_uri 参数为空"}
	case q.Get("scope") == "":
		return nil, "", "", &AuthorizeError{Code: 10010, Why: "scope 参数为空"}
	case q.Get("scope") != "snsapi_base" && q.Get("scope") != "snsapi_userinfo":
		return nil, "", "", &AuthorizeError{Code: 10005, Why: "此公众号并没有这些 scope 的权限"}
	case q.Get("state") == "":
		return nil, "", "", &AuthorizeError{Code: 10013, Why: "state 不能为空"}
	case !stateRE.MatchString(q.Get("state")):
		return nil, "", "", &AuthorizeError{Code: 10003, Why: "state must be a-zA-Z0-9, at most 128 bytes"}
	case q.Get("response_type") != "code":
		return nil, "", "", &AuthorizeError{Code: 10003, Why: "response_type must be code"}
	case !slices.Equal(names, paramOrder):
		return nil, "", "", &AuthorizeError{Code: 10003, Why: "parameters must come in the order appid, redirect_uri, response_type, scope, state; got " + strings.Join(names, ",")}
	}
	rawRedirect := raw["redirect_uri"]
	if strings.Contains(rawRedirect, "%25") || strings.Contains(rawRedirect, "://") {
		return nil, "", "", &AuthorizeError{Code: 10003, Why: "redirect_uri must be URL-encoded exactly once"}
	}
	ru, rerr := url.Parse(q.Get("redirect_uri"))
	if rerr != nil || ru.Host == "" || (ru.Scheme != "http" && ru.Scheme != "https") {
		return nil, "", "", &AuthorizeError{Code: 10003, Why: "redirect_uri is not an absolute URL"}
	}
	if !slices.Contains(s.opts.RedirectHosts, ru.Hostname()) {
		return nil, "", "", &AuthorizeError{Code: 10003, Why: "redirect_uri 域名与后台配置不一致"}
	}
	return ru, q.Get("scope"), q.Get("state"), nil
}

// authorize is the consent page: it redirects the browser user at once.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	redirect, scope, state, err := s.checkQuery(r.URL.RawQuery)
	if err != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>微信</title><h1>Oops! Something went wrong:(</h1><p>%s</p>", html.EscapeString(err.Error()))
		return
	}
	s.mu.Lock()
	c := s.issueCodeLocked(s.browserUser, scope)
	s.mu.Unlock()
	sep := "?"
	if redirect.RawQuery != "" {
		sep = "&"
	}
	target := redirect.String()
	if i := strings.IndexByte(target, '#'); i >= 0 {
		target = target[:i]
	}
	http.Redirect(w, r, target+sep+"code="+c+"&state="+state, http.StatusFound)
}

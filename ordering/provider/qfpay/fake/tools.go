package fake

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// oauthCode is get_weixin_oauth_code: signed in its query, it sends the
// WeChat browser back to redirect_uri with a code.
func (s *Server) oauthCode(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !s.authorize(w, q.Get("app_code"), q.Get("sign"), "", q) {
		return
	}
	ru, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || ru.Host == "" || (ru.Scheme != "http" && ru.Scheme != "https") {
		s.refuse(w, "1104", "redirect_uri must be an absolute URL")
		return
	}
	code := wire.Nonce(32)
	s.mu.Lock()
	s.codes[code] = oauthCode{openID: s.opts.OpenID, issued: s.opts.Now()}
	s.mu.Unlock()
	sep := "?"
	if ru.RawQuery != "" {
		sep = "&"
	}
	target := strings.SplitN(q.Get("redirect_uri"), "#", 2)[0]
	http.Redirect(w, r, target+sep+"code="+code, http.StatusFound)
}

// IssueCode makes an oauth code as if the browser had come back with it.
func (s *Server) IssueCode() string {
	code := wire.Nonce(32)
	s.mu.Lock()
	s.codes[code] = oauthCode{openID: s.opts.OpenID, issued: s.opts.Now()}
	s.mu.Unlock()
	return code
}

// openID is get_weixin_openid: header-signed, the code single use and
// valid 5 minutes.
func (s *Server) openID(w http.ResponseWriter, r *http.Request) {
	p, ok := s.apiParams(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	c, found := s.codes[p.Get("code")]
	if !found || c.used || s.opts.Now().Sub(c.issued) > 5*time.Minute {
		s.mu.Unlock()
		s.refuse(w, "1104", "code invalid, used or expired")
		return
	}
	c.used = true
	s.codes[p.Get("code")] = c
	s.mu.Unlock()
	s.reply(w, map[string]any{"respcd": "0000", "respmsg": "", "resperr": "", "openid": c.openID})
}

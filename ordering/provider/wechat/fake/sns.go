package fake

import (
	"net/http"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

func (s *Server) checkApp(w http.ResponseWriter, r *http.Request, needSecret bool) bool {
	q := r.URL.Query()
	switch {
	case q.Get("appid") == "":
		s.errReply(w, 41002, "")
	case q.Get("appid") != s.opts.AppID:
		s.errReply(w, 40013, "")
	case needSecret && q.Get("secret") == "":
		s.errReply(w, 41004, "")
	case needSecret && q.Get("secret") != s.opts.AppSecret:
		s.errReply(w, 40125, "")
	default:
		return true
	}
	return false
}

func (s *Server) exchange(w http.ResponseWriter, r *http.Request) {
	if !s.checkApp(w, r, true) {
		return
	}
	q := r.URL.Query()
	if q.Get("grant_type") != "authorization_code" {
		s.errReply(w, 40002, "")
		return
	}
	if q.Get("code") == "" {
		s.errReply(w, 41008, "")
		return
	}
	s.mu.Lock()
	c := s.codes[q.Get("code")]
	now := s.opts.Now()
	switch {
	case c == nil || now.Sub(c.issued) > s.opts.CodeTTL:
		s.mu.Unlock()
		s.errReply(w, 40029, "")
		return
	case c.used:
		s.mu.Unlock()
		s.errReply(w, 40163, "")
		return
	}
	c.used = true
	u := s.users[c.openID]
	tok := &pageToken{openID: c.openID, scope: c.scope, expires: now.Add(s.opts.TokenTTL)}
	access, refresh := wire.Nonce(86), wire.Nonce(86)
	s.pageTokens[access] = tok
	s.refreshes[refresh] = &pageToken{openID: c.openID, scope: c.scope, expires: now.Add(s.opts.RefreshTTL)}
	s.mu.Unlock()
	reply := map[string]any{
		"access_token": access, "expires_in": int(s.opts.TokenTTL.Seconds()), "refresh_token": refresh,
		"openid": c.openID, "scope": c.scope,
	}
	if u.Snapshot {
		reply["is_snapshotuser"] = 1
	}
	if c.scope == "snsapi_userinfo" && u.UnionID != "" {
		reply["unionid"] = u.UnionID
	}
	s.json(w, reply)
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request) {
	if !s.checkApp(w, r, false) {
		return
	}
	q := r.URL.Query()
	if q.Get("grant_type") != "refresh_token" {
		s.errReply(w, 40002, "")
		return
	}
	s.mu.Lock()
	rt := s.refreshes[q.Get("refresh_token")]
	now := s.opts.Now()
	if rt == nil {
		s.mu.Unlock()
		s.errReply(w, 40030, "")
		return
	}
	if now.After(rt.expires) {
		s.mu.Unlock()
		s.errReply(w, 42002, "")
		return
	}
	access := wire.Nonce(86)
	s.pageTokens[access] = &pageToken{openID: rt.openID, scope: rt.scope, expires: now.Add(s.opts.TokenTTL)}
	s.mu.Unlock()
	s.json(w, map[string]any{
		"access_token": access, "expires_in": int(s.opts.TokenTTL.Seconds()),
		"refresh_token": q.Get("refresh_token"), "openid": rt.openID, "scope": rt.scope,
	})
}

// pageTokenFor checks a page access_token for openid; 0 = valid.
func (s *Server) pageTokenFor(token, openID string, now time.Time) (*pageToken, int) {
	t := s.pageTokens[token]
	switch {
	case t == nil:
		return nil, 40001
	case now.After(t.expires):
		return nil, 42001
	case t.openID != openID:
		return nil, 40003
	}
	return t, 0
}

func (s *Server) userinfo(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	t, code := s.pageTokenFor(q.Get("access_token"), q.Get("openid"), s.opts.Now())
	var u User
	if t != nil {
		u = s.users[t.openID]
	}
	s.mu.Unlock()
	if code != 0 {
		s.errReply(w, code, "")
		return
	}
	if !strings.Contains(t.scope, "snsapi_userinfo") {
		s.errReply(w, 48001, "")
		return
	}
	reply := map[string]any{
		// Since the 2021 change WeChat leaves sex and region empty.
		"openid": u.OpenID, "nickname": u.Nickname, "sex": 0, "province": "", "city": "", "country": "",
		"headimgurl": u.HeadImgURL, "privilege": []string{},
	}
	if u.UnionID != "" {
		reply["unionid"] = u.UnionID
	}
	s.json(w, reply)
}

func (s *Server) auth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	_, code := s.pageTokenFor(q.Get("access_token"), q.Get("openid"), s.opts.Now())
	s.mu.Unlock()
	if code != 0 {
		s.errReply(w, code, "")
		return
	}
	s.json(w, map[string]any{"errcode": 0, "errmsg": "ok"})
}

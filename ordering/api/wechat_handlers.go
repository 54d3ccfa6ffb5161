package api

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/ordering/provider/qfpay"
)

// pageURL is the phone page's address with query q: ordering.public_url,
// or — without one — the address the request came to (tests, the sandbox).
func (s *Server) pageURL(r *http.Request, q url.Values) string {
	base := strings.TrimRight(s.opt.PublicURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	u := base + "/"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// weixinAuthorizeURL is §9.2: WeChat's consent page, back to the page with
// a state only posbridge can make.
func (s *Server) weixinAuthorizeURL(w http.ResponseWriter, r *http.Request) {
	rest, _, ok := s.restaurant(w, r, "")
	if !ok {
		return
	}
	if s.opt.OAuth == nil {
		writeDetail(w, http.StatusNotFound, customers.ErrNotConfigured.Error())
		return
	}
	q := url.Values{"rid": {strconv.FormatInt(rest.ID, 10)}, "wx": {"1"}}
	if tid := r.URL.Query().Get("table_id"); tid != "" {
		if _, err := strconv.ParseInt(tid, 10, 64); err != nil {
			writeFields(w, map[string]any{"table_id": []string{"应是整数"}})
			return
		}
		q.Set("tid", tid)
	}
	u, err := s.opt.OAuth.WeChatAuthorizeURL(rest.ID, s.pageURL(r, q), true)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"url": u})
}

type accessTokenRequest struct {
	ResID      *pricing.Int `json:"res_id"`
	InviteCode string       `json:"invite_code"`
	Code       string       `json:"code"`
	State      string       `json:"state"`
}

// weixinAccessToken is §9.3: the redirect's code exchanged, the customer
// found or made (or, with a login, bound to it), §3.2's reply with the
// openid. 400 for a bad code or state, 403 for an account another
// customer logged in with.
func (s *Server) weixinAccessToken(w http.ResponseWriter, r *http.Request) {
	var req accessTokenRequest
	rest, ok := s.customerCall(w, r, &req, &req.ResID)
	if !ok {
		return
	}
	if s.opt.OAuth == nil {
		writeDetail(w, http.StatusNotFound, customers.ErrNotConfigured.Error())
		return
	}
	state, err := url.QueryUnescape(strings.TrimSpace(req.State)) // the seed's example is still percent-encoded
	if err != nil {
		state = req.State
	}
	if req.Code == "" || len(req.Code) > 256 || state == "" || len(state) > 256 {
		writeFields(w, map[string]any{"code": []string{customers.ErrBadOAuth.Error()}})
		return
	}
	// A customer logged in (by SMS, Facebook) binds the WeChat account to
	// themselves rather than getting another account; a login of another
	// restaurant is no login here.
	var bindTo int64
	if c, ok := s.optionalCaller(r); ok && c.RestaurantID == rest.ID {
		bindTo = c.CustomerID
	}
	l, err := s.opt.OAuth.WeChatLogin(r.Context(), rest.ID, strings.TrimSpace(req.Code), state, bindTo)
	switch {
	case errors.Is(err, customers.ErrIdentityBound):
		writeDetail(w, http.StatusForbidden, err.Error())
	case errors.Is(err, customers.ErrBadOAuth), errors.Is(err, customers.ErrSnapshotUser):
		writeFields(w, map[string]any{"code": []string{err.Error()}})
	case err != nil:
		s.log.Warn("ordering: WeChat login failed", "err", err)
		writeDetail(w, http.StatusServiceUnavailable, "微信暂时无法登录，请稍后再试。")
	default:
		openid := l.OpenID
		writeJSON(w, http.StatusOK, loginReply{ID: l.CustomerID, Token: l.Token, TTL: l.TTL, OpenID: &openid})
	}
}

// weixinJSSDKConfig is §9.1: wx.config for the page URL (?url= or a JSON
// body's url), which must be this page's.
func (s *Server) weixinJSSDKConfig(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.restaurant(w, r, ""); !ok {
		return
	}
	page := r.URL.Query().Get("url")
	if r.Method == "POST" {
		var req struct {
			URL string `json:"url"`
		}
		if !s.decodeSmall(w, r, &req) {
			return
		}
		page = req.URL
	}
	u, err := url.Parse(page)
	if page == "" || len(page) > 1024 || err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		writeFields(w, map[string]any{"url": []string{"应是当前页面的完整网址"}})
		return
	}
	if s.opt.OAuth == nil {
		writeDetail(w, http.StatusNotFound, customers.ErrNotConfigured.Error())
		return
	}
	cfg, err := s.opt.OAuth.WeChatJSSDKConfig(r.Context(), page)
	if err != nil {
		s.log.Warn("ordering: WeChat JS-SDK config failed", "err", err)
		writeDetail(w, http.StatusServiceUnavailable, "微信暂时不可用，请稍后再试。")
		return
	}
	writeJSON(w, http.StatusOK, cfg)
}

// qfpayAuthorizeURL is §8.1: 钱方's page that gives the page a code for
// the payer's openid under 钱方's official account.
func (s *Server) qfpayAuthorizeURL(w http.ResponseWriter, r *http.Request) {
	rest, _, ok := s.restaurant(w, r, "")
	if !ok {
		return
	}
	c, ok := s.qfpay(rest.ID)
	if !ok {
		writeDetail(w, http.StatusNotFound, "本店未开通钱方支付。")
		return
	}
	q := url.Values{"rid": {strconv.FormatInt(rest.ID, 10)}, "qf": {"1"}}
	if tid := r.URL.Query().Get("table_id"); tid != "" {
		if _, err := strconv.ParseInt(tid, 10, 64); err != nil {
			writeFields(w, map[string]any{"table_id": []string{"应是整数"}})
			return
		}
		q.Set("tid", tid)
	}
	u, err := c.OAuthCodeURL(s.pageURL(r, q))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"url": u})
}

// qfpayOpenID is §8.2.
func (s *Server) qfpayOpenID(w http.ResponseWriter, r *http.Request) {
	rest, _, ok := s.restaurant(w, r, "")
	if !ok {
		return
	}
	var req struct {
		Code string `json:"code"`
	}
	if !s.decodeSmall(w, r, &req) {
		return
	}
	c, ok := s.qfpay(rest.ID)
	if !ok {
		writeDetail(w, http.StatusNotFound, "本店未开通钱方支付。")
		return
	}
	code := strings.TrimSpace(req.Code)
	if code == "" || len(code) > 256 {
		writeFields(w, map[string]any{"code": []string{"缺少授权码"}})
		return
	}
	openid, err := c.OpenID(r.Context(), code)
	if err != nil {
		s.log.Info("ordering: 钱方 openid not given", "err", err)
		writeFields(w, map[string]any{"code": []string{"授权码无效或已使用，请重新进入页面"}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"openid": openid})
}

func (s *Server) qfpay(restaurantID int64) (*qfpay.Client, bool) {
	if s.opt.QFPay == nil {
		return nil, false
	}
	return s.opt.QFPay(restaurantID)
}

// facebookAuthorizeURL is the redirect login's start: Facebook's login
// dialog, back to the page (?fb=1) with the token in the fragment. 404
// when the shop has no Facebook app.
func (s *Server) facebookAuthorizeURL(w http.ResponseWriter, r *http.Request) {
	rest, _, ok := s.restaurant(w, r, "")
	if !ok {
		return
	}
	if s.opt.OAuth == nil {
		writeDetail(w, http.StatusNotFound, customers.ErrNotConfigured.Error())
		return
	}
	q := url.Values{"rid": {strconv.FormatInt(rest.ID, 10)}, "fb": {"1"}}
	if tid := r.URL.Query().Get("table_id"); tid != "" {
		if _, err := strconv.ParseInt(tid, 10, 64); err != nil {
			writeFields(w, map[string]any{"table_id": []string{"应是整数"}})
			return
		}
		q.Set("tid", tid)
	}
	u, err := s.opt.OAuth.FacebookAuthorizeURL(rest.ID, s.pageURL(r, q))
	if errors.Is(err, customers.ErrNotConfigured) {
		writeDetail(w, http.StatusNotFound, err.Error())
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"url": u})
}

package api

import (
	"net/http"
	"strconv"

	"github.com/posbridge/posbridge/ordering/customers"
)

// This file is the least of logins the member endpoints need until the
// customers branch's ordering/api/auth.go is merged (then it goes).

// login is the customer of a valid Bearer token, in a restaurant this
// listener serves. §11–§14 carry no res_id: the token names the restaurant
// (digest §17 #27); an explicit res_id must be the token's. ok false: the
// reply (401 or 400) is written.
func (s *Server) login(w http.ResponseWriter, r *http.Request) (customers.Claims, *Restaurant, bool) {
	mo := s.opt.Members
	tok := customers.FromHeader(r.Header.Get("Authorization"))
	if mo == nil || mo.Tokens == nil || tok == "" {
		unauthorized(w)
		return customers.Claims{}, nil, false
	}
	c, err := mo.Tokens.Verify(tok)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
		writeDetail(w, http.StatusUnauthorized, "认证令牌无效。")
		return customers.Claims{}, nil, false
	}
	rest, ok := s.restaurants[c.RestaurantID]
	if !ok {
		writeDetail(w, http.StatusNotFound, "餐厅不存在。")
		return customers.Claims{}, nil, false
	}
	if rid := r.URL.Query().Get("res_id"); rid != "" && rid != strconv.FormatInt(c.RestaurantID, 10) {
		writeFields(w, map[string]any{"res_id": []string{"与登录的餐厅不一致"}})
		return customers.Claims{}, nil, false
	}
	return c, rest, true
}

// optionalLogin is the customer of a valid token, or false: public
// endpoints (calc-fee) treat a bad token as none (digest §1.2).
func (s *Server) optionalLogin(r *http.Request) (customers.Claims, bool) {
	mo := s.opt.Members
	tok := customers.FromHeader(r.Header.Get("Authorization"))
	if mo == nil || mo.Tokens == nil || tok == "" {
		return customers.Claims{}, false
	}
	c, err := mo.Tokens.Verify(tok)
	return c, err == nil
}

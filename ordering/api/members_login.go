package api

import (
	"net/http"

	"github.com/posbridge/posbridge/ordering/customers"
)

// login is the customer of a valid login (Authenticate), in a restaurant
// this listener serves. §11–§14 carry no res_id: the login names the
// restaurant (digest §17 #27); an explicit res_id must be the login's.
func (s *Server) memberLogin(w http.ResponseWriter, r *http.Request) (Caller, *Restaurant, bool) {
	c, ok := s.Authenticate(w, r)
	if !ok {
		return Caller{}, nil, false
	}
	rest, ok := s.restaurants[c.RestaurantID]
	if !ok {
		writeDetail(w, http.StatusNotFound, "餐厅不存在。")
		return Caller{}, nil, false
	}
	return c, rest, true
}

// optionalLogin is the customer of a valid token, or false: public
// endpoints (calc-fee) treat a bad token as none (digest §1.2).
func (s *Server) optionalLogin(r *http.Request) (Caller, bool) {
	tok := customers.FromHeader(r.Header.Get("Authorization"))
	if s.opt.Tokens == nil || tok == "" {
		return Caller{}, false
	}
	c, err := s.opt.Tokens.Verify(tok)
	if err != nil {
		return Caller{}, false
	}
	return Caller{CustomerID: c.CustomerID, RestaurantID: c.RestaurantID}, true
}

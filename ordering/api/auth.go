package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/store"
)

// Caller is the customer a request's login names. A login belongs to one
// restaurant (seed 002's users carry res_id): it never reads another's data.
type Caller struct {
	CustomerID   int64
	RestaurantID int64
}

// Authenticate reads "Authorization: Bearer <jwt>" (or DRF's "JWT <jwt>"),
// verifies it with the listener's login keys and checks that the customer
// still exists and, when the request names a restaurant (res_id), that it
// is the login's. Without a valid login it writes the 401 with a detail
// (DRF's shape) and returns ok false; handlers then return at once.
//
// Every endpoint that shows or changes a customer's own data starts with
// it, and filters by Caller.CustomerID: a customer sees only their own.
func (s *Server) Authenticate(w http.ResponseWriter, r *http.Request) (Caller, bool) {
	tokens := s.opt.Tokens
	raw := customers.FromHeader(r.Header.Get("Authorization"))
	if tokens == nil || raw == "" {
		unauthorized(w)
		return Caller{}, false
	}
	claims, err := tokens.Verify(raw)
	if err != nil {
		badLogin(w)
		return Caller{}, false
	}
	if id := r.URL.Query().Get("res_id"); id != "" && id != strconv.FormatInt(claims.RestaurantID, 10) {
		badLogin(w)
		return Caller{}, false
	}
	c, err := s.opt.DB.CustomerByID(r.Context(), claims.CustomerID)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && c.RestaurantID != claims.RestaurantID):
		badLogin(w)
		return Caller{}, false
	case err != nil:
		s.writeError(w, r, err)
		return Caller{}, false
	}
	return Caller{CustomerID: c.ID, RestaurantID: c.RestaurantID}, true
}

// badLogin is a 401 for a login that was sent and does not hold (expired,
// forged, another restaurant's, of a deleted customer).
func badLogin(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="api", error="invalid_token"`)
	writeDetail(w, http.StatusUnauthorized, customers.ErrBadToken.Error())
}

// optionalCaller is the login of a public or mixed endpoint: a missing,
// invalid or expired one is no login (never a 401, digest §1.2).
func (s *Server) optionalCaller(r *http.Request) (Caller, bool) {
	if s.opt.Tokens == nil || customers.FromHeader(r.Header.Get("Authorization")) == "" {
		return Caller{}, false
	}
	return s.Authenticate(discard{}, r)
}

// discard is a ResponseWriter that keeps nothing (optionalCaller's 401s).
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

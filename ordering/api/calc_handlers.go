package api

import (
	"net/http"

	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/pricing"
)

// calcBody reads a calc endpoint's body under the per-address limit.
func (s *Server) calcBody(w http.ResponseWriter, r *http.Request, v any) (*Restaurant, *menu.Menu, bool) {
	if ok, retry := s.calcs.allow(s.clientAddr(r)); !ok {
		tooMany(w, retry)
		return nil, nil, false
	}
	rest, m, ok := s.restaurant(w, r, "")
	if !ok {
		return nil, nil, false
	}
	body, ok := readBody(w, r, maxBody)
	if !ok {
		return nil, nil, false
	}
	if err := pricing.Decode(body, v); err != nil {
		s.writeError(w, r, err)
		return nil, nil, false
	}
	return rest, m, true
}

// calcFee is §6.9, with total_price and total_fee added so that the page
// never adds money up.
func (s *Server) calcFee(w http.ResponseWriter, r *http.Request) {
	var body struct {
		pricing.CalcFeeRequest
		UserAddress *pricing.Int `json:"user_address,omitempty"` // a login's address: its distance prices the delivery
	}
	rest, m, ok := s.calcBody(w, r, &body)
	if !ok {
		return
	}
	req := &body.CalcFeeRequest
	if !restaurantMatches(w, rest, int64(req.Restaurant)) {
		return
	}
	// A client's distance is never trusted for a fee: only an address of
	// the login, measured here, prices a delivery.
	req.Distance = ""
	env, err := s.env(r, rest, int64(req.TableID))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if body.UserAddress != nil {
		caller, _ := s.optionalCaller(r)
		if _, ok := s.deliveryAddress(w, r, rest, m, &createRequest{OrderRequest: pricing.OrderRequest{EatType: req.EatType}, UserAddress: body.UserAddress}, caller, &env); !ok {
			return
		}
	}
	q, err := pricing.CalcFee(m, req, env)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, q.CalcFeeReply())
}

// calcTaxFee is §6.4.
func (s *Server) calcTaxFee(w http.ResponseWriter, r *http.Request) {
	var req pricing.TaxRequest
	rest, m, ok := s.calcBody(w, r, &req)
	if !ok || !restaurantMatches(w, rest, int64(req.Restaurant)) {
		return
	}
	reply, err := pricing.TaxFee(m, &req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

// calcDiscountFee is §6.8.
func (s *Server) calcDiscountFee(w http.ResponseWriter, r *http.Request) {
	var req pricing.DiscountRequest
	rest, m, ok := s.calcBody(w, r, &req)
	if !ok || !restaurantMatches(w, rest, int64(req.Restaurant)) {
		return
	}
	reply, err := pricing.DiscountFee(m, &req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

// calcDeliveryFee is §6.3: informational (the tiers of the menu for a
// distance the page names); an order's fee comes from its address.
func (s *Server) calcDeliveryFee(w http.ResponseWriter, r *http.Request) {
	var req pricing.DeliveryFeeRequest
	_, m, ok := s.calcBody(w, r, &req)
	if !ok {
		return
	}
	reply, err := pricing.DeliveryFeeReplyFor(m, &req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

// restaurantMatches: a body's restaurant, when given, is the res_id's
// (digest §1.1).
func restaurantMatches(w http.ResponseWriter, rest *Restaurant, body int64) bool {
	if body != 0 && body != rest.ID {
		writeFields(w, map[string]any{"restaurant": []string{"与 res_id 不一致"}})
		return false
	}
	return true
}

// env is what pricing needs from the server: the clock, the restaurant's
// schedule and whether the table's meal is open (开台消费 charged).
func (s *Server) env(r *http.Request, rest *Restaurant, tableID int64) (pricing.Env, error) {
	now := s.now()
	env := pricing.Env{Schedule: rest.Schedule, Now: now, Paused: rest.paused(), Member: s.memberDiscount(r, rest)}
	if tableID > 0 {
		open, err := s.opt.DB.TableMealOpen(r.Context(), rest.ID, tableID, now, mealIdle)
		if err != nil {
			return env, err
		}
		env.TableOpened = open
	}
	return env, nil
}

// imageUpload is §7.1: it needs a login, which comes with the customers
// issue; until then every call is 401.
func (s *Server) imageUpload(w http.ResponseWriter, r *http.Request) {
	unauthorized(w)
}

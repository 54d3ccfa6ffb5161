package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/views"
	"github.com/posbridge/posbridge/store"
)

// addressRequest is §4.3's body; every field optional here, so that a PATCH
// names only what changes (PUT checks them all through Check).
type addressRequest struct {
	Name      *string  `json:"name"`
	Gender    *int64   `json:"gender"`
	Phone     *string  `json:"phone"`
	Address   *string  `json:"address"`
	Longitude *float64 `json:"longitude"`
	Latitude  *float64 `json:"latitude"`
	IsDefault *bool    `json:"is_default"`
	Distance  *float64 `json:"distance"` // the client's: ignored, the server computes it
}

// input merges the request onto base (a PATCH) or onto nothing (POST, PUT).
func (a addressRequest) input(base *store.CustomerAddress) customers.AddressInput {
	var in customers.AddressInput
	if base != nil {
		in = customers.AddressInput{Name: base.Name, Gender: base.Gender, Phone: base.Phone, Address: base.Address,
			Longitude: base.Longitude, Latitude: base.Latitude, IsDefault: base.IsDefault}
	}
	if a.Name != nil {
		in.Name = *a.Name
	}
	if a.Gender != nil {
		in.Gender = int(*a.Gender)
	}
	if a.Phone != nil {
		in.Phone = *a.Phone
	}
	if a.Address != nil {
		in.Address = *a.Address
	}
	if a.Longitude != nil || a.Latitude != nil {
		in.Longitude, in.Latitude = a.Longitude, a.Latitude
	}
	if a.IsDefault != nil {
		in.IsDefault = *a.IsDefault
	}
	return in
}

// addressCaller is the login of an address call and its restaurant.
func (s *Server) addressCaller(w http.ResponseWriter, r *http.Request) (Caller, *Restaurant, bool) {
	c, ok := s.Authenticate(w, r)
	if !ok || !s.customersOn(w) {
		return Caller{}, nil, false
	}
	rest := s.restaurants[c.RestaurantID]
	if rest == nil {
		notFound(w)
		return Caller{}, nil, false
	}
	return c, rest, true
}

// ownAddress is the caller's address of the path (404 for another's: ids
// are not acknowledged).
func (s *Server) ownAddress(w http.ResponseWriter, r *http.Request, c Caller) (*store.CustomerAddress, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		notFound(w)
		return nil, false
	}
	return s.addressOf(w, r, c.CustomerID, id)
}

func (s *Server) addressOf(w http.ResponseWriter, r *http.Request, customerID, id int64) (*store.CustomerAddress, bool) {
	list, err := s.opt.Customers.Addresses(r.Context(), customerID)
	if err != nil {
		s.writeError(w, r, err)
		return nil, false
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], true
		}
	}
	writeDetail(w, http.StatusNotFound, customers.ErrNoAddress.Error())
	return nil, false
}

// addressError answers the service's errors.
func (s *Server) addressError(w http.ResponseWriter, r *http.Request, err error) {
	var fe customers.FieldErrors
	switch {
	case errors.As(err, &fe):
		body := map[string]any{}
		for k, v := range fe {
			body[k] = v
		}
		writeFields(w, body)
	case errors.Is(err, customers.ErrNoAddress), errors.Is(err, store.ErrNotFound):
		writeDetail(w, http.StatusNotFound, customers.ErrNoAddress.Error())
	default:
		s.writeError(w, r, err)
	}
}

// addressList is §4.1.
func (s *Server) addressList(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.addressCaller(w, r)
	if !ok {
		return
	}
	list, err := s.opt.Customers.Addresses(r.Context(), c.CustomerID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]addressView, 0, len(list))
	for i := range list {
		out = append(out, newAddressView(&list[i], rest))
	}
	page, err := views.Paginate(out, r.URL.Path, r.URL.Query())
	if err != nil {
		writeDetail(w, http.StatusNotFound, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// addressDetail is §4.2.
func (s *Server) addressDetail(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.addressCaller(w, r)
	if !ok {
		return
	}
	a, ok := s.ownAddress(w, r, c)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, newAddressView(a, rest))
}

// addressCreate is §4.3: 201 with the object.
func (s *Server) addressCreate(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.addressCaller(w, r)
	if !ok {
		return
	}
	var req addressRequest
	if !s.decodeSmall(w, r, &req) {
		return
	}
	a, err := s.opt.Customers.AddAddress(r.Context(), c.CustomerID, req.input(nil))
	if err != nil {
		s.addressError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newAddressView(a, rest))
}

// addressPut is §4.4's PUT: every field.
func (s *Server) addressPut(w http.ResponseWriter, r *http.Request) { s.addressUpdate(w, r, false) }

// addressPatch is §4.4's PATCH: the named fields.
func (s *Server) addressPatch(w http.ResponseWriter, r *http.Request) { s.addressUpdate(w, r, true) }

func (s *Server) addressUpdate(w http.ResponseWriter, r *http.Request, partial bool) {
	c, rest, ok := s.addressCaller(w, r)
	if !ok {
		return
	}
	a, ok := s.ownAddress(w, r, c)
	if !ok {
		return
	}
	var req addressRequest
	if !s.decodeSmall(w, r, &req) {
		return
	}
	base := a
	if !partial {
		base = nil
	}
	out, err := s.opt.Customers.UpdateAddress(r.Context(), c.CustomerID, a.ID, req.input(base))
	if err != nil {
		s.addressError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newAddressView(out, rest))
}

// addressDelete is §4.5: 204.
func (s *Server) addressDelete(w http.ResponseWriter, r *http.Request) {
	c, _, ok := s.addressCaller(w, r)
	if !ok {
		return
	}
	a, ok := s.ownAddress(w, r, c)
	if !ok {
		return
	}
	if err := s.opt.Customers.DeleteAddress(r.Context(), c.CustomerID, a.ID); err != nil {
		s.addressError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// addressSetDefault is §4.6.
func (s *Server) addressSetDefault(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.addressCaller(w, r)
	if !ok {
		return
	}
	a, ok := s.ownAddress(w, r, c)
	if !ok {
		return
	}
	out, err := s.opt.Customers.SetDefaultAddress(r.Context(), c.CustomerID, a.ID)
	if err != nil {
		s.addressError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newAddressView(out, rest))
}

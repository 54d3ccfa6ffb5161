package api

import (
	"math"
	"net/http"

	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/store"
)

// deliveryAddress reads a create's user_address: an address of the login
// (400 for another's or none), whose distance from the restaurant — never
// the client's — decides the delivery fee and whether it is in range
// (env.Distance). ok false: the reply is written.
func (s *Server) deliveryAddress(w http.ResponseWriter, r *http.Request, rest *Restaurant, m *menu.Menu, req *createRequest, c Caller,
	env *pricing.Env) (*store.CustomerAddress, bool) {
	if req.UserAddress == nil {
		return nil, true
	}
	if s.opt.Customers == nil || c.CustomerID == 0 {
		writeFields(w, map[string]any{"user_address": []string{"使用收货地址需要先登录"}})
		return nil, false
	}
	list, err := s.opt.Customers.Addresses(r.Context(), c.CustomerID)
	if err != nil {
		s.writeError(w, r, err)
		return nil, false
	}
	var a *store.CustomerAddress
	for i := range list {
		if list[i].ID == int64(*req.UserAddress) {
			a = &list[i]
		}
	}
	if a == nil {
		writeFields(w, map[string]any{"user_address": []string{"收货地址不存在，请重新选择"}})
		return nil, false
	}
	if menu.EatType(req.EatType) != menu.Delivery {
		return a, true // pickup with a contact from the address book
	}
	t := m.Restaurant.Takeout
	if t.Longitude == 0 && t.Latitude == 0 {
		writeNonField(w, "本店还没有设置位置，暂不支持外卖配送")
		return nil, false
	}
	km := customers.DistanceKm(a, t.Longitude, t.Latitude)
	if km < 0 {
		writeFields(w, map[string]any{"user_address": []string{"这个地址没有位置信息，请编辑地址并在地图上选择位置"}})
		return nil, false
	}
	meters := int64(math.Round(km * 1000))
	env.Distance = &meters
	return a, true
}

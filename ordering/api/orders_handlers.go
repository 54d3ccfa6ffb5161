package api

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/views"
	"github.com/posbridge/posbridge/store"
)

// orderList is §6.1. table_id -1 (takeout) lists a customer's own orders:
// a login, which comes with the customers issue (401 until then). A real or
// virtual table's list shows its orders of the last four hours, items and
// statuses without customer fields.
func (s *Server) orderList(w http.ResponseWriter, r *http.Request) {
	rest, m, ok := s.restaurant(w, r, "")
	if !ok {
		return
	}
	tableID, ok := optionalInt(w, r, "table_id")
	if !ok {
		return
	}
	if tableID == nil {
		writeFields(w, map[string]any{"table_id": []string{"缺少桌台 id（table_id）"}})
		return
	}
	if *tableID == -1 {
		s.customerOrders(w, r, rest)
		return
	}
	if _, ok := m.Table(*tableID); !ok {
		writeDetail(w, http.StatusNotFound, "桌台不存在，请扫描桌上的二维码。")
		return
	}
	filter, ok := statusFilter(w, r)
	if !ok {
		return
	}
	list, err := s.opt.DB.OrderingOrdersAtTable(r.Context(), rest.ID, *tableID, s.now().Add(-tableListSpan), filter)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeOrderPage(w, r, rest, list, orders.TableGuest)
}

// orderDetail is §6.2: the order of the phone holding its view_token.
func (s *Server) orderDetail(w http.ResponseWriter, r *http.Request) {
	rest, o, ok := s.ownOrder(w, r)
	if !ok {
		return
	}
	rec, err := orders.Decode(o.OrderJSON)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, orders.NewView(o, rec, rest.Schedule.Zone(), orders.Owner))
}

// ownOrder finds the order of the path for its view_token (?token= or the
// X-View-Token header), or for the login that created it. Without either
// the order does not exist, for this reader: 404, so ids cannot be probed.
func (s *Server) ownOrder(w http.ResponseWriter, r *http.Request) (*Restaurant, *store.OrderingOrder, bool) {
	rest, _, ok := s.restaurant(w, r, "")
	if !ok {
		return nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		notFound(w)
		return nil, nil, false
	}
	token := r.URL.Query().Get("token")
	if token == "" {
		token = r.Header.Get("X-View-Token")
	}
	o, err := s.opt.DB.OrderingOrder(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (o.RestaurantID != rest.ID || !(tokenMatches(o.ViewTokenHash, token) || s.ownsOrder(r, o)))) {
		notFound(w)
		return nil, nil, false
	}
	if err != nil {
		s.writeError(w, r, err)
		return nil, nil, false
	}
	return rest, o, true
}

func tokenMatches(stored, token string) bool {
	if token == "" {
		return false
	}
	want := tokenHash(token)
	match := 0
	for _, h := range strings.Fields(stored) {
		match |= subtle.ConstantTimeCompare([]byte(h), []byte(want))
	}
	return match == 1
}

// ownsOrder: the request's login created the order.
func (s *Server) ownsOrder(r *http.Request, o *store.OrderingOrder) bool {
	c, ok := s.optionalCaller(r)
	return ok && o.CustomerID != 0 && o.CustomerID == c.CustomerID
}

// customerOrders is §6.1's takeout list (table_id -1): the login's own
// orders, with their customer fields.
func (s *Server) customerOrders(w http.ResponseWriter, r *http.Request, rest *Restaurant) {
	c, ok := s.Authenticate(w, r)
	if !ok {
		return
	}
	filter, ok := statusFilter(w, r)
	if !ok {
		return
	}
	list, err := s.opt.DB.OrderingOrdersOfCustomer(r.Context(), rest.ID, c.CustomerID, filter)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeOrderPage(w, r, rest, list, orders.Owner)
}

// statusFilter reads §6.1's status (9 finished, unfinished, or all); ok
// false: the 400 is written.
func statusFilter(w http.ResponseWriter, r *http.Request) (string, bool) {
	switch st := r.URL.Query().Get("status"); st {
	case "":
		return "", true
	case "9":
		return "finished", true
	case "unfinished":
		return "unfinished", true
	}
	writeFields(w, map[string]any{"status": []string{"应是 9（已完成）或 unfinished（未完成）"}})
	return "", false
}

// writeOrderPage answers a list of orders in the page shape, each as who
// sees it (a table's guests, or the orders' owner).
func (s *Server) writeOrderPage(w http.ResponseWriter, r *http.Request, rest *Restaurant, list []*store.OrderingOrder, who orders.Privacy) {
	out := make([]orders.View, 0, len(list))
	for _, o := range list {
		rec, err := orders.Decode(o.OrderJSON)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		out = append(out, orders.NewView(o, rec, rest.Schedule.Zone(), who))
	}
	page, err := views.Paginate(out, r.URL.Path, r.URL.Query())
	if err != nil {
		writeDetail(w, http.StatusNotFound, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, page)
}

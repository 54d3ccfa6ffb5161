package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/views"
)

// restaurantInfo is §2.1. Delivery needs a customer's address book: it
// reads disabled on a listener without logins.
func (s *Server) restaurantInfo(w http.ResponseWriter, r *http.Request) {
	rest, m, ok := s.restaurant(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	tableID, ok := optionalInt(w, r, "table_id")
	if !ok {
		return
	}
	info, err := views.RestaurantInfo(m, views.InfoParams{RestaurantID: rest.ID, TableID: tableID, Schedule: rest.Schedule, Now: s.now(), Paused: rest.paused()})
	if errors.Is(err, views.ErrUnknownTable) {
		writeDetail(w, http.StatusNotFound, "桌台不存在，请扫描桌上的二维码。")
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.opt.Customers == nil || s.opt.Tokens == nil {
		info.Takeout.EatTypesEnable[menu.Delivery] = false
	}
	// The page checks the hours by the server's clock (a phone's may be
	// wrong): the Date header is the one it reads.
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	writeJSON(w, http.StatusOK, info)
}

// productList is §5.1: what the table's eat types may order.
func (s *Server) productList(w http.ResponseWriter, r *http.Request) {
	_, m, ok := s.restaurant(w, r, "")
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
	category, ok := optionalInt(w, r, "category_id")
	if !ok {
		return
	}
	// Every phone at a table reads the same page of an immutable menu:
	// rendered once per menu (an edit is a new one).
	key := pageKey{table: *tableID, category: -1, page: r.URL.Query().Get("page"), size: r.URL.Query().Get("page_size")}
	if category != nil {
		key.category = *category
	}
	if body, ok := s.pages.get(m, key); ok {
		writeRaw(w, body)
		return
	}
	list, err := views.Products(m, *tableID, category)
	if errors.Is(err, views.ErrUnknownTable) {
		writeDetail(w, http.StatusNotFound, "桌台不存在，请扫描桌上的二维码。")
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := views.Paginate(list, r.URL.Path, r.URL.Query())
	if err != nil {
		writeDetail(w, http.StatusNotFound, err.Error())
		return
	}
	body, err := json.Marshal(page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(r.URL.Query()) <= 5 { // res_id, table_id, category_id, page, page_size: anything else is not cached
		s.pages.put(m, key, body)
	}
	writeRaw(w, body)
}

// productDetail is §5.2.
func (s *Server) productDetail(w http.ResponseWriter, r *http.Request) {
	_, m, ok := s.restaurant(w, r, "")
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		notFound(w)
		return
	}
	tableID, ok := optionalInt(w, r, "table_id")
	if !ok {
		return
	}
	p, err := views.ProductDetail(m, id, tableID)
	if errors.Is(err, views.ErrUnknownProduct) || errors.Is(err, views.ErrUnknownTable) {
		writeDetail(w, http.StatusNotFound, err.Error()+"。")
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// optionalInt reads an integer query parameter (nil when absent).
func optionalInt(w http.ResponseWriter, r *http.Request, name string) (*int64, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		writeFields(w, map[string]any{name: []string{"应是整数"}})
		return nil, false
	}
	return &n, true
}

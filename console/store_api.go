package console

import (
	"net/http"
	"strconv"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
)

// The 沽清 and store status API (issue 19): what the console's 沽清 page and
// `posbridge goods` / `posbridge store` use. Every change is an outbox call;
// the answer names the calls, and GET /api/store-calls/{id} follows one to
// its result.
func (s *Server) routeStore(mux *routeMux) {
	mux.HandleFunc("GET /api/goods", s.goods)
	mux.HandleFunc("POST /api/goods/sold-out", s.changeGoods(true))
	mux.HandleFunc("POST /api/goods/back", s.changeGoods(false))
	mux.HandleFunc("POST /api/store/status", s.setStoreStatus)
	mux.HandleFunc("GET /api/store-calls/{id}", s.storeCall)
	mux.HandleFunc("POST /api/orders/{code}/items", s.editTableItems)
	mux.HandleFunc("POST /api/orders/{code}/settle", s.settleTable)
}

// editTableItems sets the lines of an open 围餐 order (updateOrderItem).
func (s *Server) editTableItems(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Items []order.Item `json:"items"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	id, err := s.Bridge.EditTableItems(r.Context(), r.PathValue("code"), body.Items, actorOf(r))
	writeTableResult(w, r.PathValue("code"), id, err)
}

// settleTable reports a 围餐 order paid at the counter (payAfterSyncOrderInfo).
func (s *Server) settleTable(w http.ResponseWriter, r *http.Request) {
	var body struct {
		PayChannel     string    `json:"pay_channel"`
		PayChannelName string    `json:"pay_channel_name"`
		Discount       order.Fen `json:"discount"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	id, err := s.Bridge.SettleTableOrder(r.Context(), r.PathValue("code"), bridge.TableSettlement{PayChannel: body.PayChannel,
		PayChannelName: body.PayChannelName, Discount: body.Discount, Actor: actorOf(r)})
	writeTableResult(w, r.PathValue("code"), id, err)
}

func writeTableResult(w http.ResponseWriter, code string, id int64, err error) {
	if err != nil {
		writeBridgeError(w, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"code": code, "call": id})
}

func (s *Server) goods(w http.ResponseWriter, r *http.Request) {
	v, err := s.Bridge.Goods(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, viewOfGoods(v))
}

func (s *Server) changeGoods(out bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			StoreID  string            `json:"store_id"`
			Codes    []string          `json:"codes"`
			Names    map[string]string `json:"names"`
			Channels []string          `json:"channels"`
		}
		if err := readJSON(r, &body); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		ids, err := s.Bridge.ChangeGoods(r.Context(), bridge.GoodsChange{StoreID: body.StoreID, Codes: body.Codes,
			Names: body.Names, Channels: body.Channels, Out: out, Actor: actorOf(r)})
		if err != nil {
			writeStoreCallError(w, err)
			return
		}
		s.writeCalls(w, r, ids)
	}
}

func (s *Server) setStoreStatus(w http.ResponseWriter, r *http.Request) {
	var body struct {
		StoreID string `json:"store_id"`
		Event   string `json:"event"` // open | close | rest | reopen
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	id, err := s.Bridge.SetStoreStatus(r.Context(), body.StoreID, body.Event, actorOf(r))
	if err != nil {
		writeStoreCallError(w, err)
		return
	}
	s.writeCalls(w, r, []int64{id})
}

func (s *Server) writeCalls(w http.ResponseWriter, r *http.Request, ids []int64) {
	calls := make([]bridge.StoreCall, 0, len(ids))
	for _, id := range ids {
		c, err := s.Bridge.StoreCallByID(r.Context(), id)
		if err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		calls = append(calls, c)
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"calls": viewOfStoreCalls(calls)})
}

func (s *Server) storeCall(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, "call id must be a positive number")
		return
	}
	c, err := s.Bridge.StoreCallByID(r.Context(), id)
	if err != nil {
		writeBridgeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, viewOfStoreCall(c))
}

func writeStoreCallError(w http.ResponseWriter, err error) { writeBridgeError(w, err) }

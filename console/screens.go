package console

import (
	"errors"
	"net/http"

	"github.com/posbridge/posbridge/bridge"
)

// routeScreens adds the kitchen display (/kitchen?station=NAME) and the
// pickup TV (/pickup) with their JSON.
func (s *Server) routeScreens(mux *routeMux) {
	mux.HandleFunc("GET /kitchen", servePage("ui/kitchen.html"))
	mux.HandleFunc("GET /pickup", servePage("ui/pickup.html"))
	mux.HandleFunc("GET /api/kitchen", s.kitchenBoard)
	mux.HandleFunc("POST /api/kitchen/{code}/bump", s.kitchenBump)
	mux.HandleFunc("POST /api/kitchen/{code}/recall", s.kitchenRecall)
	mux.HandleFunc("GET /api/pickup", s.pickupBoard)
}

// servePage serves one embedded page with the console's page headers.
func servePage(file string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := uiFiles.ReadFile(file)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		setPageHeaders(w)
		_, _ = w.Write(b)
	}
}

// screenActor names who tapped: the paired screen, or the staff member.
func screenActor(r *http.Request, station string) string {
	if a := authOf(r); a.kind == authDevice && a.dev != nil {
		return "screen:" + a.dev.Name
	}
	if actor := actorOf(r); actor != "staff" {
		return actor
	}
	return "kitchen:" + station
}

func (s *Server) kitchenBoard(w http.ResponseWriter, r *http.Request) {
	board, err := s.Bridge.Kitchen(r.Context(), r.URL.Query().Get("station"))
	if errors.Is(err, bridge.ErrUnknownStation) {
		names := []string{}
		for _, st := range s.Config.KitchenStations() {
			names = append(names, st.Name)
		}
		writeJSON(w, http.StatusNotFound, map[string]any{"error": err.Error(), "stations": names})
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, viewOfKitchenBoard(board))
}

func (s *Server) kitchenBump(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Item *int `json:"item"` // absent or null: the whole order
		Undo bool `json:"undo"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	station := r.URL.Query().Get("station")
	req := bridge.BumpRequest{Station: station, Code: r.PathValue("code"), Item: -1, Undo: body.Undo, Actor: screenActor(r, station)}
	if body.Item != nil {
		if *body.Item < 0 {
			writeError(w, http.StatusBadRequest, "item 须为商品的序号（从 0 起），整单请不填")
			return
		}
		req.Item = *body.Item
	} else if body.Undo {
		writeError(w, http.StatusBadRequest, "撤销须指明商品（item）")
		return
	}
	res, err := s.Bridge.Bump(r.Context(), req)
	if err != nil {
		s.screenError(w, req.Code, err)
		return
	}
	writeJSON(w, http.StatusOK, bumpResultView(res))
}

func (s *Server) kitchenRecall(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if err := s.Bridge.Recall(r.Context(), r.URL.Query().Get("station"), code); err != nil {
		s.screenError(w, code, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": code, "recalled": true})
}

func (s *Server) screenError(w http.ResponseWriter, code string, err error) {
	if errors.Is(err, bridge.ErrUnknownStation) {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	writeActionError(w, code, err)
}

func (s *Server) pickupBoard(w http.ResponseWriter, r *http.Request) {
	storeID := r.URL.Query().Get("store")
	if a := authOf(r); a.kind == authDevice && a.dev != nil {
		storeID = a.dev.Station // a pickup TV shows the store it was paired for
	}
	board, err := s.Bridge.Pickup(r.Context(), storeID)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, viewOfPickupBoard(board))
}

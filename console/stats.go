package console

import (
	"net/http"

	"github.com/posbridge/posbridge/bridge"
)

func (s *Server) statsToday(w http.ResponseWriter, r *http.Request) {
	day := r.URL.Query().Get("date")
	if day == "" {
		day = bridge.BusinessDay(s.now())
	}
	st, err := s.Bridge.DayStats(r.Context(), day, bridge.Shanghai)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"day": st.Day, "orders": st.Orders, "by_hour": st.ByHour, "by_status": st.ByStatus, "refunds": st.Refunds,
		"avg_accept_seconds": st.AvgAccept.Seconds(), "avg_made_seconds": st.AvgMade.Seconds(),
		"avg_complete_seconds": st.AvgComplete.Seconds(),
	})
}

// shanghai is the platform's zone: API times carry the +08:00 offset.
var shanghai = bridge.Shanghai

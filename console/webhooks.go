package console

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
)

// listWebhooks shows the receivers (urls masked, never the secrets), the
// deliveries by state and the newest ones that have not gone through.
func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	bl, err := s.Bridge.ReadBacklogs(r.Context(), "")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	stats := bl.Webhooks
	state := r.URL.Query().Get("state")
	switch state {
	case "", bridge.WebhookPending, bridge.WebhookDone, bridge.WebhookFailed:
	default:
		writeError(w, http.StatusBadRequest, "state 须为 pending、done 或 failed："+state)
		return
	}
	list, err := s.Bridge.WebhookDeliveries(r.Context(), state, 100)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	type hookView struct {
		URL    string   `json:"url"`
		Events []string `json:"events"`
	}
	hooks := []hookView{}
	for _, h := range s.Config.Webhooks {
		if h.On() {
			hooks = append(hooks, hookView{URL: config.MaskURL(h.URL), Events: h.Events})
		}
	}
	type deliveryView struct {
		ID        int64  `json:"id"`
		EventID   string `json:"event_id"`
		URL       string `json:"url"`
		Event     string `json:"event"`
		State     string `json:"state"`
		Attempts  int    `json:"attempts"`
		LastError string `json:"last_error,omitempty"`
		NextAt    any    `json:"next_at,omitempty"`
		CreatedAt any    `json:"created_at"`
	}
	out := []deliveryView{}
	for _, d := range list {
		v := deliveryView{ID: d.ID, EventID: d.EventID, URL: config.MaskURL(d.Hook), Event: d.Event, State: d.State,
			Attempts: d.Attempts, LastError: d.LastError, CreatedAt: bridge.APITime(d.CreatedAt)}
		if d.State == bridge.WebhookPending && !d.NextAt.IsZero() {
			v.NextAt = bridge.APITime(d.NextAt)
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": hooks, "deliveries_by_state": stats, "deliveries": out})
}

// retryWebhook sends a delivery again now (after a receiver was fixed).
func (s *Server) retryWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "id 须为数字")
		return
	}
	err = s.Bridge.RetryWebhookDelivery(r.Context(), id)
	switch {
	case errors.Is(err, bridge.ErrNoDelivery):
		writeError(w, http.StatusNotFound, err.Error())
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "state": bridge.WebhookPending})
	}
}

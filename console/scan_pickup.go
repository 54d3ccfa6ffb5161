package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
)

// A pickup number typed into the scan box (the customer says "1003"): it
// stands for today's order with that number that is still being made or
// waiting to be collected. Longer inputs are order codes.
const maxPickupDigits = 6

func looksLikePickup(code string) bool {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > maxPickupDigits {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// pickupCandidates are today's orders a scanned pickup number may mean.
func (s *Server) pickupCandidates(ctx context.Context, pickup string) ([]bridge.OrderView, error) {
	views, _, err := s.Bridge.Orders(ctx, bridge.OrderFilter{Day: bridge.BusinessDay(s.now()), Limit: 20,
		Statuses: []order.Status{order.StatusAccepted, order.StatusMade, order.StatusDelivering}, Query: pickup})
	if err != nil {
		return nil, err
	}
	out := views[:0]
	for _, v := range views {
		if v.PickupNo == pickup {
			out = append(out, v)
		}
	}
	return out, nil
}

// scanPickup answers a scan box input that is not an order code but a
// pickup number: one order → scanned as its code; several (two stores both
// have a 1003) → 300 with the candidates for staff to pick from.
func (s *Server) scanPickup(w http.ResponseWriter, r *http.Request, pickup, source string) bool {
	cands, err := s.pickupCandidates(r.Context(), pickup)
	if err != nil || len(cands) == 0 {
		return false
	}
	if len(cands) > 1 {
		writeJSON(w, http.StatusMultipleChoices, map[string]any{"error": "有 " + strconv.Itoa(len(cands)) + " 个订单的取餐号都是 " + pickup + "，请选择",
			"pickup_no": pickup, "candidates": cands})
		return true
	}
	res := s.Bridge.Scan(r.Context(), cands[0].Code, source)
	if res.Outcome == bridge.ENotFound || res.Outcome == bridge.EInvalid {
		writeJSON(w, scanStatus(res.Outcome), map[string]string{"error": res.Error})
		return true
	}
	writeJSON(w, scanStatus(res.Outcome), res)
	return true
}

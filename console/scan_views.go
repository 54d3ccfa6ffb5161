package console

import (
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
)

// scanResultView is bridge.ScanResult as POST /api/scan answers it and the
// scan event carries it: the same fields, so that a field added in bridge
// stops compilation until it is named here. Outcome is for the HTTP status
// (scanStatus), never on the wire.
type scanResultView struct {
	Code       string              `json:"code,omitempty"`
	Action     string              `json:"action,omitempty"` // made | completed | duplicate_read
	Status     order.Status        `json:"status,omitempty"`
	Error      string              `json:"error,omitempty"`
	Outcome    string              `json:"-"`
	Pickup     string              `json:"pickup_no,omitempty"`
	Message    string              `json:"message,omitempty"` // what to show large on the console
	Candidates []scanCandidateView `json:"candidates,omitempty"`
}

// scanCandidateView is bridge.ScanCandidate: one of the orders a shared
// pickup number names.
type scanCandidateView struct {
	Code      string       `json:"code"`
	Source    order.Source `json:"source"`
	Label     string       `json:"source_label"`
	Store     string       `json:"store_id"`
	StoreName string       `json:"store_name,omitempty"`
	Pickup    string       `json:"pickup_no"`
	Table     string       `json:"table,omitempty"`
	Status    order.Status `json:"status"`
	Created   time.Time    `json:"created_at"`
}

func viewOfScan(r bridge.ScanResult) scanResultView {
	return scanResultView{Code: r.Code, Action: r.Action, Status: r.Status, Error: r.Error, Outcome: r.Outcome, Pickup: r.Pickup,
		Message: r.Message, Candidates: viewOfCandidates(r.Candidates)}
}

func viewOfCandidates(cs []bridge.ScanCandidate) []scanCandidateView {
	return convertAll(cs, func(c bridge.ScanCandidate) scanCandidateView { return scanCandidateView(c) })
}

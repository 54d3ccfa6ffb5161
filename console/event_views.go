package console

import (
	"time"

	"github.com/posbridge/posbridge/bridge"
)

// eventView is bridge.Event as GET /api/events sends it (the data line of
// a server-sent event): the same fields, so one converts to the other.
type eventView struct {
	ID      int64     `json:"id"`
	Type    string    `json:"type"`
	Time    time.Time `json:"time"`
	Code    string    `json:"code,omitempty"`
	Status  string    `json:"status,omitempty"`
	Kind    string    `json:"kind,omitempty"`  // decision: accept | refund; alert: its key
	Level   string    `json:"level,omitempty"` // alerts
	Message string    `json:"message,omitempty"`
	Data    any       `json:"data,omitempty"`
}

func viewOfEvent(e bridge.Event) eventView {
	v := eventView(e)
	v.Data = viewOfEventData(e.Data)
	return v
}

// viewOfEventData shapes what an event carries: bridge's values by their
// console views; maps, and values of other packages (a printer event, a
// sell-out answer as the channel stored it), as they are.
func viewOfEventData(d any) any {
	switch x := d.(type) {
	case bridge.ScanResult:
		return viewOfScan(x)
	case *bridge.ScanResult:
		if x != nil {
			return viewOfScan(*x)
		}
	}
	return d
}

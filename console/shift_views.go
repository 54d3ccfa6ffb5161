package console

import (
	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/report"
)

// handedOverView is bridge.HandedOver, a past hand-over of GET
// /api/reports/shifts: the same fields, so one converts to the other.
type handedOverView struct {
	ID     int64         `json:"id"`
	Staff  string        `json:"staff,omitempty"`
	Report report.Report `json:"report"`
}

func viewOfShifts(hs []bridge.HandedOver) []handedOverView {
	return convertAll(hs, func(h bridge.HandedOver) handedOverView { return handedOverView(h) })
}

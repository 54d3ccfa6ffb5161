package console

import (
	"time"

	"github.com/posbridge/posbridge/bridge"
)

// deviceView is bridge.DeviceView with the API's names (GET /api/devices
// and a new pairing code): the same fields, so one converts to the other.
type deviceView struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	Station     string    `json:"station,omitempty"`
	Paired      bool      `json:"paired"`
	PairCode    string    `json:"pair_code,omitempty"` // only right after it was made
	PairExpires time.Time `json:"pair_expires,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by,omitempty"`
	PairedAt    time.Time `json:"paired_at,omitzero"`
	LastSeenAt  time.Time `json:"last_seen_at,omitzero"`
	LastIP      string    `json:"last_ip,omitempty"`
	RevokedAt   time.Time `json:"revoked_at,omitzero"`
}

func viewOfDevices(ds []bridge.DeviceView) []deviceView {
	return convertAll(ds, func(d bridge.DeviceView) deviceView { return deviceView(d) })
}

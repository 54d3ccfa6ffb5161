package console

import (
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
)

// The JSON of GET /api/platform's health: bridge.PlatformHealth with the
// API's names. Each view mirrors its bridge type field for field, so a field
// added in bridge stops the conversion until it is named here.

// platformHealthView is bridge.PlatformHealth.
type platformHealthView struct {
	PushEnabled    bool                               `json:"push_enabled"`
	LastPushAt     time.Time                          `json:"last_push_at,omitzero"`
	PushesReceived int64                              `json:"pushes_received"`
	PushesRefused  int64                              `json:"pushes_refused"`
	LastPlatformOK time.Time                          `json:"last_platform_ok,omitzero"`
	LastError      string                             `json:"last_error,omitempty"`
	LastErrorHint  string                             `json:"last_error_hint,omitempty"` // LastError for staff, in Chinese
	LastErrorAt    time.Time                          `json:"last_error_at,omitzero"`
	MissedPushes   int64                              `json:"missed_pushes"`
	Polls          map[string]pollHealthView          `json:"polls"`
	Problems       []problemView                      `json:"problems"`
	Channels       map[order.Source]channelHealthView `json:"channels"`
}

// channelHealthView is bridge.ChannelHealth.
type channelHealthView struct {
	LastOK        time.Time `json:"last_ok,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
	LastErrorHint string    `json:"last_error_hint,omitempty"`
	LastErrorAt   time.Time `json:"last_error_at,omitzero"`
	Calls         int64     `json:"calls"`
	Errors        int64     `json:"errors"`
}

// pollHealthView is bridge.PollHealth.
type pollHealthView struct {
	LastSuccess   time.Time `json:"last_success,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
	LastErrorHint string    `json:"last_error_hint,omitempty"`
	LastErrorAt   time.Time `json:"last_error_at,omitzero"`
	LastFound     int       `json:"last_found"`
	Interval      string    `json:"interval,omitempty"`
	Idle          bool      `json:"idle,omitempty"`
}

// problemView is bridge.Problem: an open problem of the status bar.
type problemView struct {
	Key     string    `json:"key"`
	Level   string    `json:"level"` // warn | critical
	Title   string    `json:"title"`
	Message string    `json:"message"`
	Since   time.Time `json:"since"`
}

func viewOfHealth(h bridge.PlatformHealth) platformHealthView {
	return platformHealthView{PushEnabled: h.PushEnabled, LastPushAt: h.LastPushAt, PushesReceived: h.PushesReceived,
		PushesRefused: h.PushesRefused, LastPlatformOK: h.LastPlatformOK, LastError: h.LastError, LastErrorHint: h.LastErrorHint,
		LastErrorAt: h.LastErrorAt, MissedPushes: h.MissedPushes,
		Polls:    convertMap(h.Polls, func(p bridge.PollHealth) pollHealthView { return pollHealthView(p) }),
		Problems: convertAll(h.Problems, func(p bridge.Problem) problemView { return problemView(p) }),
		Channels: convertMap(h.Channels, func(c bridge.ChannelHealth) channelHealthView { return channelHealthView(c) })}
}

// convertMap maps a map's values and keeps nil apart from empty, as
// convertAll does for lists.
func convertMap[K comparable, T, V any](in map[K]T, f func(T) V) map[K]V {
	if in == nil {
		return nil
	}
	out := make(map[K]V, len(in))
	for k, x := range in {
		out[k] = f(x)
	}
	return out
}

package bridge

import "time"

// APITime is t as the console API and the event stream show times: in the
// store's zone, so RFC 3339 with +08:00, to the millisecond (what the
// database keeps; the wall clock's nanoseconds say nothing to a reader).
func APITime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(Shanghai).Truncate(time.Millisecond)
}

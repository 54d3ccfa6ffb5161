package printer

import (
	"testing"

	"github.com/posbridge/posbridge/printer/discover"
)

// A windows:// printer reports the spooler's view, not "online".
func TestSpoolerStateFromFlagsAndJobs(t *testing.T) {
	cases := []struct {
		name string
		q    discover.SpoolerQueue
		want PrinterState
	}{
		{"ready", discover.SpoolerQueue{}, StateOnline},
		{"offline flag", discover.SpoolerQueue{Printer: discover.WindowsInfo{Status: []string{"offline"}}}, StateOffline},
		{"use printer offline", discover.SpoolerQueue{Printer: discover.WindowsInfo{WorkOffline: true}}, StateOffline},
		{"paper out", discover.SpoolerQueue{Printer: discover.WindowsInfo{Status: []string{"error", "paper_out"}}}, StatePaperOut},
		{"door", discover.SpoolerQueue{Printer: discover.WindowsInfo{Status: []string{"door_open"}}}, StateCoverOpen},
		{"a job in error", discover.SpoolerQueue{Printer: discover.WindowsInfo{Jobs: 2}, Jobs: []discover.SpoolerJob{{ID: 4, Status: []string{"error"}}}}, StateOffline},
		{"a job out of paper", discover.SpoolerQueue{Jobs: []discover.SpoolerJob{{ID: 4, Status: []string{"paper_out"}}}}, StatePaperOut},
		{"paused", discover.SpoolerQueue{Printer: discover.WindowsInfo{Status: []string{"paused"}}}, StateOffline},
	}
	for _, c := range cases {
		if got := spoolerState(c.q); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

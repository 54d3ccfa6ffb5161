package config

import (
	"testing"
	"time"
)

// A store's timezone and day_start are read from its entry; a wrong zone
// or time is reported at its line, and StoreDay falls back to the default
// for it and for a store that is not listed.
func TestStoreDay(t *testing.T) {
	c := loadYAML(t, `stores:
  - id: "1862"
    name: 南翔一店
  - id: "7001"
    name: Berlin Mitte
    timezone: Europe/Berlin
    day_start: "06:00"
  - id: "7002"
    name: 火星店
    timezone: Mars/Olympus
    day_start: "25:00"
`)
	ps := c.Validate()
	if p, ok := findProblem(ps, "stores[2].timezone", "not an IANA time zone"); !ok || p.Source != "line 10" || p.Warning {
		t.Errorf("a wrong zone: %+v%s", p, problemLines(ps))
	}
	if p, ok := findProblem(ps, "stores[2].day_start", "HH:MM"); !ok || p.Source != "line 11" || p.Warning {
		t.Errorf("a wrong day_start: %+v%s", p, problemLines(ps))
	}
	for _, key := range []string{"stores[0].timezone", "stores[1].timezone", "stores[1].day_start"} {
		if p, ok := findProblem(ps, key, ""); ok {
			t.Errorf("%s reported: %s", key, p)
		}
	}
	tests := []struct {
		store, zone string
		start       time.Duration
	}{
		{"1862", "Asia/Shanghai", 4 * time.Hour},
		{"7001", "Europe/Berlin", 6 * time.Hour},
		{"7002", "Asia/Shanghai", 4 * time.Hour},
		{"9999", "Asia/Shanghai", 4 * time.Hour},
		{"", "Asia/Shanghai", 4 * time.Hour},
	}
	for _, tt := range tests {
		r := c.StoreDay(tt.store)
		if r.Location().String() != tt.zone || r.Start != tt.start {
			t.Errorf("StoreDay(%q) = %s, want %s from %s", tt.store, r, tt.zone, tt.start)
		}
	}
}

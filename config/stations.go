package config

import (
	"fmt"
	"strings"
)

// StationConfig is a kitchen station that has a screen and no printer
// (`stations:`). Every kitchen printer is a station already, under its own
// name and with its own match; these add the ones without paper.
type StationConfig struct {
	Name   string      `mapstructure:"name" yaml:"name"`
	Stores []string    `mapstructure:"stores" yaml:"stores"`
	Match  MatchConfig `mapstructure:"match" yaml:"match"`
}

// Station is a kitchen screen's station: a kitchen printer's route or a
// screen-only station.
type Station struct {
	Name    string
	Stores  []string
	Match   MatchConfig
	Printer bool // a kitchen printer prints it too
}

// KitchenStations lists the stations kitchen screens may show: the kitchen
// printers first, in config order, then the screen-only ones.
func (c *Config) KitchenStations() []Station {
	var out []Station
	seen := map[string]bool{}
	for _, p := range c.Printers {
		name := strings.TrimSpace(p.Name)
		if p.Role != RoleKitchen || name == "" || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, Station{Name: name, Stores: p.Stores, Match: p.Match, Printer: true})
	}
	for _, s := range c.Stations {
		name := strings.TrimSpace(s.Name)
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, Station{Name: name, Stores: s.Stores, Match: s.Match})
	}
	return out
}

func (v *validator) stations() {
	printers := map[string]bool{}
	for _, p := range v.c.Printers {
		printers[strings.TrimSpace(p.Name)] = true
	}
	seen := map[string]bool{}
	for i, s := range v.c.Stations {
		key := fmt.Sprintf("stations[%d]", i)
		name := strings.TrimSpace(s.Name)
		switch {
		case name == "":
			v.err(key+".name", "is missing: name the station as its screen link will, like hot or bar")
		case len([]rune(name)) > 32:
			v.err(key+".name", "is longer than 32 characters: use a short name, like hot or bar")
		case printers[name]:
			v.err(key+".name", "%q is a printer already: a kitchen printer is a station by itself; list only stations without a printer here", name)
		case seen[name]:
			v.err(key+".name", "%q is used twice: station names must be unique", name)
		}
		seen[name] = true
		for j, st := range s.Stores {
			if !v.stores[strings.TrimSpace(st)] {
				v.err(fmt.Sprintf("%s.stores[%d]", key, j), "%q is not one of stores[].id", st)
			}
		}
		v.match(key+".match", &PrinterConfig{Role: RoleKitchen, Match: s.Match})
	}
}

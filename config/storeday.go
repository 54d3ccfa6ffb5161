package config

import (
	"strings"

	"github.com/posbridge/posbridge/internal/storeday"
)

// StoreDay is the time zone and business day of storeID: the one lookup of
// stores[].timezone and stores[].day_start. A store that is not listed, or
// whose values do not parse (config check reports them), gets the default
// Asia/Shanghai from 04:00.
func (c *Config) StoreDay(storeID string) storeday.Rule {
	id := strings.TrimSpace(storeID)
	for _, s := range c.Stores {
		if strings.TrimSpace(s.ID) == id {
			if r, err := storeday.Parse(s.Timezone, s.DayStart); err == nil {
				return r
			}
			break
		}
	}
	return storeday.Default()
}

// storeDay checks a store's timezone and day_start.
func (v *validator) storeDay(key string, s StoreConfig) {
	if _, err := storeday.LoadZone(s.Timezone); err != nil {
		v.err(key+".timezone", "%v", err)
	}
	if strings.TrimSpace(s.DayStart) != "" {
		if _, err := storeday.ParseDayStart(s.DayStart); err != nil {
			v.err(key+".day_start", "%v", err)
		}
	}
}

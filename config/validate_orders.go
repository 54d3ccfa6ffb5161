package config

import (
	"fmt"
	"strings"
	"time"
)

func (v *validator) storeList() {
	if len(v.c.Stores) == 0 {
		v.err("stores", "no stores: add the store this PC serves, like `stores: [ { id: \"1862\", name: 南翔一店 } ]` with the id from 开个店")
		return
	}
	seen := map[string]int{}
	for i, s := range v.c.Stores {
		key := fmt.Sprintf("stores[%d]", i)
		if v.c.broken[key] {
			continue
		}
		id := strings.TrimSpace(s.ID)
		switch {
		case id == "":
			v.err(key+".id", "is missing: the store id from 开个店, in quotes, like \"1862\"")
		case seen[id] > 0:
			v.err(key+".id", "%q is listed twice (also stores[%d]): keep one", id, seen[id]-1)
		default:
			seen[id] = i + 1
		}
		if strings.TrimSpace(s.Name) == "" {
			v.warn(key+".name", "is empty: receipts will have no store name")
		}
		for j, h := range s.Hours {
			if err := checkHours(h); err != nil {
				v.err(fmt.Sprintf("%s.hours[%d]", key, j), "%v", err)
			}
		}
		v.storeDay(key, s)
	}
}

// checkHours reads "09:00-22:00"; a range past midnight ("22:00-02:00") is fine.
func checkHours(h string) error {
	from, to, ok := strings.Cut(strings.ReplaceAll(h, " ", ""), "-")
	if !ok {
		return fmt.Errorf("%q: write business hours like 09:00-22:00", h)
	}
	f, err1 := time.Parse("15:04", from)
	t, err2 := time.Parse("15:04", to)
	if to == "24:00" {
		t, err2 = time.Time{}, nil
	}
	if err1 != nil || err2 != nil {
		return fmt.Errorf("%q: write business hours like 09:00-22:00 (24-hour clock)", h)
	}
	if f.Equal(t) {
		return fmt.Errorf("%q opens and closes at the same time: leave hours out for a store that never closes", h)
	}
	return nil
}

func (v *validator) accept() {
	a := v.c.Accept
	v.enum("accept.mode", a.Mode, "auto", "manual")
	if a.HoldReserved && a.HoldLead == 0 {
		v.err("accept.hold_lead", "must be more than 0 when accept.hold_reserved is on, like 30m")
	}
	if a.OutsideHours != "" {
		v.enum("accept.outside_hours", a.OutsideHours, "auto", "manual")
	}
	for i, r := range a.Rules {
		key := fmt.Sprintf("accept.rules[%d]", i)
		if v.c.broken[key] {
			continue
		}
		v.enum(key+".mode", r.Mode, "auto", "manual")
		for j, t := range r.Types {
			v.enum(fmt.Sprintf("%s.types[%d]", key, j), t, "dine_in", "pickup", "delivery", "reserved")
		}
		for j, ch := range r.Channels {
			if ch < 1 {
				v.err(fmt.Sprintf("%s.channels[%d]", key, j), "%d is not a channel: channels are orderClient numbers from 1", ch)
			}
		}
		for j, src := range r.Sources {
			v.enum(fmt.Sprintf("%s.sources[%d]", key, j), src, "kaigedian", "ordering")
		}
		v.storeRefs(key+".stores", r.Stores)
	}
}

// storeRefs checks that each id names a configured store.
func (v *validator) storeRefs(key string, ids []string) {
	for j, id := range ids {
		if !v.stores[strings.TrimSpace(id)] {
			v.err(fmt.Sprintf("%s[%d]", key, j), "store %q is not in stores: add it there or fix the id", id)
		}
	}
}

func (v *validator) print() {
	p := v.c.Print
	v.enum("print.on", p.On, "accept", "arrival")
	v.enum("print.kitchen_split", p.KitchenSplit, "station", "item")
	if p.FailoverAttempts < 1 {
		v.err("print.failover_attempts", "must be at least 1 (failed tries before a job moves to the backup printer)")
	}
	v.positive("print.stale_after", p.StaleAfter)
	v.positive("print.failover_after", p.FailoverAfter)
	v.positive("print.retry_min", p.RetryMin)
	v.positive("print.status_interval", p.StatusEvery)
	if p.RetryMax < p.RetryMin {
		v.err("print.retry_max", "must not be shorter than print.retry_min (%s)", p.RetryMin)
	}
	if p.Logo != "" {
		v.imageFile("print.logo", p.Logo)
	}
}

func (v *validator) scanner() {
	s := v.c.Scanner
	if s.Serial == "" {
		return
	}
	conn, err := ParseConnection(s.Serial)
	switch {
	case err != nil && conn.Scheme == "serial":
		v.err("scanner.serial", "%v", err)
	case err != nil || conn.Scheme != "serial":
		v.err("scanner.serial", "must be a serial port, like serial://COM5?baud=9600 or serial:///dev/ttyACM0?baud=9600 (keyboard-wedge scanners need no setting: use the console's scan box)")
	}
}

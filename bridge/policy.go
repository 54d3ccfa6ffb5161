package bridge

import (
	"fmt"
	"strings"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
)

// Shanghai is the platform's time zone (fixed +08:00: China has no DST, and a
// fixed zone needs no tzdata on a store PC).
var Shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// BusinessDay is the Asia/Shanghai calendar day of t, as YYYY-MM-DD.
func BusinessDay(t time.Time) string { return t.In(Shanghai).Format("2006-01-02") }

// verdict is what the accept policy decided for a new order.
type verdict struct {
	accept   bool      // accept now, automatically
	deadline time.Time // ask staff; auto-accept at deadline when set
	reason   string    // why staff is asked (Chinese, shown on the card)
}

// printerHealth reports whether a printer can print now, and if not, why.
type printerHealth func(name string) (ok bool, why string)

// acceptPolicy decides auto or manual for new orders.
type acceptPolicy struct {
	cfg    config.AcceptConfig
	stores map[string]config.StoreConfig
	zones  map[string]*time.Location // each store's stores[].timezone, for its hours
}

func newAcceptPolicy(cfg *config.Config) *acceptPolicy {
	p := &acceptPolicy{cfg: cfg.Accept, stores: map[string]config.StoreConfig{}, zones: map[string]*time.Location{}}
	for _, s := range cfg.Stores {
		p.stores[s.ID] = s
		p.zones[s.ID] = cfg.StoreDay(s.ID).Location()
	}
	return p
}

// mode is auto or manual for this order, and the rule that chose it.
func (p *acceptPolicy) mode(o *order.Order, now time.Time) (mode, why string) {
	if st, ok := p.stores[o.StoreID]; ok && p.cfg.OutsideHours != "" && !withinHoursIn(st.Hours, now, p.zones[o.StoreID]) {
		return p.cfg.OutsideHours, "营业时间外"
	}
	for i, r := range p.cfg.Rules {
		if ruleMatches(r, o) {
			return r.Mode, fmt.Sprintf("规则 %d", i+1)
		}
	}
	mode = p.cfg.Mode
	if mode == "" {
		mode = "auto"
	}
	return mode, ""
}

// decide applies the policy. Printers that would receive the order and cannot
// print turn auto-accept into a staff prompt, so an order is never accepted
// into a kitchen that cannot see it.
func (p *acceptPolicy) decide(o *order.Order, now time.Time, targets []string, health printerHealth) verdict {
	mode, why := p.mode(o, now)
	if mode == "manual" {
		v := verdict{reason: "手动接单"}
		if why != "" {
			v.reason += "（" + why + "）"
		}
		if p.cfg.ManualTimeout > 0 {
			v.deadline = now.Add(p.cfg.ManualTimeout)
		}
		return v
	}
	if p.promptWhenDown() {
		if down := downTargets(targets, health); len(down) > 0 {
			return verdict{reason: printerDownNote + "，请确认后手动接单：" + strings.Join(down, "；")}
		}
	}
	return verdict{accept: true}
}

// printerDownNote starts the note of every prompt that exists only because a
// printer could not print: when the printers recover, the order is accepted
// automatically (runDeadlines), as the policy would have done.
const printerDownNote = "打印机异常"

// downTargets lists the printers among targets that cannot print, with why.
func downTargets(targets []string, health printerHealth) []string {
	var down []string
	for _, name := range targets {
		if ok, why := health(name); !ok {
			down = append(down, name+" "+why)
		}
	}
	return down
}

func (p *acceptPolicy) promptWhenDown() bool {
	return p.cfg.PromptWhenPrinterDown == nil || *p.cfg.PromptWhenPrinterDown
}

// holdUntil is when the tickets of a reserved order should print, or zero to
// print now. The order itself is accepted at once: the platform cancels
// orders that stay unaccepted (cancelType 5), so only the tickets wait.
func (p *acceptPolicy) holdUntil(o *order.Order, now time.Time) time.Time {
	if !p.cfg.HoldReserved || !o.Type.IsReserved() || o.ExpectAt.IsZero() {
		return time.Time{}
	}
	at := o.ExpectAt.Add(-p.cfg.HoldLead)
	if !at.After(now) {
		return time.Time{}
	}
	return at
}

func ruleMatches(r config.AcceptRule, o *order.Order) bool {
	if len(r.Stores) > 0 && !contains(r.Stores, o.StoreID) {
		return false
	}
	if len(r.Sources) > 0 && !contains(r.Sources, string(o.Source.Or(order.SourceKaigedian))) {
		return false
	}
	if len(r.Channels) > 0 {
		found := false
		for _, c := range r.Channels {
			if order.Channel(c) == o.Channel {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	if len(r.Types) > 0 {
		found := false
		for _, t := range r.Types {
			if t == o.Type.Kind() || (t == "reserved" && o.Type.IsReserved()) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// withinHours reports whether now falls in one of the "HH:MM-HH:MM" ranges
// (Asia/Shanghai). Ranges may cross midnight. No ranges = always open.
func withinHours(ranges []string, now time.Time) bool { return withinHoursIn(ranges, now, Shanghai) }

// withinHoursIn reads the ranges on the clock of zone (a store's timezone).
func withinHoursIn(ranges []string, now time.Time, zone *time.Location) bool {
	if len(ranges) == 0 {
		return true
	}
	t := now.In(zone)
	minute := t.Hour()*60 + t.Minute()
	for _, r := range ranges {
		from, to, ok := parseRange(r)
		if !ok {
			continue
		}
		if from <= to && minute >= from && minute < to {
			return true
		}
		if from > to && (minute >= from || minute < to) {
			return true
		}
	}
	return false
}

func parseRange(r string) (from, to int, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(r), "-")
	if !found {
		return 0, 0, false
	}
	pa, err1 := time.Parse("15:04", strings.TrimSpace(a))
	pb, err2 := time.Parse("15:04", strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return pa.Hour()*60 + pa.Minute(), pb.Hour()*60 + pb.Minute(), true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

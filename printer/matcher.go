package printer

import (
	"fmt"
	"path"
	"strings"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
)

// Matcher decides which items a kitchen station or a label printer takes
// (the printer's `match` config). IDs match productId or thirdProductId; a
// name pattern with * ? or [ is a path.Match glob over the whole name, any
// other is a substring; ASCII case is ignored. An empty matcher takes all.
type Matcher struct {
	ids   map[string]struct{}
	names []string // lower-cased
}

// NewMatcher compiles a printer's match config. Patterns are checked by
// ValidateMatch; a bad glob here simply never matches.
func NewMatcher(m config.MatchConfig) Matcher {
	var mt Matcher
	for _, id := range m.ProductIDs {
		if id = strings.TrimSpace(id); id != "" {
			if mt.ids == nil {
				mt.ids = map[string]struct{}{}
			}
			mt.ids[id] = struct{}{}
		}
	}
	for _, n := range m.Names {
		if n = strings.TrimSpace(n); n != "" {
			mt.names = append(mt.names, strings.ToLower(n))
		}
	}
	return mt
}

// ValidateMatch reports a name pattern path.Match cannot parse.
func ValidateMatch(m config.MatchConfig) error {
	for _, n := range m.Names {
		if isGlob(n) {
			if _, err := path.Match(strings.ToLower(n), ""); err != nil {
				return fmt.Errorf("match name pattern %q is malformed (%w): close every [ with ]", n, err)
			}
		}
	}
	return nil
}

// Empty reports whether the matcher takes every item.
func (m Matcher) Empty() bool { return len(m.ids) == 0 && len(m.names) == 0 }

// Matches reports whether the item itself (not its children) is taken.
func (m Matcher) Matches(it *order.Item) bool {
	if m.Empty() {
		return true
	}
	if _, ok := m.ids[it.ProductID]; ok && it.ProductID != "" {
		return true
	}
	if _, ok := m.ids[it.ThirdProductID]; ok && it.ThirdProductID != "" {
		return true
	}
	if len(m.names) == 0 {
		return false
	}
	name := strings.ToLower(strings.TrimSpace(it.Name))
	for _, p := range m.names {
		if isGlob(p) {
			if ok, _ := path.Match(p, name); ok {
				return true
			}
		} else if strings.Contains(name, p) {
			return true
		}
	}
	return false
}

// Select returns the items the matcher takes. A set meal whose own name or id
// does not match but some of whose parts do comes back with those parts only
// (the drink of a burger set goes to the bar).
func (m Matcher) Select(items []order.Item) []order.Item {
	if m.Empty() {
		return items
	}
	var out []order.Item
	for _, it := range items {
		if m.Matches(&it) {
			out = append(out, it)
			continue
		}
		var parts []order.Item
		for _, c := range it.Children {
			if m.Matches(&c) {
				parts = append(parts, c)
			}
		}
		if len(parts) > 0 {
			it.Children = parts
			out = append(out, it)
		}
	}
	return out
}

func isGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

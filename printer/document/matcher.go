package document

import (
	"fmt"
	"path"
	"strings"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
)

// Matcher decides which items a kitchen station or a label printer takes
// (the printer's `match` config). IDs match productId or thirdProductId of
// the order's source ("ordering:12"; a bare id is 开个店's); a name or
// category pattern with * ? or [ is a path.Match glob over the whole name,
// a name pattern without is a substring, a category without is the whole
// category name; ASCII case is ignored. An empty matcher takes all.
type Matcher struct {
	ids        map[string]struct{} // "source:id"
	names      []string            // lower-cased
	categories []string            // lower-cased
	source     string              // the order's source (WithSource)
}

// defaultIDSource is the source of an id written without one, and of an
// order without a source: 开个店, the only source before there were two.
const defaultIDSource = "kaigedian"

// qualifyID writes an id of the match config as "source:id".
func qualifyID(id string) string {
	if src, rest, ok := strings.Cut(id, ":"); ok && src != "" && rest != "" {
		return strings.ToLower(src) + ":" + rest
	}
	return defaultIDSource + ":" + id
}

// WithSource is the matcher for the items of an order from source.
func (m Matcher) WithSource(source string) Matcher {
	m.source = strings.ToLower(strings.TrimSpace(source))
	return m
}

func (m Matcher) takesID(id string) bool {
	if id == "" {
		return false
	}
	src := m.source
	if src == "" {
		src = defaultIDSource
	}
	_, ok := m.ids[src+":"+id]
	return ok
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
			mt.ids[qualifyID(id)] = struct{}{}
		}
	}
	for _, n := range m.Names {
		if n = strings.TrimSpace(n); n != "" {
			mt.names = append(mt.names, strings.ToLower(n))
		}
	}
	for _, c := range m.Categories {
		if c = strings.TrimSpace(c); c != "" {
			mt.categories = append(mt.categories, strings.ToLower(c))
		}
	}
	return mt
}

// ValidateMatch reports a name pattern path.Match cannot parse.
func ValidateMatch(m config.MatchConfig) error {
	for _, n := range append(append([]string(nil), m.Names...), m.Categories...) {
		if isGlob(n) {
			if _, err := path.Match(strings.ToLower(n), ""); err != nil {
				return fmt.Errorf("match name pattern %q is malformed (%w): close every [ with ]", n, err)
			}
		}
	}
	return nil
}

// Empty reports whether the matcher takes every item.
func (m Matcher) Empty() bool { return len(m.ids) == 0 && len(m.names) == 0 && len(m.categories) == 0 }

// Matches reports whether the item itself (not its children) is taken.
func (m Matcher) Matches(it *order.Item) bool {
	if m.Empty() {
		return true
	}
	if m.takesID(it.ProductID) || m.takesID(it.ThirdProductID) {
		return true
	}
	if cat := strings.ToLower(strings.TrimSpace(it.Category)); cat != "" {
		for _, p := range m.categories {
			if ok, _ := path.Match(p, cat); ok || p == cat {
				return true
			}
		}
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

package config

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/posbridge/posbridge/internal/textutil"
)

// treeCheck walks the parsed YAML against the Config struct before decoding,
// so that an unknown key, a mistyped value or a bad duration becomes one
// Problem naming its key and line instead of a decoder error. Bad entries are
// pruned (their default applies) so that every other key is still checked.
type treeCheck struct {
	problems []Problem
	lines    map[string]int  // key path ("printers[1].connection") → line, for kept keys
	broken   map[string]bool // list entries that were not sections ("printers[2]")
}

func newTreeCheck() *treeCheck {
	return &treeCheck{lines: map[string]int{}, broken: map[string]bool{}}
}

func (t *treeCheck) add(key string, line int, format string, args ...any) {
	t.problems = append(t.problems, Problem{Key: key, Source: lineSource(line), Message: fmt.Sprintf(format, args...)})
}

// walkStruct checks a mapping against a struct type and rewrites it in place:
// keys are canonicalised (Data_Dir → data_dir), unknown and bad ones removed.
func (t *treeCheck) walkStruct(n *yaml.Node, typ reflect.Type, path string) {
	fields := fieldsOf(typ)
	kept := make([]*yaml.Node, 0, len(n.Content))
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		f, ok := lookupField(fields, k.Value)
		if !ok {
			t.add(joinKey(path, k.Value), k.Line, "%s", unknownKeyMessage(k.Value, path, fields))
			continue
		}
		key := joinKey(path, f.key)
		if line, dup := seen[f.key]; dup {
			t.add(key, k.Line, "is written twice (also on line %d): keep one", line)
			continue
		}
		seen[f.key] = k.Line
		k.Value = f.key
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
			continue // "key:" with nothing after it: the default applies
		}
		if t.checkValue(v, f.typ, key) {
			t.lines[key] = k.Line
			kept = append(kept, k, v)
		}
	}
	n.Content = kept
}

// checkValue reports whether v is acceptable for a field of type typ,
// normalising scalars so that the decoder reads them as the installer meant.
func (t *treeCheck) checkValue(v *yaml.Node, typ reflect.Type, key string) bool {
	switch kindOf(typ) {
	case kindStruct:
		if v.Kind != yaml.MappingNode {
			t.add(key, v.Line, "must be a section of \"key: value\" lines, not %s", describe(v))
			return false
		}
		t.walkStruct(v, typ, key)
		return true
	case kindStructList:
		if v.Kind != yaml.SequenceNode {
			t.add(key, v.Line, "must be a list with one \"- \" entry per item, not %s", describe(v))
			return false
		}
		for i, e := range v.Content {
			e = deref(e)
			ekey := fmt.Sprintf("%s[%d]", key, i)
			if e.Kind != yaml.MappingNode {
				t.add(ekey, e.Line, "must be a section of \"key: value\" lines, not %s", describe(e))
				// An empty entry keeps the indexes of later entries right;
				// Validate skips it rather than list every missing key.
				v.Content[i] = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: e.Line}
				t.broken[ekey] = true
				continue
			}
			v.Content[i] = e
			t.lines[ekey] = e.Line
			t.walkStruct(e, typ.Elem(), ekey)
		}
		return true
	case kindScalarList:
		if v.Kind == yaml.ScalarNode { // "stores: 1862" means a list of one
			v.Content = []*yaml.Node{{Kind: yaml.ScalarNode, Tag: v.Tag, Value: v.Value, Style: v.Style, Line: v.Line}}
			v.Kind, v.Tag, v.Value, v.Style = yaml.SequenceNode, "!!seq", "", 0
		}
		if v.Kind != yaml.SequenceNode {
			t.add(key, v.Line, "must be a list like [a, b], not %s", describe(v))
			return false
		}
		kept := v.Content[:0]
		for i, e := range v.Content {
			e = deref(e)
			if t.checkScalar(e, typ.Elem(), fmt.Sprintf("%s[%d]", key, i)) {
				t.lines[fmt.Sprintf("%s[%d]", key, len(kept))] = e.Line // the index Validate sees
				kept = append(kept, e)
			}
		}
		v.Content = kept
		return true
	case kindScalarMap:
		if v.Kind != yaml.MappingNode {
			t.add(key, v.Line, "must be a section of \"key: value\" lines, not %s", describe(v))
			return false
		}
		kept := v.Content[:0]
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, e := v.Content[i], deref(v.Content[i+1])
			if t.checkScalar(e, typ.Elem(), joinKey(key, k.Value)) {
				kept = append(kept, k, e)
			}
		}
		v.Content = kept
		return true
	default:
		return t.checkScalar(v, typ, key)
	}
}

func (t *treeCheck) checkScalar(v *yaml.Node, typ reflect.Type, key string) bool {
	if v.Kind != yaml.ScalarNode {
		t.add(key, v.Line, "must be a single value, not %s", describe(v))
		return false
	}
	s := strings.TrimSpace(v.Value)
	switch kindOf(typ) {
	case kindString:
		// Read exactly what was written: PIN 0123 and store id 01862 stay
		// themselves instead of becoming the octal number 83.
		v.Tag = "!!str"
	case kindInt:
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			t.add(key, v.Line, "must be a whole number, not %q", v.Value)
			return false
		}
		v.Tag, v.Value = "!!int", s
	case kindFloat:
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			t.add(key, v.Line, "must be a number, not %q", v.Value)
			return false
		}
		v.Tag, v.Value = "!!float", s
	case kindBool:
		b, ok := parseBool(s)
		if !ok {
			t.add(key, v.Line, "must be true or false, not %q", v.Value)
			return false
		}
		v.Tag, v.Value = "!!bool", strconv.FormatBool(b)
	case kindDuration:
		d, err := parseDuration(s)
		if err != nil {
			t.add(key, v.Line, "%v", err)
			return false
		}
		v.Tag, v.Value = "!!str", d.String()
	}
	return true
}

// parseDuration reads "60s", "5m", "1h30m". A bare number other than 0 is an
// error rather than nanoseconds or a guessed unit.
func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("is empty: write a duration like 60s, 5m or 1h")
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n == 0 {
			return 0, nil
		}
		return 0, fmt.Errorf("%q has no unit: write %ss for seconds or %sm for minutes", s, s, s)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: write it like 60s, 5m or 1h30m", s)
	}
	return d, nil
}

func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "1":
		return true, true
	case "false", "no", "off", "0":
		return false, true
	}
	return false, false
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a section"
	case yaml.SequenceNode:
		return "a list"
	default:
		return fmt.Sprintf("%q", n.Value)
	}
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// unknownKeyMessage says what to do about a key the struct does not have:
// the sibling it probably means, or the section where that key lives.
func unknownKeyMessage(name, path string, siblings []field) string {
	if dotted := joinKey(path, name); strings.Contains(name, ".") && slices.Contains(knownKeyPaths(), dotted) {
		first, rest, _ := strings.Cut(name, ".")
		return fmt.Sprintf("dotted keys are not read here: write it nested, as %s: { %s: … } (the dotted form is for POSBRIDGE_ environment variables only)", first, rest)
	}
	want := normaliseKey(name)
	best, bestDist := "", 3
	for _, f := range siblings {
		if normaliseKey(f.key) == want {
			return fmt.Sprintf("unknown key; did you mean %q?", f.key)
		}
		if d := textutil.EditDistance(want, normaliseKey(f.key)); d < bestDist && d*2 < len(want) {
			best, bestDist = f.key, d
		}
	}
	if best != "" {
		return fmt.Sprintf("unknown key; did you mean %q?", best)
	}
	var elsewhere []string
	for _, p := range knownKeyPaths() {
		last := p[strings.LastIndex(p, ".")+1:]
		if normaliseKey(last) == want && !strings.HasPrefix(p, path+".") {
			elsewhere = append(elsewhere, p)
		}
	}
	if len(elsewhere) > 0 && len(elsewhere) <= 3 {
		return fmt.Sprintf("unknown key here; did you mean %s? (check the indentation)", strings.Join(elsewhere, " or "))
	}
	return "unknown key; remove it or fix its spelling (see `posbridge config init` for every key)"
}

// normaliseKey lets dataDir, data-dir and DATA_DIR all find data_dir.
func normaliseKey(s string) string {
	return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
}

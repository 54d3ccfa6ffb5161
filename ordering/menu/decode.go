package menu

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/posbridge/posbridge/internal/textutil"
	"github.com/posbridge/posbridge/ordering/money"
)

// decoder walks the YAML node tree (JSON files parse as YAML too) and
// collects problems with their lines instead of stopping at the first.
type decoder struct {
	problems Problems
	claims   []entryClaim
	refs     []productRef
	// condiments and products by id, for the checks across the file
	condimentSeen []condimentSeen
	productNodes  []*yaml.Node
	// nodes by path ("products[2].specs[0].pu" → its key), so that checks
	// across the file can name a line too
	nodes map[string]*yaml.Node
}

// productRef is a place that names a product (and maybe one of its specs),
// resolved once every product is read.
type productRef struct {
	node      *yaml.Node
	path      string
	productID int64
	pu        int  // -1: no spec named
	entry     bool // a set-meal entry (must be a normal dish)
}

type condimentSeen struct {
	node *yaml.Node
	path string
	c    Condiment
}

func (d *decoder) add(n *yaml.Node, path, format string, args ...any) {
	p := Problem{Path: path, Message: fmt.Sprintf(format, args...)}
	// Checks made after decoding name a path: the line is that of the key,
	// or of the nearest enclosing one that was written.
	for q := path; n == nil && q != ""; q = parent(q) {
		n = d.nodes[q]
	}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	d.problems = append(d.problems, p)
}

// field handles the value of one key; path is the key's full path.
type field func(v *yaml.Node, path string)

// fieldSet describes an object: its handlers, the keys that must be present,
// and keys that belong elsewhere with the sentence that says where.
type fieldSet struct {
	handlers  map[string]field
	required  []string
	elsewhere map[string]string
}

// object decodes a mapping through fs and reports unknown, duplicate and
// missing keys. It returns false when n is not a mapping.
func (d *decoder) object(n *yaml.Node, path string, fs fieldSet) bool {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		d.add(n, path, "应是一组“键: 值”，而不是%s", describe(n))
		return false
	}
	seen := map[string]int{}
	for _, kv := range pairs(n) {
		k, v := kv[0], deref(kv[1])
		key := k.Value
		p := join(path, key)
		if line, dup := seen[key]; dup {
			d.add(k, p, "重复写了两次（另一次在第 %d 行），请只保留一个", line)
			continue
		}
		seen[key] = k.Line
		d.remember(p, k)
		h, ok := fs.handlers[key]
		if !ok {
			if why, ok := fs.elsewhere[key]; ok {
				d.add(k, p, "%s", why)
			} else {
				d.add(k, p, "%s", unknownKey(key, fs.handlers))
			}
			continue
		}
		h(v, p)
	}
	for _, r := range fs.required {
		if _, ok := seen[r]; !ok {
			d.add(n, join(path, r), "缺少 %s，请补上", r)
		}
	}
	return true
}

// pairs lists a mapping's key/value pairs, expanding YAML merge keys
// (<<: *anchor) so shared blocks behave as if written out; keys written
// in the mapping itself win over merged ones.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	var own, merged [][2]*yaml.Node
	has := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" && k.Tag == "!!merge" {
			src := deref(v)
			var maps []*yaml.Node
			if src.Kind == yaml.SequenceNode {
				for _, e := range src.Content {
					maps = append(maps, deref(e))
				}
			} else {
				maps = []*yaml.Node{src}
			}
			for _, m := range maps {
				if m.Kind == yaml.MappingNode {
					merged = append(merged, pairs(m)...)
				}
			}
			continue
		}
		has[k.Value] = true
		own = append(own, [2]*yaml.Node{k, v})
	}
	for _, kv := range merged {
		if !has[kv[0].Value] {
			has[kv[0].Value] = true
			own = append(own, kv)
		}
	}
	return own
}

// list decodes a sequence, calling each for every element with its path.
func (d *decoder) list(n *yaml.Node, path string, each func(i int, e *yaml.Node, path string)) {
	n = deref(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.add(n, path, "应是一个列表（每项一行“- ”，或写成 [a, b]），而不是%s", describe(n))
		return
	}
	for i, e := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.remember(p, e)
		each(i, deref(e), p)
	}
}

func (d *decoder) remember(path string, n *yaml.Node) {
	if d.nodes == nil {
		d.nodes = map[string]*yaml.Node{}
	}
	d.nodes[path] = n
}

func (d *decoder) scalar(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.add(n, path, "应是单个值，而不是%s", describe(n))
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// str reads a string of at most max characters.
func (d *decoder) str(n *yaml.Node, path string, max int) string {
	if isNull(n) {
		return ""
	}
	s, ok := d.scalar(n, path)
	if !ok {
		return ""
	}
	if utf8.RuneCountInString(s) > max {
		d.add(n, path, "太长（%d 个字），最多 %d 个字", utf8.RuneCountInString(s), max)
	}
	return s
}

// name reads a string that must not be empty.
func (d *decoder) name(n *yaml.Node, path string, max int) string {
	s := d.str(n, path, max)
	if s == "" && d.isScalarOrNull(n) {
		d.add(n, path, "不能为空")
	}
	return s
}

func (d *decoder) isScalarOrNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode
}

// integer reads a whole number in [lo, hi]; "30" and 1.0 are accepted as the
// seed writes them.
func (d *decoder) integer(n *yaml.Node, path string, lo, hi int64) int64 {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, ".0"), ".00")
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		d.add(n, path, "应是整数，而不是 %q", n.Value)
		return 0
	}
	if v < lo || v > hi {
		d.add(n, path, "%d 超出范围：应在 %d 到 %d 之间", v, lo, hi)
		return 0
	}
	return v
}

// boolean reads true/false (yes/no, on/off as config files allow).
func (d *decoder) boolean(n *yaml.Node, path string) bool {
	s, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true
	case "false", "no", "off":
		return false
	}
	d.add(n, path, "应是 true 或 false，而不是 %q", n.Value)
	return false
}

// flag reads the seed's 0/1 switches (show_total, is_must); true/false too.
func (d *decoder) flag(n *yaml.Node, path string) bool {
	s, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	d.add(n, path, "应是 1 或 0，而不是 %q", n.Value)
	return false
}

// amount reads a non-negative amount in yuan.
func (d *decoder) amount(n *yaml.Node, path string) Fen {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	v, err := money.Parse(s)
	if err != nil {
		d.add(n, path, "%v", err)
	}
	return v
}

// decimal reads a non-negative decimal at most max (0 = no limit).
func (d *decoder) decimal(n *yaml.Node, path string, max int64) money.Decimal {
	s, ok := d.scalar(n, path)
	if !ok {
		return money.Decimal{}
	}
	v, err := money.ParseDecimal(s)
	if err != nil {
		d.add(n, path, "%v", err)
		return money.Decimal{}
	}
	if max > 0 && v.Rat().Cmp(new(big.Rat).SetInt64(max)) > 0 {
		d.add(n, path, "%s 太大：最大 %d", s, max)
		return money.Decimal{}
	}
	return v
}

// coordinate reads a longitude or latitude (not money: a float is fine).
func (d *decoder) coordinate(n *yaml.Node, path string, limit float64) float64 {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.Abs(v) > limit {
		d.add(n, path, "应是 -%g 到 %g 之间的数字，而不是 %q", limit, limit, n.Value)
		return 0
	}
	return v
}

// distance reads km with at most three decimals as whole meters.
func (d *decoder) distance(n *yaml.Node, path string) int64 {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	m, err := ParseKilometers(s)
	if err != nil {
		d.add(n, path, "%v", err)
	}
	return m
}

var clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

// clock reads "HH:MM".
func (d *decoder) clock(n *yaml.Node, path string) Clock {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	m := clockPattern.FindStringSubmatch(s)
	if m == nil {
		d.add(n, path, "应是 24 小时制的“时:分”，例如 09:30 或 23:59，而不是 %q（加引号：\"09:30\"）", n.Value)
		return 0
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	return Clock(h*60 + mi)
}

// eatTypes reads a list of eat types (0–3).
func (d *decoder) eatTypes(n *yaml.Node, path string) []EatType {
	out := []EatType{}
	seen := map[EatType]bool{}
	d.list(n, path, func(i int, e *yaml.Node, p string) {
		v := EatType(d.integer(e, p, 0, 3))
		if seen[v] {
			d.add(e, p, "%d（%s）写了两次", v, v.Name())
		}
		seen[v] = true
		out = append(out, v)
	})
	return out
}

// ParseKilometers reads a distance in km ("2", "0.5", "12.125") as meters.
func ParseKilometers(text string) (int64, error) {
	v, err := money.ParseDecimal(text)
	if err != nil {
		return 0, fmt.Errorf("距离%v", err)
	}
	r := v.Rat()
	r.Mul(r, new(big.Rat).SetInt64(1000))
	if !r.IsInt() {
		return 0, fmt.Errorf("距离 %q 最多三位小数（精确到米）", text)
	}
	if r.Num().Cmp(big.NewInt(100_000_000)) > 0 {
		return 0, fmt.Errorf("距离 %q 太大", text)
	}
	return r.Num().Int64(), nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return deref(n.Content[0])
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "一组“键: 值”"
	case yaml.SequenceNode:
		return "一个列表"
	}
	if isNull(n) {
		return "空值"
	}
	return fmt.Sprintf("单个值 %q", n.Value)
}

// parent strips the last key or index of a path.
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// unknownKey names the key most like the unknown one, or lists the keys.
func unknownKey(key string, known map[string]field) string {
	if textutil.Digits(key) {
		return fmt.Sprintf("不认识的键 %q：金额里的逗号会把数字分成两半，12,50 请写成 12.50", key)
	}
	names := make([]string, 0, len(known))
	for k := range known {
		names = append(names, k)
	}
	sort.Strings(names)
	best, bestDist := "", 3
	for _, k := range names {
		if dist := textutil.EditDistance(strings.ToLower(key), k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best != "" {
		return fmt.Sprintf("不认识的键 %q，是不是 %q？", key, best)
	}
	return fmt.Sprintf("不认识的键 %q；这里可以写：%s", key, strings.Join(names, "、"))
}

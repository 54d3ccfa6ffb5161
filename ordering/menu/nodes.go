package menu

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Helpers for editing the node tree in place. "shared" marks a node reached
// through a YAML anchor, alias or merge key: changing it would change every
// place that uses it.

// lookup finds key in mapping m: the index of its value in m.Content (-1
// when only a merge key supplies it) and the value.
func lookup(m *yaml.Node, key string) (idx int, val *yaml.Node, shared bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i].Tag != "!!merge" {
			v := m.Content[i+1]
			return i + 1, deref(v), v.Kind == yaml.AliasNode || deref(v).Anchor != ""
		}
	}
	for _, kv := range pairs(m) {
		if kv[0].Value == key {
			return -1, deref(kv[1]), true
		}
	}
	return -1, nil, false
}

// setValue sets key of mapping m to a scalar, keeping the comments of the
// value it replaces; a missing key is added at the end of the mapping.
func setValue(m *yaml.Node, key string, nv *yaml.Node) {
	idx, old, _ := lookup(m, key)
	if idx < 0 {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, nv)
		return
	}
	if o := m.Content[idx]; o.Kind != yaml.AliasNode && old != nil {
		nv.HeadComment, nv.LineComment, nv.FootComment = old.HeadComment, old.LineComment, old.FootComment
	}
	m.Content[idx] = nv
}

func amountNode(v Fen) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: v.Yuan()}
}

func intNode(v int64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(v, 10)}
}

func boolNode(v bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
}

func strNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// intValue reads an id the way the decoder does.
func intValue(n *yaml.Node) (int64, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, false
	}
	s := strings.TrimSuffix(strings.TrimSpace(n.Value), ".0")
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// withID finds the element of sequence seq whose key "id" (or idKey) is id.
func withID(seq *yaml.Node, idKey string, id int64) (*yaml.Node, bool) {
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil, false
	}
	for _, e := range seq.Content {
		e := deref(e)
		if e.Kind != yaml.MappingNode {
			continue
		}
		if _, v, _ := lookup(e, idKey); v != nil {
			if got, ok := intValue(v); ok && got == id {
				return e, true
			}
		}
	}
	return nil, false
}

// root is the top mapping of a document.
func root(doc *yaml.Node) *yaml.Node { return deref(doc) }

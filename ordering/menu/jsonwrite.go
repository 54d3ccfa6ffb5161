package menu

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// isJSONFile: a .json file, or one whose first character opens an object.
func isJSONFile(path string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return true
	}
	return len(bytes.TrimSpace(data)) > 0 && bytes.TrimSpace(data)[0] == '{'
}

// encodeJSON writes the node tree back as indented JSON in its key order,
// numbers in the text they were written with (4.20 stays 4.20), lists of
// plain values on one line as people write them.
func encodeJSON(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	writeJSON(&b, deref(doc), "")
	b.WriteByte('\n')
	if !json.Valid(b.Bytes()) {
		return nil, errors.New("菜单无法写成 JSON")
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node, indent string) {
	n = deref(n)
	inner := indent + "  "
	switch n.Kind {
	case yaml.MappingNode:
		kvs := pairs(n)
		if len(kvs) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, kv := range kvs {
			k, _ := json.Marshal(kv[0].Value)
			b.WriteString(inner)
			b.Write(k)
			b.WriteString(": ")
			writeJSON(b, kv[1], inner)
			if i < len(kvs)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case yaml.SequenceNode:
		flat := true
		for _, e := range n.Content {
			flat = flat && deref(e).Kind == yaml.ScalarNode
		}
		if flat {
			b.WriteByte('[')
			for i, e := range n.Content {
				if i > 0 {
					b.WriteString(", ")
				}
				writeScalar(b, deref(e))
			}
			b.WriteByte(']')
			return
		}
		b.WriteString("[\n")
		for i, e := range n.Content {
			b.WriteString(inner)
			writeJSON(b, e, inner)
			if i < len(n.Content)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	default:
		writeScalar(b, n)
	}
}

func writeScalar(b *bytes.Buffer, n *yaml.Node) {
	switch n.ShortTag() {
	case "!!null":
		b.WriteString("null")
		return
	case "!!bool":
		b.WriteString(strings.ToLower(n.Value))
		return
	case "!!int", "!!float":
		if json.Valid([]byte(n.Value)) {
			b.WriteString(n.Value)
			return
		}
	}
	s, _ := json.Marshal(n.Value)
	b.Write(s)
}

package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SettingsFile is the settings layer as a document to edit: Set replaces
// one key's value and keeps every comment around it (an installer may
// annotate the file by hand), Save writes it atomically.
type SettingsFile struct {
	Path string
	doc  *yaml.Node
}

// settingsHeader starts a layer the console creates.
const settingsHeader = "# posbridge settings layer: written by the staff console and the setup page,\n" +
	"# merged over the config file (a key here wins; a list replaces the file's list).\n" +
	"# `posbridge config check` shows the merged result. Editing by hand is fine.\n"

// OpenSettings reads the layer at path, or starts an empty one.
func OpenSettings(path string) (*SettingsFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data = []byte(settingsHeader)
	} else if err != nil {
		return nil, fmt.Errorf("settings layer: %w", err)
	}
	return ParseSettings(path, data)
}

// ParseSettings reads a layer's content.
func ParseSettings(path string, data []byte) (*SettingsFile, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("settings layer %s is not valid YAML: %w", path, err)
	}
	if len(doc.Content) == 0 {
		head := doc.HeadComment
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
		doc.HeadComment = head
		if head == "" {
			doc.HeadComment = strings.TrimSuffix(settingsHeader, "\n")
		}
	}
	if doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("settings layer %s must consist of \"key: value\" lines", path)
	}
	return &SettingsFile{Path: path, doc: &doc}, nil
}

// Set writes value at a dotted key ("printers", "console.pin",
// "layouts.customer"), creating sections on the way. Comments on the key
// and, where the old and new values share keys (or list entries share a
// name), inside the value, are kept. A nil value removes the key.
func (s *SettingsFile) Set(key string, value any) error {
	parts := strings.Split(key, ".")
	m := s.doc.Content[0]
	for _, p := range parts[:len(parts)-1] {
		i := mappingIndex(m, p)
		if i < 0 {
			m.Content = append(m.Content, scalarNode(p), &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
			i = len(m.Content) - 2
		}
		if m.Content[i+1].Kind != yaml.MappingNode {
			m.Content[i+1] = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		}
		m = m.Content[i+1]
	}
	last := parts[len(parts)-1]
	i := mappingIndex(m, last)
	if value == nil || (reflect.ValueOf(value).Kind() == reflect.Pointer && reflect.ValueOf(value).IsNil()) {
		if i >= 0 {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
		}
		return nil
	}
	var v yaml.Node
	if err := v.Encode(value); err != nil {
		return fmt.Errorf("settings %s: %w", key, err)
	}
	prune(&v, key)
	if i < 0 {
		m.Content = append(m.Content, scalarNode(last), &v)
		return nil
	}
	keepComments(m.Content[i+1], &v)
	m.Content[i+1] = &v
	return nil
}

// Bytes is the layer's YAML.
func (s *SettingsFile) Bytes() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(s.doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Save writes the layer: a temporary file beside it, synced, then renamed
// over it, so that the daemon's watch never reads half a file.
func (s *SettingsFile) Save() error {
	data, err := s.Bytes()
	if err != nil {
		return err
	}
	return WriteSettings(s.Path, data)
}

// WriteSettings replaces the layer at path with data atomically. The layer
// may hold credentials: it is not world-readable.
func WriteSettings(path string, data []byte) error {
	if len(data) > maxSettingsSize {
		return fmt.Errorf("settings are larger than %d bytes", maxSettingsSize)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("settings layer: %w", err)
	}
	if err := WriteFileAtomic(path, data, 0o640); err != nil {
		return fmt.Errorf("write settings layer %s: %w", path, err)
	}
	return nil
}

// WriteFileAtomic replaces path with data: a temporary file beside it with
// mode perm, synced, then renamed over it.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return err
}

func scalarNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// keepComments copies comments from old to its replacement nu: a mapping's
// keys by name, a list's sections by their name key (else by position).
func keepComments(old, nu *yaml.Node) {
	old = deref(old)
	if nu.HeadComment == "" {
		nu.HeadComment = old.HeadComment
	}
	if nu.LineComment == "" {
		nu.LineComment = old.LineComment
	}
	if nu.FootComment == "" {
		nu.FootComment = old.FootComment
	}
	switch {
	case old.Kind == yaml.MappingNode && nu.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(nu.Content); i += 2 {
			if j := mappingIndex(old, nu.Content[i].Value); j >= 0 {
				ok, nk := old.Content[j], nu.Content[i]
				nk.HeadComment, nk.LineComment, nk.FootComment = ok.HeadComment, ok.LineComment, ok.FootComment
				keepComments(old.Content[j+1], nu.Content[i+1])
			}
		}
	case old.Kind == yaml.SequenceNode && nu.Kind == yaml.SequenceNode:
		for i, e := range nu.Content {
			if o := sameEntry(old, e, i); o != nil {
				keepComments(o, e)
			}
		}
	}
}

// sameEntry finds the old list entry a new one replaces: the section with
// the same name, else the entry at the same position when neither has one.
func sameEntry(old *yaml.Node, e *yaml.Node, i int) *yaml.Node {
	name := entryName(e)
	for _, o := range old.Content {
		if name != "" && entryName(deref(o)) == name {
			return deref(o)
		}
	}
	if name == "" && i < len(old.Content) && entryName(deref(old.Content[i])) == "" {
		return deref(old.Content[i])
	}
	return nil
}

func entryName(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for _, k := range []string{"name", "id"} {
		if i := mappingIndex(n, k); i >= 0 {
			return k + "=" + n.Content[i+1].Value
		}
	}
	return ""
}

// keepZero are keys whose 0 means something (a continuous label roll, a
// document not printed); keepEmpty keys whose empty value does (no fields
// hidden, no header where the default has one).
// Both are path.Match patterns over the dotted key, list entries as "[]".
var (
	keepZero  = []string{"printers[].label.gap_mm", "layouts.*.copies"}
	keepEmpty = []string{"layouts.*.hide", "layouts.*.header", "layouts.*.footer"}
)

func matchesAny(patterns []string, key string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, key); ok {
			return true
		}
	}
	return false
}

// prune drops empty values from an encoded struct, so that the layer holds
// what was chosen and config's defaults apply to the rest.
func prune(n *yaml.Node, key string) bool {
	switch n.Kind {
	case yaml.MappingNode:
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			sub := joinKey(key, k.Value)
			if v.Kind == yaml.ScalarNode && v.Tag == "!!int" && v.Value == "0" && matchesAny(keepZero, sub) ||
				matchesAny(keepEmpty, sub) && (v.Kind == yaml.SequenceNode || v.Kind == yaml.ScalarNode && v.Tag == "!!str") {
				if v.Kind == yaml.SequenceNode {
					v.Style = yaml.FlowStyle
				}
				kept = append(kept, k, v)
				continue
			}
			if !prune(v, sub) {
				kept = append(kept, k, v)
			}
		}
		n.Content = kept
		return len(kept) == 0
	case yaml.SequenceNode:
		for _, e := range n.Content {
			prune(e, key+"[]")
		}
		return len(n.Content) == 0
	case yaml.ScalarNode:
		return n.Tag == "!!null" || (n.Tag == "!!str" && n.Value == "") || (n.Tag == "!!int" && n.Value == "0")
	}
	return false
}

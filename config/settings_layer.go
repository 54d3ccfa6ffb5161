package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SettingsFileName is the settings layer in data_dir: what the console and
// the setup page write. The config file (in a package, /etc/posbridge) stays
// the installer's and is never written by the service; the layer is merged
// over it key by key, a list replacing the file's list as a whole.
const SettingsFileName = "settings.yaml"

// SettingsPath is the settings layer of a data folder.
func SettingsPath(dataDir string) string { return filepath.Join(dataDir, SettingsFileName) }

// maxSettingsSize bounds the layer: it is written from console input.
const maxSettingsSize = 1 << 20

// settingsLineBase offsets the line numbers of the layer's nodes so that a
// problem found in them names settings.yaml rather than the config file.
const settingsLineBase = 1 << 24

// lineSource says where a key was written: "line 12" of the config file,
// or "settings.yaml line 3".
func lineSource(line int) string {
	if line > settingsLineBase {
		return fmt.Sprintf("%s line %d", SettingsFileName, line-settingsLineBase)
	}
	return fmt.Sprintf("line %d", line)
}

// readSettingsLayer parses the layer: override when given (a candidate edit,
// empty = no layer), else the file in dataDir. A missing file is no layer.
func readSettingsLayer(dataDir string, override []byte) (string, *yaml.Node, error) {
	path := SettingsPath(dataDir)
	data := override
	if data == nil {
		info, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "", nil, nil
		case err != nil:
			return "", nil, fmt.Errorf("settings layer: %w (check that this account may read it)", err)
		case info.Size() > maxSettingsSize:
			return "", nil, fmt.Errorf("settings layer %s is larger than %d bytes: it is not what the console writes; move it away", path, maxSettingsSize)
		}
		if data, err = os.ReadFile(path); err != nil {
			return "", nil, fmt.Errorf("settings layer: %w", err)
		}
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return "", nil, nil
	}
	root, err := parseRoot(data, path)
	if err != nil {
		return "", nil, err
	}
	offsetLines(root)
	return path, root, nil
}

func offsetLines(n *yaml.Node) {
	n.Line += settingsLineBase
	for _, c := range n.Content {
		offsetLines(c)
	}
}

// unlayeredKeys are read from the config file only: data_dir locates the
// layer itself, and service is read before any data folder exists.
var unlayeredKeys = []string{"data_dir", "service"}

// dropUnlayered removes the keys the layer may not hold, as problems.
func dropUnlayered(root *yaml.Node) []Problem {
	var out []Problem
	kept := root.Content[:0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if containsFold(unlayeredKeys, k.Value) {
			out = append(out, Problem{Key: k.Value, Source: lineSource(k.Line), Warning: true,
				Message: "is read from the config file only: remove it from " + SettingsFileName})
			continue
		}
		kept = append(kept, k, root.Content[i+1])
	}
	root.Content = kept
	return out
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

// mergeNode merges the mapping over into base: a section merges key by key,
// anything else (a value, a list) replaces the base's.
func mergeNode(base, over *yaml.Node) {
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], deref(over.Content[i+1])
		j := mappingIndex(base, k.Value)
		switch {
		case j < 0:
			base.Content = append(base.Content, k, v)
		case v.Kind == yaml.MappingNode && deref(base.Content[j+1]).Kind == yaml.MappingNode:
			b := deref(base.Content[j+1])
			mergeNode(b, v)
			base.Content[j+1] = b
		default:
			// the layer's key node too: its line names settings.yaml
			base.Content[j], base.Content[j+1] = k, v
		}
	}
}

// mappingIndex is the index of key's key node in a mapping (case and
// spelling as the tree check would canonicalise them), or -1.
func mappingIndex(m *yaml.Node, key string) int {
	want := normaliseKey(key)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if normaliseKey(m.Content[i].Value) == want {
			return i
		}
	}
	return -1
}

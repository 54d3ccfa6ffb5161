package config

import (
	"fmt"
	"strings"

	"github.com/go-viper/mapstructure/v2"
)

// The layers of a configuration (defaults, the file's keys, environment
// overrides) are merged here into one tree that mapstructure decodes.
// viper did this before, but it brings afero and with it net/http into
// every package that reads a Config (bridge holds no HTTP client); the
// rules below are the ones viper applied: keys compared without case
// (lower-cased, in lists too), a file's null leaves the default, a later
// layer's leaf replaces an earlier one, maps merge key by key.

// settingsTree is the merged tree.
type settingsTree map[string]any

// setDefault and override put a dotted key's value in the tree.
func (t settingsTree) set(key string, val any) {
	path := strings.Split(strings.ToLower(key), ".")
	m := map[string]any(t)
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[path[len(path)-1]] = val
}

// merge lays the file's keys over the tree. raw is lower-cased in place,
// as viper did (callers look keys up in it afterwards).
func (t settingsTree) merge(raw map[string]any) {
	lowerKeys(raw)
	mergeInto(t, raw)
}

func mergeInto(dst, src map[string]any) {
	for k, v := range src {
		switch sv := v.(type) {
		case nil:
			// A key without a value keeps what the earlier layer had.
		case map[string]any:
			sub, ok := dst[k].(map[string]any)
			if !ok {
				sub = map[string]any{}
			}
			mergeInto(sub, sv)
			if len(sub) > 0 {
				dst[k] = sub
			}
		default:
			dst[k] = v
		}
	}
}

// lowerKeys lower-cases every map key under m, in lists too.
func lowerKeys(m map[string]any) {
	for k, v := range m {
		v = lowerValue(v)
		if l := strings.ToLower(k); l != k {
			delete(m, k)
			k = l
		}
		m[k] = v
	}
}

func lowerValue(v any) any {
	switch x := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprintf("%v", k)] = e
		}
		lowerKeys(m)
		return m
	case map[string]any:
		lowerKeys(x)
	case []any:
		for i := range x {
			x[i] = lowerValue(x[i])
		}
	}
	return v
}

// decodeTree decodes the merged tree into c as viper's Unmarshal did:
// weakly typed input, durations from strings, and an unknown key is an
// error.
func decodeTree(t settingsTree, c *Config) error {
	d, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		WeaklyTypedInput: true,
		DecodeHook:       mapstructure.StringToTimeDurationHookFunc(),
		ErrorUnused:      true,
		Result:           c,
	})
	if err != nil {
		return err
	}
	return d.Decode(map[string]any(t))
}

package config

import (
	"reflect"
	"testing"
)

// The merge keeps the rules viper applied when it did this: keys compared
// without case (in lists too), a null in the file keeps the default, maps
// merge key by key, a later leaf replaces an earlier one.
func TestSettingsTreeMergesAsViperDid(t *testing.T) {
	tree := settingsTree{}
	tree.set("platform.base_url", "https://default")
	tree.set("platform.app_key", "default-key")
	tree.set("push.listen", "")
	raw := map[string]any{
		"Platform": map[string]any{"Base_URL": "https://file", "app_key": nil},
		"push":     nil,
		"stores":   []any{map[string]any{"ID": "1862", "Name": "店"}},
		"console":  map[string]any{},
	}
	tree.merge(raw)
	tree.set("push.listen", ":8080") // the environment
	want := settingsTree{
		"platform": map[string]any{"base_url": "https://file", "app_key": "default-key"},
		"push":     map[string]any{"listen": ":8080"},
		"stores":   []any{map[string]any{"id": "1862", "name": "店"}},
	}
	if !reflect.DeepEqual(tree, want) {
		t.Fatalf("merged:\n%#v\nwant:\n%#v", tree, want)
	}
	if _, ok := raw["stores"]; !ok {
		t.Fatal("the file's keys are not lower-cased in place (callers look them up afterwards)")
	}
}

package config

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestExampleLoadsAndValidates(t *testing.T) {
	c := loadYAML(t, ExampleYAML())
	if ps := c.Validate(); len(ps) > 0 {
		t.Fatalf("example has problems:%s", problemLines(ps))
	}
	if c.Platform.Mode != ModeSandbox || c.Sandbox {
		t.Errorf("example: mode %s, sandbox %v; want a sandbox-mode config file", c.Platform.Mode, c.Sandbox)
	}
	var roles []string
	for _, p := range c.Printers {
		roles = append(roles, p.Role)
	}
	if !slices.Equal(roles, []string{RoleReceipt, RoleKitchen, RoleLabel}) || len(c.Printers[1].Match.Names) == 0 {
		t.Errorf("example printers %v: want a receipt, a kitchen with match and a label printer", roles)
	}
	if len(c.Accept.Rules) == 0 {
		t.Error("example has no accept rules")
	}
}

// The example documents every key: each key path of Config is written in it.
func TestExampleShowsEveryKey(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(ExampleYAML()), &doc); err != nil {
		t.Fatal(err)
	}
	written := map[string]bool{}
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		switch n.Kind {
		case yaml.DocumentNode:
			walk(n.Content[0], prefix)
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				key := joinKey(prefix, n.Content[i].Value)
				written[key] = true
				walk(n.Content[i+1], key)
			}
		case yaml.SequenceNode:
			for _, e := range n.Content {
				walk(e, prefix+"[]")
			}
		}
	}
	walk(&doc, "")
	for _, k := range knownKeyPaths() {
		if !written[k] {
			t.Errorf("example does not show %s", k)
		}
	}
}

// The example's values that are not marked as examples are the defaults.
func TestExampleAgreesWithDefaults(t *testing.T) {
	c := loadYAML(t, ExampleYAML())
	d := loadYAML(t, "stores: [ { id: \"1862\", name: 南翔一店 } ]\n")
	c.Stores, c.Printers, c.Stations, c.Accept.Rules, c.WeChatPay.Restaurants, c.Webhooks = nil, nil, nil, nil, nil, nil // examples, not defaults
	c.Ordering.Restaurants, c.Ordering.TrustedProxies = nil, nil
	c.Ordering.Members.Levels, c.Ordering.Members.TopUps = nil, nil
	d.Stores, d.Stations = nil, nil
	c.File, d.File = "", ""
	c.sources, d.sources = nil, nil
	c.DataDir, d.DataDir = "", "" // both ./data, in different temporary folders
	if !reflect.DeepEqual(c, d) {
		t.Errorf("example and defaults differ:\nexample:\n%s\ndefaults:\n%s", c.MaskedYAML(), d.MaskedYAML())
	}
}

func TestExampleHasNoTabs(t *testing.T) {
	for i, line := range strings.Split(ExampleYAML(), "\n") {
		if strings.ContainsRune(line, '\t') {
			t.Errorf("line %d has a tab", i+1)
		}
	}
}

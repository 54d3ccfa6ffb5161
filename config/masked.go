package config

import (
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// MaskedYAML is the effective configuration as YAML, safe to print or paste
// into a support ticket: tokens and the PIN are masked, key files are shown
// by path only.
func (c *Config) MaskedYAML() string {
	m := *c
	m.Console.Pin = maskPin(c.Console.Pin)
	m.Console.APIToken = maskSecret(c.Console.APIToken)
	m.Push.Token = maskSecret(c.Push.Token)
	m.Platform.AccessToken = maskSecret(c.Platform.AccessToken)
	m.Platform.BaseURL = maskURL(c.Platform.BaseURL)
	m.WeChatPay = c.WeChatPay.Masked()
	m.Webhooks = maskWebhooks(c.Webhooks)
	m.Ordering = maskedCustomers(c.Ordering)
	out, err := yaml.Marshal(toNode(reflect.ValueOf(m), false))
	if err != nil {
		// Only plain strings, numbers and lists reach the encoder.
		panic("config: MaskedYAML: " + err.Error())
	}
	return string(out)
}

// maskSecret keeps the last two characters of a long token, enough to tell
// two tokens apart and too little to guess one.
func maskSecret(s string) string {
	switch {
	case s == "":
		return ""
	case len(s) >= 12:
		return "****" + s[len(s)-2:]
	default:
		return "(set)"
	}
}

// maskPin hides even the length of a PIN.
func maskPin(s string) string {
	switch {
	case s == "":
		return ""
	case isBcrypt(s):
		return "(bcrypt hash)"
	default:
		return "(set)"
	}
}

func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = url.User("****")
	return u.String()
}

// toNode renders a value of the config as a YAML node in struct order.
// Inside list entries, empty values are left out to keep printers readable.
func toNode(v reflect.Value, inList bool) *yaml.Node {
	if v.Type() == durationType {
		return scalar("!!str", formatDuration(time.Duration(v.Int())))
	}
	switch v.Kind() {
	case reflect.Pointer:
		return toNode(v.Elem(), inList)
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		t := v.Type()
		for _, f := range fieldsOf(t) {
			fv := v.Field(f.index)
			if inList && isEmpty(fv) {
				continue
			}
			if fv.Kind() == reflect.Pointer && fv.IsNil() {
				continue
			}
			n.Content = append(n.Content, scalar("!!str", f.key), toNode(fv, inList))
		}
		return n
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		scalars := v.Type().Elem().Kind() != reflect.Struct
		if scalars {
			n.Style = yaml.FlowStyle
		}
		for i := range v.Len() {
			n.Content = append(n.Content, toNode(v.Index(i), true))
		}
		return n
	case reflect.Map:
		// Sorted keys: the same config always prints the same text.
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			n.Content = append(n.Content, scalar("!!str", k.String()), toNode(v.MapIndex(k), true))
		}
		return n
	case reflect.String:
		return scalar("!!str", v.String())
	case reflect.Bool:
		return scalar("!!bool", strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int64:
		return scalar("!!int", strconv.FormatInt(v.Int(), 10))
	case reflect.Float64:
		// Untagged, so that 5 is written as 5 and not as "!!float 5".
		return scalar("", strconv.FormatFloat(v.Float(), 'f', -1, 64))
	}
	panic("config: cannot render " + v.Type().String())
}

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Struct:
		return v.IsZero()
	}
	return false
}

// formatDuration writes 1m instead of 1m0s, the way the example file does.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

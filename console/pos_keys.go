package console

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"unicode"
)

// The console API is snake_case; /order/submit, whose body POST
// /api/pos/orders carries, is camelCase (seed 001, the platform's shape).
// Both are accepted: a snake_case body is turned into the platform's shape,
// and the problems found in it name the fields as the caller wrote them.

// camelBody returns raw with every snake_case object key in camelCase, and
// whether it had any.
func camelBody(raw []byte) ([]byte, bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // amounts stay exactly as sent
	if err := dec.Decode(&v); err != nil {
		return raw, false // the submit decoder says what is wrong with it
	}
	snake := false
	v = camelKeys(v, &snake)
	if !snake {
		return raw, false
	}
	out, err := json.Marshal(v)
	if err != nil {
		return raw, false
	}
	return out, true
}

func camelKeys(v any, snake *bool) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			if strings.Contains(k, "_") {
				*snake = true
				k = snakeToCamel(k)
			}
			out[k] = camelKeys(val, snake)
		}
		return out
	case []any:
		for i := range t {
			t[i] = camelKeys(t[i], snake)
		}
	}
	return v
}

func snakeToCamel(k string) string {
	parts := strings.Split(k, "_")
	var b strings.Builder
	b.WriteString(parts[0])
	for _, p := range parts[1:] {
		if p == "" {
			continue
		}
		r := []rune(p)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

var upper = regexp.MustCompile(`[A-Z]`)

// camelToSnake names a problem's field (orderItemList[0].productName) the
// snake_case way (order_item_list[0].product_name).
func camelToSnake(field string) string {
	return upper.ReplaceAllStringFunc(field, func(s string) string { return "_" + strings.ToLower(s) })
}

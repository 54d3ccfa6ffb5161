package pricing

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// NonField is the key of errors not tied to one field (DRF's
// NON_FIELD_ERRORS_KEY): a closed restaurant, a void QR code, a sold-out item.
const NonField = "non_field_errors"

// ValidationError is a 400 of the seed's API: messages by field, nested as
// Django REST framework nests them ({"products": [{}, {"price": ["…"]}]}).
type ValidationError struct {
	fields []FieldError
	lens   map[string]int // list path → length, so valid elements show as {}
}

// FieldError is one message and where it belongs: Path alternates keys and
// list indexes ("products", 1, "children", 0, "price").
type FieldError struct {
	Path    []any
	Message string
}

func (e *ValidationError) add(msg string, path ...any) {
	e.fields = append(e.fields, FieldError{Path: append([]any(nil), path...), Message: msg})
}

func (e *ValidationError) addf(path []any, format string, args ...any) {
	e.add(fmt.Sprintf(format, args...), path...)
}

// list records the length of a request list (products, children…).
func (e *ValidationError) list(n int, path ...any) {
	if e.lens == nil {
		e.lens = map[string]int{}
	}
	e.lens[pathString(path)] = n
}

func (e *ValidationError) empty() bool { return e == nil || len(e.fields) == 0 }

// err returns e as an error, or nil when it holds nothing.
func (e *ValidationError) err() error {
	if e.empty() {
		return nil
	}
	return e
}

// Fields lists the messages in the order found.
func (e *ValidationError) Fields() []FieldError { return e.fields }

// Has reports a message at the dotted path ("products[1].children[0].price",
// "total_fee", "non_field_errors").
func (e *ValidationError) Has(path string) bool {
	for _, f := range e.fields {
		if pathString(f.Path) == path {
			return true
		}
	}
	return false
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.fields))
	for i, f := range e.fields {
		parts[i] = pathString(f.Path) + "：" + f.Message
	}
	return strings.Join(parts, "；")
}

// Body is the JSON body of the 400 reply.
func (e *ValidationError) Body() map[string]any {
	root := map[string]any{}
	for _, f := range e.fields {
		e.put(root, f.Path, nil, f.Message)
	}
	return root
}

// put places msg at path inside node (a map or a list), creating the
// containers on the way; lists get one {} per request element.
func (e *ValidationError) put(node map[string]any, path []any, prefix []any, msg string) {
	key := path[0].(string)
	here := append(append([]any(nil), prefix...), key)
	if len(path) == 1 {
		msgs, _ := node[key].([]any)
		node[key] = append(msgs, msg)
		return
	}
	idx := path[1].(int)
	list, _ := node[key].([]any)
	n := max(e.lens[pathString(here)], idx+1, len(list))
	for len(list) < n {
		list = append(list, map[string]any{})
	}
	node[key] = list
	child, ok := list[idx].(map[string]any)
	if !ok {
		return // a list of messages already stands here
	}
	if len(path) == 2 {
		return
	}
	e.put(child, path[2:], append(here, idx), msg)
}

func pathString(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch v := p.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(v) + "]")
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		}
	}
	return b.String()
}

// sortedKeys is for deterministic test output.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

package pricing

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// Decode reads a JSON request body into v (one of this package's request
// types, or a struct embedding one) and answers bad input as the seed's 400:
// malformed JSON → non_field_errors "JSON 格式错误" (digest §17 #38), a
// value of the wrong kind or a bad amount → that field, nested with its
// list indexes as DRF nests it. Keys v does not know are ignored, as DRF
// does.
func Decode(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var tree any
	if err := d.Decode(&tree); err != nil || d.More() {
		e := &ValidationError{}
		e.add("JSON 格式错误", NonField)
		return e
	}
	if _, ok := tree.(map[string]any); !ok {
		e := &ValidationError{}
		e.add("请求内容应是 JSON 对象", NonField)
		return e
	}
	e := &ValidationError{}
	checkValue(tree, reflect.TypeOf(v).Elem(), nil, e)
	if !e.empty() {
		return e
	}
	if err := json.Unmarshal(body, v); err != nil {
		e.add("请求内容有误："+err.Error(), NonField) // not reached for checked types
		return e
	}
	return nil
}

// checkValue walks the decoded tree along the Go type it will fill.
func checkValue(v any, t reflect.Type, path []any, e *ValidationError) {
	if v == nil { // null: the zero value, as encoding/json does
		return
	}
	if reflect.PointerTo(t).Implements(unmarshaler) {
		raw, _ := json.Marshal(v)
		if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
			e.add(strings.TrimPrefix(err.Error(), "json: "), path...)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		checkValue(v, t.Elem(), path, e)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			e.add("应是一个对象", path...)
			return
		}
		checkStruct(m, t, path, e)
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			e.add("应是一个列表", path...)
			return
		}
		e.list(len(list), path...)
		for i, x := range list {
			checkValue(x, t.Elem(), append(append([]any(nil), path...), i), e)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			e.add("应是文字", path...)
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			e.add("应是 true 或 false", path...)
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if n, ok := v.(json.Number); !ok || !isInteger(n) {
			e.add("应是整数", path...)
		}
	}
}

func checkStruct(m map[string]any, t reflect.Type, path []any, e *ValidationError) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				checkStruct(m, ft, path, e)
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		if x, ok := m[name]; ok {
			checkValue(x, f.Type, append(append([]any(nil), path...), name), e)
		}
	}
}

func isInteger(n json.Number) bool {
	_, err := n.Int64()
	return err == nil
}

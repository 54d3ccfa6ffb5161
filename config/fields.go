package config

import (
	"reflect"
	"strings"
	"sync"
	"time"
)

// The key names of the config come from the mapstructure tags of Config, so
// that a field added to the struct is at once known to the unknown-key check,
// the environment overrides and the defaults.

type field struct {
	key   string       // mapstructure tag
	index int          // struct field index
	typ   reflect.Type // field type
}

type valueKind int

const (
	kindString valueKind = iota
	kindInt
	kindFloat
	kindBool // bool or *bool
	kindDuration
	kindStruct
	kindStructList
	kindScalarList
	kindScalarMap // map[string]scalar, e.g. wechatpay dish_types: category id → type
)

var durationType = reflect.TypeFor[time.Duration]()

func kindOf(t reflect.Type) valueKind {
	switch {
	case t == durationType:
		return kindDuration
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Bool, t.Kind() == reflect.Bool:
		return kindBool
	case t.Kind() == reflect.String:
		return kindString
	case t.Kind() == reflect.Int, t.Kind() == reflect.Int64:
		return kindInt
	case t.Kind() == reflect.Float64:
		return kindFloat
	case t.Kind() == reflect.Struct:
		return kindStruct
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return kindStructList
	case t.Kind() == reflect.Slice:
		return kindScalarList
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && t.Elem().Kind() != reflect.Struct:
		return kindScalarMap
	}
	panic("config: unsupported field type " + t.String())
}

func fieldsOf(t reflect.Type) []field {
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("mapstructure")
		if tag == "" || tag == "-" || !sf.IsExported() {
			continue
		}
		fs = append(fs, field{key: tag, index: i, typ: sf.Type})
	}
	return fs
}

// lookupField matches a key as viper does: case-insensitively.
func lookupField(fs []field, key string) (field, bool) {
	for _, f := range fs {
		if strings.EqualFold(f.key, key) {
			return f, true
		}
	}
	return field{}, false
}

// leaf is a scalar key outside any list: one that defaults and the
// environment can set.
type leaf struct {
	key   string // dotted, e.g. "platform.access_token"
	index []int  // field path for reflect.Value.FieldByIndex
	typ   reflect.Type
}

// EnvName is the environment variable that overrides this key.
func (l leaf) EnvName() string {
	return "POSBRIDGE_" + strings.ToUpper(strings.ReplaceAll(l.key, ".", "_"))
}

var scalarLeaves = sync.OnceValue(func() []leaf {
	var out []leaf
	var walk func(t reflect.Type, prefix string, index []int)
	walk = func(t reflect.Type, prefix string, index []int) {
		for _, f := range fieldsOf(t) {
			idx := append(append([]int(nil), index...), f.index)
			key := joinKey(prefix, f.key)
			switch kindOf(f.typ) {
			case kindStruct:
				walk(f.typ, key, idx)
			case kindStructList, kindScalarList, kindScalarMap:
				// Lists and maps come from the file only.
			default:
				out = append(out, leaf{key: key, index: idx, typ: f.typ})
			}
		}
	}
	walk(reflect.TypeFor[Config](), "", nil)
	return out
})

// knownKeyPaths lists every key path of the struct, list items as "[]".
var knownKeyPaths = sync.OnceValue(func() []string {
	var out []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for _, f := range fieldsOf(t) {
			key := joinKey(prefix, f.key)
			out = append(out, key)
			switch kindOf(f.typ) {
			case kindStruct:
				walk(f.typ, key)
			case kindStructList:
				walk(f.typ.Elem(), key+"[]")
			}
		}
	}
	walk(reflect.TypeFor[Config](), "")
	return out
})

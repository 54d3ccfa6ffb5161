package fake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/kaigedian"
)

// body is a request's business JSON read the way the platform reads it:
// every member kept in order, duplicates included (spec §7 #6).
type body struct {
	pairs  []pair
	fields map[string]json.RawMessage // last value of each key, like Go's decoder
}

type pair struct {
	key   string
	value json.RawMessage
}

// readBody splits a JSON object into its members with a token pass.
func readBody(raw []byte) (*body, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 1 && raw[0] == '{' && raw[1] == '\'' {
		// store.md's example sends {'storeId':'001',…}: the platform
		// evidently reads it, so the fake does too.
		raw = kaigedian.RepairJSON(raw)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("requestBody is not JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("requestBody is not a JSON object")
	}
	b := &body{fields: map[string]json.RawMessage{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("requestBody is not JSON: %w", err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("requestBody is not a JSON object")
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("requestBody member %s: %w", key, err)
		}
		b.pairs = append(b.pairs, pair{key, v})
		b.fields[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("requestBody is not JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("requestBody has data after the object")
	}
	return b, nil
}

// has reports whether any of names is present.
func (b *body) has(names ...string) bool {
	for _, n := range names {
		if _, ok := b.fields[n]; ok {
			return true
		}
	}
	return false
}

// str reads a scalar member as text ("" when absent or null).
func (b *body) str(names ...string) string {
	for _, n := range names {
		if v, ok := b.fields[n]; ok {
			if s, ok := scalarText(v); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

// int reads a number or numeric string; ok is false when absent or not a number.
func (b *body) int(name string) (int64, bool) {
	v, present := b.fields[name]
	if !present {
		return 0, false
	}
	s, ok := scalarText(v)
	if !ok || s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// ints reads an array of numbers (numbers or numeric strings, or a scalar).
func (b *body) ints(names ...string) ([]int, bool) {
	for _, n := range names {
		v, ok := b.fields[n]
		if !ok {
			continue
		}
		var raw []json.RawMessage
		if json.Unmarshal(v, &raw) != nil {
			raw = []json.RawMessage{v}
		}
		out := make([]int, 0, len(raw))
		for _, r := range raw {
			s, ok := scalarText(r)
			if !ok {
				return nil, false
			}
			i, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return nil, false
			}
			out = append(out, i)
		}
		return out, true
	}
	return nil, false
}

// codes reads order codes given as an array or, as every example does, a
// scalar (orderCode vs orderCodes, spec §7 #4/#5).
func (b *body) codes(names ...string) []string {
	for _, n := range names {
		v, ok := b.fields[n]
		if !ok {
			continue
		}
		var raw []json.RawMessage
		if json.Unmarshal(v, &raw) != nil {
			raw = []json.RawMessage{v}
		}
		var out []string
		for _, r := range raw {
			if s, ok := scalarText(r); ok && s != "" {
				out = append(out, s)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// statusAndReason resolves the duplicated orderStatus of the seed's
// statusOperation examples: the first numeric value is the status, and a
// trailing non-numeric one was meant as the reason.
func (b *body) statusAndReason() (status int, reason string, ok bool) {
	found := false
	for _, p := range b.pairs {
		if p.key != "orderStatus" {
			continue
		}
		s, isScalar := scalarText(p.value)
		if !isScalar {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			if !found {
				status, found = n, true
			}
			continue
		}
		if found && s != "" {
			reason = s
		}
	}
	if r := b.str("reason"); r != "" {
		reason = r
	}
	return status, reason, found
}

// scalarText renders a JSON scalar as text; ok is false for objects/arrays.
func scalarText(v json.RawMessage) (string, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return "", true
	}
	switch v[0] {
	case '{', '[':
		return "", false
	case '"':
		var s string
		if json.Unmarshal(v, &s) != nil {
			return "", false
		}
		return strings.TrimSpace(s), true
	}
	return string(v), true
}

package kaigedian

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// decodeLenient unmarshals data into v. When the text is not valid JSON it
// retries once after the two repairs the documents need (§7 #3, #10): commas
// before a closing bracket are dropped and single-quoted strings become
// double-quoted. Anything else stays an error.
func decodeLenient(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		return err
	}
	fixed := repairJSON(data)
	if bytes.Equal(fixed, data) {
		return err
	}
	if err2 := json.Unmarshal(fixed, v); err2 != nil {
		return fmt.Errorf("%w (also after repairing trailing commas and quotes: %v)", err, err2)
	}
	return nil
}

// repairJSON applies both repairs in one pass over data.
func repairJSON(data []byte) []byte {
	return dropTrailingCommas(singleToDoubleQuotes(data))
}

// dropTrailingCommas removes a comma whose next non-space byte, outside
// strings, is '}' or ']' (the seed's `],\n}` examples).
func dropTrailingCommas(data []byte) []byte {
	out := make([]byte, 0, len(data))
	inStr, esc := false, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inStr {
			out = append(out, c)
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		if c == '"' {
			inStr = true
		}
		if c == ',' {
			j := i + 1
			for j < len(data) && isJSONSpace(data[j]) {
				j++
			}
			if j < len(data) && (data[j] == '}' || data[j] == ']') {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// singleToDoubleQuotes rewrites 'single-quoted' strings outside double-quoted
// ones as JSON strings ({'deliveryId':'…'} in the distribution examples).
func singleToDoubleQuotes(data []byte) []byte {
	if bytes.IndexByte(data, '\'') < 0 {
		return data
	}
	out := make([]byte, 0, len(data)+8)
	const (
		plain = iota
		double
		single
	)
	state, esc := plain, false
	for _, c := range data {
		switch state {
		case double:
			out = append(out, c)
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				state = plain
			}
		case single:
			switch {
			case esc:
				esc = false
				if c == '\'' {
					out = append(out, '\'')
				} else {
					out = append(out, '\\', c)
				}
			case c == '\\':
				esc = true
			case c == '\'':
				out = append(out, '"')
				state = plain
			case c == '"':
				out = append(out, '\\', '"')
			default:
				out = append(out, c)
			}
		default:
			switch c {
			case '"':
				state = double
				out = append(out, c)
			case '\'':
				state = single
				out = append(out, '"')
			default:
				out = append(out, c)
			}
		}
	}
	return out
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// marshalJSON encodes v without HTML escaping, so that a note with "<" or "&"
// is sent and signed as written, and without a trailing newline.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// RepairJSON applies the documented repairs (trailing commas removed,
// single-quoted pseudo-JSON requoted, §7 #3/#10) for readers outside this
// package, such as the fake platform reading the documents' examples.
func RepairJSON(data []byte) []byte { return repairJSON(data) }

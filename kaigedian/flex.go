package kaigedian

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The documents send the same field as a number in one place and as a string
// in another (§7 #7), and leave fields empty. These types read every variant
// so that one odd field never makes a whole order unreadable; the raw JSON of
// every order is kept beside the typed result anyway.

// Int reads a JSON number, a numeric string ("1559201308000", " 12 ", "10.00"),
// "" or null (both 0). A non-numeric string also reads as 0 rather than failing
// the whole document; objects and arrays are an error.
type Int int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(b []byte) error {
	v, err := flexInt(b)
	if err != nil {
		return err
	}
	*n = Int(v)
	return nil
}

// Int returns the value as an int.
func (n Int) Int() int { return int(n) }

func flexInt(b []byte) (int64, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return 0, nil
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
		v, _ := parseIntText(s)
		return v, nil
	case '{', '[':
		return 0, fmt.Errorf("want a number, got %s", jsonKind(b))
	case 't':
		return 1, nil
	case 'f':
		return 0, nil
	}
	v, ok := parseIntText(string(b))
	if !ok {
		return 0, fmt.Errorf("want a number, got %.20q", b)
	}
	return v, nil
}

// parseIntText parses an integer written as text, accepting a decimal
// fraction (truncated) because weights and amounts sometimes come as "10.00".
func parseIntText(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f > math.MaxInt64 || f < math.MinInt64 {
		return 0, false
	}
	return int64(f), true
}

// Float reads a JSON number or a numeric string; "" and null read as 0.
type Float float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*f = 0
		return nil
	}
	text := string(b)
	switch b[0] {
	case '"':
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
	case '{', '[':
		return fmt.Errorf("want a number, got %s", jsonKind(b))
	case 't', 'f':
		*f = 0
		return nil
	}
	text = strings.TrimSpace(text)
	if text == "" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		*f = 0
		return nil
	}
	*f = Float(v)
	return nil
}

// String reads a JSON string, or a number or boolean as its literal text
// (`"partnerId": 1864` and `"partnerId": "1864"` both read as "1864"); null
// reads as "". Objects and arrays are an error.
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(b []byte) error {
	v, err := flexString(b)
	if err != nil {
		return err
	}
	*s = String(v)
	return nil
}

func flexString(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return "", nil
	}
	switch b[0] {
	case '"':
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	case '{', '[':
		return "", fmt.Errorf("want a string, got %s", jsonKind(b))
	}
	return string(b), nil
}

// Bool reads true/false, "true"/"false", 1/0, "1"/"0", "" and null (false).
type Bool bool

// UnmarshalJSON implements json.Unmarshaler.
func (v *Bool) UnmarshalJSON(b []byte) error {
	s, err := flexString(b)
	if err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "y", "yes":
		*v = true
	default:
		*v = false
	}
	return nil
}

// jsonKind names the JSON type of a raw value for error messages.
func jsonKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

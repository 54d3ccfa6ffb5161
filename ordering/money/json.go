package money

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Number is an amount the seed shows as a JSON number (4.2, 28): it is
// written with two decimals ("4.20" is a valid JSON number equal to 4.2) and
// read from a number or a string.
type Number Fen

// String is an amount the seed shows as a JSON string (tax_fee "1.06").
type String Fen

// Signed is a Number that may be negative (delivery_fee -1 = out of range,
// the -1 sentinels of total_fee_cny).
type Signed Fen

func (n Number) MarshalJSON() ([]byte, error) { return []byte(Format(Fen(n))), nil }
func (n String) MarshalJSON() ([]byte, error) { return []byte(`"` + Format(Fen(n)) + `"`), nil }
func (n Signed) MarshalJSON() ([]byte, error) { return []byte(Format(Fen(n))), nil }

func (n *Number) UnmarshalJSON(b []byte) error {
	v, err := parseJSON(b, false)
	*n = Number(v)
	return err
}

func (n *String) UnmarshalJSON(b []byte) error {
	v, err := parseJSON(b, false)
	*n = String(v)
	return err
}

func (n *Signed) UnmarshalJSON(b []byte) error {
	v, err := parseJSON(b, true)
	*n = Signed(v)
	return err
}

// parseJSON reads a JSON number or string token by its digits.
func parseJSON(b []byte, signed bool) (Fen, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, fmt.Errorf("%w：%s", ErrFormat, b)
		}
		b = []byte(s)
	} else if bytes.Equal(b, []byte("null")) {
		return 0, fmt.Errorf("%w：不能为空", ErrFormat)
	}
	return parse(string(b), signed)
}

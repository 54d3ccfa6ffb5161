package money

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/posbridge/posbridge/internal/textutil"
)

// Decimal is an exact non-negative decimal read from text: a rate
// (cny_exrate "0.1218"), a percentage ("5", "0.75") or a distance in km. It
// keeps the text it was written as, so the API echoes the configured value
// exactly rather than a float's rendering of it.
type Decimal struct {
	text string
	rat  *big.Rat
}

// ParseDecimal reads "0.1218", "5" or "12.5"; no sign, no exponent.
func ParseDecimal(text string) (Decimal, error) {
	s := strings.TrimSpace(text)
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if !textutil.Digits(intPart) || (hasPoint && !textutil.Digits(frac)) || len(intPart) > 12 || len(frac) > 12 {
		return Decimal{}, fmt.Errorf("%q 不是数字，请写成 5 或 0.1218 这样的数字", text)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return Decimal{}, fmt.Errorf("%q 不是数字", text)
	}
	return Decimal{text: s, rat: r}, nil
}

// MustDecimal is ParseDecimal for constants in code and tests.
func MustDecimal(text string) Decimal {
	d, err := ParseDecimal(text)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports a zero (or unset) value.
func (d Decimal) IsZero() bool { return d.rat == nil || d.rat.Sign() == 0 }

// Rat is the exact value (a copy; zero when unset).
func (d Decimal) Rat() *big.Rat {
	if d.rat == nil {
		return new(big.Rat)
	}
	return new(big.Rat).Set(d.rat)
}

// String is the text as configured ("0" when unset).
func (d Decimal) String() string {
	if d.rat == nil {
		return "0"
	}
	return d.text
}

// Cmp compares two decimals.
func (d Decimal) Cmp(o Decimal) int { return d.Rat().Cmp(o.Rat()) }

// MarshalJSON writes the value as a JSON number in its configured text.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalJSON reads what MarshalJSON wrote (a JSON number), or a string.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	v, err := ParseDecimal(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Percent is amount × d / 100, rounded half-up: d read as a percentage.
func (d Decimal) Percent(amount Fen) Fen {
	r := d.Rat()
	r.Mul(r, new(big.Rat).SetInt64(int64(amount)))
	return RoundRat(r.Quo(r, big.NewRat(100, 1)))
}

// Times is amount × d rounded half-up: d read as a rate (cny_exrate).
func (d Decimal) Times(amount Fen) Fen {
	r := d.Rat()
	return RoundRat(r.Mul(r, new(big.Rat).SetInt64(int64(amount))))
}

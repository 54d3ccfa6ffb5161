// Package money reads and writes the amounts of seed 002's API and menu
// file. Inside posbridge money is integer fen (order.Fen); the API and the
// menu write yuan with two decimals, as JSON numbers (4.2, 28), as strings
// ("1.06") or as YAML scalars. Parsing works on the digits, never on floats.
package money

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/internal/textutil"
	"github.com/posbridge/posbridge/order"
)

// DecimalPlaces is the only scale posbridge supports: fen. The menu's
// decimal_places must be 2 because receipts, reports and the console all
// count in fen.
const DecimalPlaces = 2

// Limit bounds every amount (10^12 fen, ten billion yuan): anything larger is
// a typo or an attack, and products of such amounts still fit in int64.
const Limit order.Fen = 1_000_000_000_000

// ErrFormat is wrapped by every parse error.
var ErrFormat = errors.New("金额格式错误")

// Parse reads a non-negative amount in yuan ("4.2", "28", "12.600000000000001").
func Parse(text string) (order.Fen, error) { return parse(text, false) }

// ParseSigned reads an amount that may be negative, for the fields where a
// negative value means something (delivery_fee out of range, -1 sentinels).
func ParseSigned(text string) (order.Fen, error) { return parse(text, true) }

// parse implements the digest's §16.2 grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?
// with no exponent, no "+", no leading "."; more decimals than fen are
// accepted only as float noise within 0.001 fen of a whole fen.
func parse(text string, signed bool) (order.Fen, error) {
	s := strings.TrimSpace(text)
	neg := strings.HasPrefix(s, "-")
	if neg {
		if !signed {
			return 0, fmt.Errorf("%w：%q 不能是负数", ErrFormat, text)
		}
		s = s[1:]
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if !textutil.Digits(intPart) || (len(intPart) > 1 && intPart[0] == '0') || (hasPoint && !textutil.Digits(frac)) {
		return 0, fmt.Errorf("%w：%q 不是金额，请写成 12 或 12.50 这样的数字", ErrFormat, text)
	}
	if len(intPart) > 13 {
		return 0, fmt.Errorf("%w：%q 太大", ErrFormat, text)
	}
	whole, _ := strconv.ParseInt(intPart, 10, 64)
	v := whole * 100
	if len(frac) <= DecimalPlaces {
		f, _ := strconv.ParseInt((frac + "00")[:DecimalPlaces], 10, 64)
		v += f
	} else {
		// 12.600000000000001 is a JavaScript client's float noise: round it
		// when it lies within 0.001 fen of a whole fen, refuse 4.205.
		r, _ := new(big.Rat).SetString("0." + frac)
		r.Mul(r, big.NewRat(100, 1))
		n := new(big.Int).Quo(r.Num(), r.Denom()) // whole fen below
		rest := new(big.Rat).Sub(r, new(big.Rat).SetInt(n))
		tol := big.NewRat(1, 1000)
		switch {
		case rest.Cmp(tol) <= 0:
		case new(big.Rat).Sub(big.NewRat(1, 1), rest).Cmp(tol) <= 0:
			n.Add(n, big.NewInt(1))
		default:
			return 0, fmt.Errorf("%w：%q 最多两位小数", ErrFormat, text)
		}
		v += n.Int64()
	}
	if order.Fen(v) > Limit {
		return 0, fmt.Errorf("%w：%q 太大", ErrFormat, text)
	}
	if neg {
		v = -v
	}
	return order.Fen(v), nil
}

// Format writes fen as yuan with two decimals: 420 → "4.20", -100 → "-1.00".
func Format(f order.Fen) string { return f.Yuan() }

// HalfUp is a·num/den rounded half away from zero, with integers only: the
// rounding rule of every derived amount (percent discounts, tax, service fee,
// currency conversion), applied once per order amount.
func HalfUp(a order.Fen, num, den int64) order.Fen {
	r := new(big.Rat).SetInt64(int64(a))
	return RoundRat(r.Mul(r, big.NewRat(num, den)))
}

// RoundRat rounds an exact amount of fen half away from zero.
func RoundRat(r *big.Rat) order.Fen {
	n := new(big.Int).Abs(r.Num())
	d := r.Denom()
	q, m := new(big.Int).QuoRem(n, d, new(big.Int))
	if m.Lsh(m, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return order.Fen(q.Int64())
}

// Fen is order.Fen, named here so that signatures read naturally.
type Fen = order.Fen

package wechatpay

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// maxMinorUnits bounds amounts (10^12 minor units, the ordering digest's
// overflow guard).
const maxMinorUnits = 1_000_000_000_000

var ratePattern = regexp.MustCompile(`^(0|[1-9][0-9]*)(\.[0-9]+)?$`)

// isCNY reports whether the currency is CNY (the zero Currency is).
func (c Currency) isCNY() bool {
	code := strings.ToUpper(strings.TrimSpace(c.Code))
	return code == "" || code == "CNY" || code == "RMB"
}

// cnyConverter turns minor units of a menu currency into CNY fen.
type cnyConverter struct {
	rate  *big.Rat // CNY per major unit of the menu currency
	scale *big.Int // 10^decimal_places of the menu currency
}

func newCNYConverter(c Currency) (*cnyConverter, error) {
	if c.isCNY() {
		return nil, nil
	}
	if c.DecimalPlaces < 0 || c.DecimalPlaces > 4 {
		return nil, fmt.Errorf("currency %s: %d decimal places is not a currency's minor unit", c.Code, c.DecimalPlaces)
	}
	text := strings.TrimSpace(c.CNYRate)
	if !ratePattern.MatchString(text) {
		return nil, fmt.Errorf("currency %s: CNY rate %q is not a decimal number like 0.1218", c.Code, c.CNYRate)
	}
	rate, ok := new(big.Rat).SetString(text)
	if !ok || rate.Sign() <= 0 {
		return nil, fmt.Errorf("currency %s: CNY rate %q must be more than 0", c.Code, c.CNYRate)
	}
	return &cnyConverter{rate: rate, scale: new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(c.DecimalPlaces)), nil)}, nil
}

// fen converts minor units to CNY fen, rounding half up:
// fen = round(minor × rate × 100 / 10^dp), integers only.
func (cv *cnyConverter) fen(minor int64) int64 {
	if cv == nil {
		return minor
	}
	v := new(big.Rat).SetInt64(minor)
	v.Mul(v, cv.rate)
	v.Mul(v, big.NewRat(100, 1))
	v.Quo(v, new(big.Rat).SetInt(cv.scale))
	// half up for v >= 0: floor(v + 1/2)
	v.Add(v, big.NewRat(1, 2))
	q := new(big.Int).Quo(v.Num(), v.Denom())
	return q.Int64()
}

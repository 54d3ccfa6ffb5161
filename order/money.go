// Package order is the shared vocabulary of posbridge: orders, items, statuses,
// types and money. It holds pure types and their methods and does no I/O.
package order

import (
	"strconv"
)

// Fen is an amount of money in fen (1/100 yuan). Money is integer fen end to end;
// it is only formatted for printing and display.
type Fen int64

// String formats the amount as ￥12.50 with the full-width yen sign U+FFE5,
// because printers' GBK fonts lack U+00A5.
func (f Fen) String() string {
	neg := f < 0
	v := int64(f)
	if neg {
		v = -v
	}
	s := "￥" + strconv.FormatInt(v/100, 10) + "." + twoDigits(v%100)
	if neg {
		return "-" + s
	}
	return s
}

// Yuan formats the amount without the currency sign, e.g. "12.50".
func (f Fen) Yuan() string {
	neg := f < 0
	v := int64(f)
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v/100, 10) + "." + twoDigits(v%100)
	if neg {
		return "-" + s
	}
	return s
}

func twoDigits(v int64) string {
	if v < 10 {
		return "0" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}

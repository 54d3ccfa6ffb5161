package wechatpay

import "strconv"

// hundredths is a quantity in hundredths, written as a JSON number with at
// most two decimals and no trailing zeros (150 → 1.5, 200 → 2, 5 → 0.05):
// no float ever holds it.
type hundredths int64

func (h hundredths) MarshalJSON() ([]byte, error) {
	n := int64(h)
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n/100, 10)
	switch frac := n % 100; {
	case frac == 0:
	case frac%10 == 0:
		s += "." + strconv.FormatInt(frac/10, 10)
	default:
		s += "." + strconv.FormatInt(frac/10, 10) + strconv.FormatInt(frac%10, 10)
	}
	if neg {
		s = "-" + s
	}
	return []byte(s), nil
}

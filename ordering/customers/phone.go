// Package customers is the scan-to-order accounts of seed 002 §3, §4, §9,
// §10: SMS code logins with their limits, the JWT the page carries, WeChat
// and Facebook identities, delivery addresses. Accounts belong to one
// restaurant, as the seed's res_id says.
package customers

import (
	"errors"
	"regexp"
	"strings"
)

// ErrBadPhone is the seed's own wording for a number it cannot read.
var ErrBadPhone = errors.New("手機號碼格式錯誤")

var (
	mainland      = regexp.MustCompile(`^1[0-9]{10}$`)
	international = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

// NormalizePhone gives the stored form of seed §1.3: a leading +86 is
// stripped (mainland numbers are 11 digits without a country code), other
// international numbers keep their plus (E.164).
func NormalizePhone(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if rest, ok := strings.CutPrefix(s, "+86"); ok {
		s = rest
	}
	switch {
	case mainland.MatchString(s):
		return s, nil
	case international.MatchString(s):
		return s, nil
	}
	return "", ErrBadPhone
}

// MaskPhone keeps the last four digits, for logs and the console.
func MaskPhone(s string) string {
	if len(s) <= 4 {
		return "****"
	}
	return strings.Repeat("*", len(s)-4) + s[len(s)-4:]
}

package wechatpay

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanText makes free text acceptable to APIv3: only characters of one to
// three UTF-8 bytes (emoji and other runes past U+FFFF are dropped, with
// the joiners and variation selectors that only make sense inside an
// emoji), no control characters (line breaks become spaces), invalid bytes
// dropped, runs of spaces folded, and at most maxBytes bytes, cut between
// characters. The documents give String(N) without saying bytes or
// characters; N bytes fits both readings.
func cleanText(s string, maxBytes int) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			continue
		case r > 0xFFFF, isEmojiPart(r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return cutBytes(b.String(), maxBytes)
}

// isEmojiPart is a BMP rune that only joins or styles emoji: zero-width
// joiner, variation selectors, the keycap mark.
func isEmojiPart(r rune) bool {
	return r == 0x200D || (r >= 0xFE00 && r <= 0xFE0F) || r == 0x20E3
}

// cutBytes shortens s to at most n bytes without splitting a character;
// n <= 0 means no limit.
func cutBytes(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if i > n {
			break
		}
		cut = i
	}
	if _, size := utf8.DecodeRuneInString(s[cut:]); cut+size <= n {
		cut += size
	}
	return strings.TrimRight(s[:cut], " ")
}

// plainID reports whether an identifier can be sent as it is: not empty,
// at most maxBytes, printable ASCII without spaces. Identifiers are never
// cut or cleaned: a changed id would name another order.
func plainID(s string, maxBytes int) bool {
	if s == "" || len(s) > maxBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7F {
			return false
		}
	}
	return true
}

package document

// Layout works on encoded bytes because that is how the printer measures: a
// byte < 0x80 is one column, a two-byte GB character is two, whatever Unicode
// says about its width (`·` and `×` are two columns here).

// charLen is the length of the encoded character starting at b[i].
func charLen(b []byte, i int) int {
	if b[i] >= 0x81 && i+1 < len(b) {
		return 2
	}
	return 1
}

// NextLine finds the line of at most cols columns that starts at b[start]:
// it never splits a two-byte character, breaks ASCII words at a space when one
// is in the second half of the line, and drops the spaces at a break. The line
// is b[start:end]; the next one starts at next (== len(b) at the end).
func NextLine(b []byte, start, cols int) (end, next int) {
	if cols < 1 {
		cols = 1
	}
	i, lastSpace := start, -1
	for i < len(b) {
		n := charLen(b, i)
		if i-start+n > cols {
			break
		}
		if b[i] == ' ' {
			lastSpace = i
		}
		i += n
	}
	if i == start && i < len(b) { // a two-byte character on a one-column line: print it anyway
		i += charLen(b, i)
	}
	end, next = i, i
	if i < len(b) && isWordByte(b[i]) && isWordByte(b[i-1]) && lastSpace > start+(i-start)/2 {
		end, next = lastSpace, lastSpace+1
	}
	for end > start && b[end-1] == ' ' {
		end--
	}
	for next < len(b) && b[next] == ' ' {
		next++
	}
	return end, next
}

// breakAtSpace moves a line break found by NextLine back to the last space
// of the line when the break would fall inside a word or between two hanzi
// of one option; a line with no space keeps the break (it must).
func breakAtSpace(b []byte, start, end, next int) (int, int) {
	if next >= len(b) || b[next-1] == ' ' || end < next {
		return end, next // the end of the text, or already at a space
	}
	for i := end - 1; i > start; i-- {
		if b[i] == ' ' { // never a byte of a GB character: trail bytes are 0x40 and up
			e := i
			for e > start && b[e-1] == ' ' {
				e--
			}
			if e == start {
				break
			}
			n := i + 1
			for n < len(b) && b[n] == ' ' {
				n++
			}
			return e, n
		}
	}
	return end, next
}

// WrapLine is NextLine for a block: with hang, breaks at spaces.
func WrapLine(b []byte, start, cols, hang int) (end, next int) {
	end, next = NextLine(b, start, cols)
	if hang > 0 {
		end, next = breakAtSpace(b, start, end, next)
	}
	return end, next
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-' || c == '_'
}

// CutLine splits s at its first newline: the line (without CR) and the rest;
// found is false when s has no newline.
func CutLine(s string) (line, rest string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return trimCR(s[:i]), s[i+1:], true
		}
	}
	return trimCR(s), "", false
}

func trimCR(s string) string {
	if len(s) > 0 && s[len(s)-1] == '\r' {
		return s[:len(s)-1]
	}
	return s
}

// AppendSpaces appends n spaces.
func AppendSpaces(dst []byte, n int) []byte {
	for ; n > 0; n-- {
		dst = append(dst, ' ')
	}
	return dst
}

// AlignPadding is the left padding that aligns a line of width w in cols columns.
func AlignPadding(a Align, w, cols int) int {
	switch a {
	case AlignCenter:
		return max(0, (cols-w)/2)
	case AlignRight:
		return max(0, cols-w)
	}
	return 0
}

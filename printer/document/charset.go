package document

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Charset encodes text for a printer whose resident font holds one of the
// Chinese double-byte sets. Only ASCII and the set's two-byte characters ever
// reach the printer: anything else (emoji in a customer's note, CJK Ext-B
// characters, U+00A5) is replaced rune by rune, because the four-byte GB18030
// sequences print as junk and x/text's own replacement emits the control byte
// 0x1A. The encoded length is also the layout width: one column per byte.
type Charset struct {
	name  string
	table *[65536]uint16 // rune → two-byte code; 0 = not in the set
}

// Replacement is printed for a character the printer's font does not hold:
// □ (A1F5), two columns like the characters it usually stands for.
const Replacement = '□'

const (
	CharsetGBK     = "gbk"
	CharsetGB2312  = "gb2312"
	CharsetGB18030 = "gb18030"
)

var (
	charsetOnce   [3]sync.Once
	charsetTables [3]*[65536]uint16
	decodeOnce    sync.Once
	decodeTable   []rune // (lead-0x81)*191 + (trail-0x40) → rune, GB18030 two-byte
)

// CharsetByName returns the charset named in a printer's config ("" = gbk).
func CharsetByName(name string) (*Charset, error) {
	var idx int
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", CharsetGBK:
		idx, name = 0, CharsetGBK
	case CharsetGB2312:
		idx, name = 1, CharsetGB2312
	case CharsetGB18030:
		idx, name = 2, CharsetGB18030
	default:
		return nil, fmt.Errorf("charset %q is not supported: use gbk, gb2312 or gb18030 (what the printer's font holds)", name)
	}
	charsetOnce[idx].Do(func() { charsetTables[idx] = buildTable(idx) })
	return &Charset{name: name, table: charsetTables[idx]}, nil
}

// MustCharset is CharsetByName for names known to be valid.
func MustCharset(name string) *Charset {
	c, err := CharsetByName(name)
	if err != nil {
		panic(err)
	}
	return c
}

// Name is the config name of the charset.
func (c *Charset) Name() string { return c.name }

// buildTable decodes every two-byte code of the set once. Decoding (rather than
// encoding every rune) guarantees that what we send decodes back to the rune.
func buildTable(idx int) *[65536]uint16 {
	dec := gb18030TwoByte()
	t := new([65536]uint16)
	leadLo, leadHi, trailLo := byte(0x81), byte(0xFE), byte(0x40)
	if idx == 1 { // GB2312 as EUC-CN: both bytes A1–FE, rows up to F7
		leadLo, leadHi, trailLo = 0xA1, 0xF7, 0xA1
	}
	for lead := int(leadLo); lead <= int(leadHi); lead++ {
		for trail := int(trailLo); trail <= 0xFE; trail++ {
			if trail == 0x7F {
				continue
			}
			r := dec[(lead-0x81)*191+(trail-0x40)]
			if r == 0 || r == utf8.RuneError || r < 0x80 || r > 0xFFFF || isPrivateUse(r) {
				continue
			}
			if t[r] == 0 {
				t[r] = uint16(lead)<<8 | uint16(trail)
			}
		}
	}
	return t
}

// gb18030TwoByte is the decode table of all two-byte GB18030 codes.
func gb18030TwoByte() []rune {
	decodeOnce.Do(func() {
		d := simplifiedchinese.GB18030.NewDecoder()
		tbl := make([]rune, 126*191)
		var buf [2]byte
		var out [8]byte
		for lead := 0x81; lead <= 0xFE; lead++ {
			for trail := 0x40; trail <= 0xFE; trail++ {
				if trail == 0x7F {
					continue
				}
				buf[0], buf[1] = byte(lead), byte(trail)
				d.Reset()
				n, _, err := d.Transform(out[:], buf[:], true)
				if err != nil || n == 0 {
					continue
				}
				r, size := utf8.DecodeRune(out[:n])
				if size != n {
					continue
				}
				tbl[(lead-0x81)*191+(trail-0x40)] = r
			}
		}
		decodeTable = tbl
	})
	return decodeTable
}

// DecodeGB decodes a two-byte GB18030 code; ok is false for codes that are not
// two-byte characters (the virtual printer shows those as junk).
func DecodeGB(lead, trail byte) (rune, bool) {
	if lead < 0x81 || lead > 0xFE || trail < 0x40 || trail > 0xFE || trail == 0x7F {
		return 0, false
	}
	r := gb18030TwoByte()[(int(lead)-0x81)*191+(int(trail)-0x40)]
	return r, r != 0
}

func isPrivateUse(r rune) bool { return r >= 0xE000 && r <= 0xF8FF }

// fold maps characters that have a printable stand-in, and drops invisible
// ones (emoji joiners and variation selectors) so that one emoji gives one □.
// ok false = drop the rune.
func fold(r rune) (rune, bool) {
	switch {
	case r == 0xA5: // ¥ is four bytes in GB18030; money uses ￥
		return '￥', true
	case r == 0xA0, r == 0x2028, r == 0x2029:
		return ' ', true
	case r < 0x20, r == 0x7F, r >= 0x80 && r < 0xA0:
		return 0, false // control characters never reach the printer
	case r == 0x200B, r == 0x200C, r == 0x200D, r == 0x2060, r == 0xFEFF:
		return 0, false
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return 0, false
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin tones
		return 0, false
	case r >= 0xE0000 && r <= 0xE007F: // tag characters (flag sequences)
		return 0, false
	}
	return r, true
}

// Lookup returns the bytes of r in this charset (1 for ASCII, 2 otherwise);
// n is 0 when the rune has no code in the set.
func (c *Charset) Lookup(r rune) (code uint16, n int) {
	if r < 0x80 {
		if r < 0x20 || r == 0x7F {
			return 0, 0
		}
		return uint16(r), 1
	}
	if r > 0xFFFF {
		return 0, 0
	}
	if v := c.table[r]; v != 0 {
		return v, 2
	}
	return 0, 0
}

// Append encodes s onto dst, replacing every rune the set lacks. Line breaks
// are the layout's business: a newline here becomes a space.
func (c *Charset) Append(dst []byte, s string) []byte {
	prevJoin, prevRI := false, false
	for i := 0; i < len(s); {
		r := rune(s[i])
		if r < 0x80 {
			i++
			if r >= 0x20 && r != 0x7F {
				dst = append(dst, byte(r))
				prevJoin, prevRI = false, false
				continue
			}
			if r == '\n' || r == '\t' || r == '\r' {
				if r != '\r' {
					dst = append(dst, ' ')
				}
			}
			continue
		}
		var size int
		r, size = utf8.DecodeRuneInString(s[i:])
		i += size
		if r == 0x200D {
			prevJoin = true
			continue
		}
		f, keep := fold(r)
		if !keep {
			continue
		}
		if code, n := c.Lookup(f); n == 2 {
			dst = append(dst, byte(code>>8), byte(code))
			prevJoin, prevRI = false, false
			continue
		} else if n == 1 {
			dst = append(dst, byte(code))
			prevJoin, prevRI = false, false
			continue
		}
		isRI := r >= 0x1F1E6 && r <= 0x1F1FF
		if prevJoin || (isRI && prevRI) {
			// second half of a joined emoji or of a flag: already shown as one □
			prevJoin, prevRI = false, false
			continue
		}
		dst = append(dst, 0xA1, 0xF5) // □, present in GB2312 and up
		prevJoin, prevRI = false, isRI
	}
	return dst
}

// Encode is Append onto a new slice.
func (c *Charset) Encode(s string) []byte { return c.Append(make([]byte, 0, len(s)), s) }

// Width is the number of columns s takes on the printer: its encoded length.
func (c *Charset) Width(s string) int {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7F {
			ascii = false
			break
		}
	}
	if ascii {
		return len(s)
	}
	return len(c.Append(nil, s))
}

// Printable is s as the printer will show it, with replacements applied; the
// console uses it to preview what a customer's note will look like on paper.
func (c *Charset) Printable(s string) string {
	b := c.Append(nil, s)
	var sb strings.Builder
	for i := 0; i < len(b); i++ {
		if b[i] < 0x80 {
			sb.WriteByte(b[i])
			continue
		}
		if i+1 < len(b) {
			if r, ok := DecodeGB(b[i], b[i+1]); ok {
				sb.WriteRune(r)
			}
		}
		i++
	}
	return sb.String()
}

package document

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

func TestCharsetChineseRoundTrip(t *testing.T) {
	for _, name := range []string{"gbk", "gb2312", "gb18030"} {
		cs := MustCharset(name)
		in := "珍珠奶茶(大杯) 少冰·半糖 ×2 ￥12.50 取餐号A023"
		enc := cs.Encode(in)
		if got := decodeForTest(enc); got != in {
			t.Errorf("%s: round trip %q → % X → %q", name, in, enc, got)
		}
	}
}

func TestCharsetReplacesWhatThePrinterLacks(t *testing.T) {
	cases := []struct {
		charset, in, want string
	}{
		{"gb2312", "朱镕基", "朱□基"},     // 镕 is GBK, not GB2312
		{"gbk", "朱镕基", "朱镕基"},        // …but GBK has it
		{"gbk", "𠮷野家", "□野家"},        // CJK Ext-B: four bytes in GB18030
		{"gb18030", "𠮷野家", "□野家"},    // the printer font holds two-byte codes only
		{"gb2312", "少冰😀谢谢", "少冰□谢谢"}, // emoji in a customer's note
		{"gbk", "赞👍🏻", "赞□"},         // skin tone modifier gives no second □
		{"gbk", "爱❤️", "爱□"},         // variation selector dropped
		{"gbk", "家👨‍👩‍👧", "家□"},      // ZWJ family sequence: one □
		{"gbk", "🇨🇳加油", "□加油"},       // a flag: one □
		{"gbk", "¥12", "￥12"},        // U+00A5 is four bytes: money is ￥
		{"gbk", "a\x1ab\x00c\x07d\u0085e", "abcde"},
		{"gbk", "tab\there", "tab here"},
		{"gbk", "\uE000私用", "□私用"}, // private use never reaches the font
	}
	for _, c := range cases {
		cs := MustCharset(c.charset)
		enc := cs.Encode(c.in)
		assertPrintable(t, enc)
		if got := decodeForTest(enc); got != c.want {
			t.Errorf("%s %q: got %q, want %q", c.charset, c.in, got, c.want)
		}
		if cs.Printable(c.in) != c.want {
			t.Errorf("%s Printable(%q) = %q, want %q", c.charset, c.in, cs.Printable(c.in), c.want)
		}
		if w := cs.Width(c.in); w != len(enc) {
			t.Errorf("%s Width(%q) = %d, encoded %d bytes", c.charset, c.in, w, len(enc))
		}
	}
}

func TestCharsetWidthIsEncodedBytes(t *testing.T) {
	cs := MustCharset("gbk")
	for s, want := range map[string]int{"·": 2, "×": 2, "—": 2, "①": 2, "￥": 2, "a": 1, "奶茶": 4, "x2": 2} {
		if got := cs.Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}

// Every rune of the BMP and a sample beyond it encodes to printable bytes only.
func TestCharsetNeverEmitsControlBytes(t *testing.T) {
	for _, name := range []string{"gbk", "gb2312", "gb18030"} {
		cs := MustCharset(name)
		var buf []byte
		for r := rune(0); r < 0x10FFFF; r++ {
			if r > 0xFFFF && r%97 != 0 {
				continue
			}
			if !utf8.ValidRune(r) {
				continue
			}
			buf = cs.Append(buf[:0], string(r))
			assertPrintable(t, buf)
			if len(buf) > 2 {
				t.Fatalf("%s: U+%04X encodes to %d bytes", name, r, len(buf))
			}
		}
	}
}

func TestCharsetByNameRejectsUnknown(t *testing.T) {
	if _, err := CharsetByName("big5"); err == nil {
		t.Fatal("big5 must be refused")
	}
	if cs, err := CharsetByName(""); err != nil || cs.Name() != "gbk" {
		t.Fatalf("default charset = %v, %v", cs, err)
	}
}

func assertPrintable(t *testing.T, b []byte) {
	t.Helper()
	if bytes.IndexByte(b, 0x1A) >= 0 {
		t.Fatalf("0x1A in % X", b)
	}
	for i := 0; i < len(b); i++ {
		if b[i] < 0x20 || b[i] == 0x7F || b[i] == 0x80 || b[i] == 0xFF {
			t.Fatalf("stray byte %02X at %d in % X", b[i], i, b)
		}
		if b[i] >= 0x81 {
			if i+1 >= len(b) {
				t.Fatalf("lead byte at end of % X", b)
			}
			if _, ok := DecodeGB(b[i], b[i+1]); !ok {
				t.Fatalf("% X at %d is not a two-byte character", b[i:i+2], i)
			}
			i++
		}
	}
}

func decodeForTest(b []byte) string {
	var out []rune
	for i := 0; i < len(b); i++ {
		if b[i] < 0x80 {
			out = append(out, rune(b[i]))
			continue
		}
		r, _ := DecodeGB(b[i], b[i+1])
		out = append(out, r)
		i++
	}
	return string(out)
}

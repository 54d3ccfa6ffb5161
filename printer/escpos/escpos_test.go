package escpos

import (
	"bytes"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/document"
)

func profile(t testing.TB, pc config.PrinterConfig) document.Profile {
	t.Helper()
	if pc.Name == "" {
		pc.Name = "test"
	}
	p, err := document.ProfileFromConfig(pc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func render(t testing.TB, d document.Document, p document.Profile) []byte {
	t.Helper()
	b, err := Append(nil, d, p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCode128SetCMatchesSpecExample(t *testing.T) {
	p := profile(t, config.PrinterConfig{Paper: "80mm"})
	out := render(t, document.Document{Blocks: []document.Block{document.Barcode("20240501")}}, p)
	want := []byte{0x1D, 0x6B, 0x49, 0x06, 0x7B, 0x43, 0x14, 0x18, 0x05, 0x01}
	if !bytes.Contains(out, want) {
		t.Fatalf("barcode bytes % X do not contain % X", out, want)
	}
}

func TestCode128Payloads(t *testing.T) {
	cases := []struct {
		in   string
		want []byte
	}{
		{"123", []byte{'{', 'C', 12, '{', 'B', '3'}},  // odd: pairs in C, last digit in B
		{"7", []byte{'{', 'B', '7'}},                  // one digit
		{"A{1", []byte{'{', 'B', 'A', '{', '{', '1'}}, // literal brace
		{"AB123456CD", []byte{'{', 'B', 'A', 'B', '{', 'C', 12, 34, 56, '{', 'B', 'C', 'D'}},
		{"AB12", []byte{'{', 'B', 'A', 'B', '1', '2'}}, // short run stays in B
	}
	for _, c := range cases {
		got, _, ok := document.Code128Payload(nil, c.in)
		if !ok || !bytes.Equal(got, c.want) {
			t.Errorf("%q: % X (ok %v), want % X", c.in, got, ok, c.want)
		}
		if back := document.DecodeCode128Payload(got); back != c.in {
			t.Errorf("%q decodes back as %q", c.in, back)
		}
	}
	if _, _, ok := document.Code128Payload(nil, "奶茶"); ok {
		t.Error("non-ASCII must not encode as Code128")
	}
}

// On 58 mm paper a 23-digit order code does not fit at a scannable module
// width: the barcode is left out (the QR code carries the code). It fits 80 mm.
func TestBarcodeOnlyWhereItFits(t *testing.T) {
	code := "20240501123456789012345"
	p58 := profile(t, config.PrinterConfig{Paper: "58mm"})
	p80 := profile(t, config.PrinterConfig{Paper: "80mm"})
	d := document.Document{Blocks: []document.Block{document.Barcode(code)}}
	if out := render(t, d, p58); bytes.Contains(out, []byte{0x1D, 0x6B}) {
		t.Errorf("58 mm got a barcode: % X", out)
	}
	out := render(t, d, p80)
	if !bytes.Contains(out, []byte{0x1D, 0x6B, 0x49}) || !bytes.Contains(out, []byte{0x1D, 0x77, 0x02}) {
		t.Errorf("80 mm must print it at module width 2: % X", out)
	}
	// 24 digits still fit 58 mm at width 2 (spec table)
	if out := render(t, document.Document{Blocks: []document.Block{document.Barcode(code + "6")}}, p58); !bytes.Contains(out, []byte{0x1D, 0x77, 0x02}) {
		t.Errorf("24 digits must fit 58 mm: % X", out)
	}
	// 18 digits on 80 mm: module width 3
	if out := render(t, document.Document{Blocks: []document.Block{document.Barcode("202405011234567890")}}, p80); !bytes.Contains(out, []byte{0x1D, 0x77, 0x03}) {
		t.Errorf("18 digits on 80 mm must use width 3: % X", out)
	}
}

func TestKanjiModeAfterEveryInit(t *testing.T) {
	p := profile(t, config.PrinterConfig{Copies: 3})
	out := render(t, document.Document{Blocks: []document.Block{document.Text("你好", document.Style{}), document.Cut()}}, p)
	inits := bytes.Count(out, cmdInit)
	if inits != 3 {
		t.Fatalf("%d ESC @ for 3 copies", inits)
	}
	for i := 0; i < len(out)-1; i++ {
		if out[i] == 0x1B && out[i+1] == 0x40 && !bytes.HasPrefix(out[i+2:], cmdKanjiOn) {
			t.Fatalf("ESC @ at %d not followed by FS &: % X", i, out)
		}
	}
}

func TestNativeQRStoreBytes(t *testing.T) {
	p := profile(t, config.PrinterConfig{})
	out := render(t, document.Document{Blocks: []document.Block{document.QR("A023")}}, p)
	store := []byte{0x1D, 0x28, 0x6B, 0x07, 0x00, 0x31, 0x50, 0x30, 0x41, 0x30, 0x32, 0x33}
	if !bytes.Contains(out, store) {
		t.Fatalf("% X lacks the spec's store bytes", out)
	}
	if !bytes.Contains(out, []byte{0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30}) {
		t.Fatal("no print-symbol command")
	}
}

func TestRowsMeasureEncodedBytes(t *testing.T) {
	p := profile(t, config.PrinterConfig{Paper: "58mm"})
	// "·" and "×" are two columns each: the right column must end at column 32
	out := render(t, document.Document{Blocks: []document.Block{document.Row("奶茶·大杯", "×2", document.Style{})}}, p)
	line := lineContaining(t, out, "×2")
	if len(line) != 32 {
		t.Fatalf("row is %d columns, want 32: %q", len(line), decodeForTest(line))
	}
}

func TestWrapNeverSplitsACharacter(t *testing.T) {
	p := profile(t, config.PrinterConfig{Paper: "58mm"})
	name := "a超级无敌好喝的芝士葡萄多多冰沙加珍珠加椰果加布丁"
	out := render(t, document.Document{Blocks: []document.Block{document.Row(name, "￥32.00", document.Style{})}}, p)
	body := out[len(cmdInit)+len(cmdKanjiOn):]
	var joined []byte
	for _, l := range bytes.Split(bytes.TrimRight(body, "\n"), []byte("\n")) {
		assertPrintable(t, l) // a split character would leave a lone lead byte
		if len(l) > 32 {
			t.Fatalf("line of %d columns", len(l))
		}
		joined = append(joined, l...)
	}
	got := strings.ReplaceAll(strings.Replace(decodeForTest(joined), "￥32.00", "", 1), " ", "")
	if got != name {
		t.Fatalf("text lost: %q", got)
	}
}

func lineContaining(t *testing.T, out []byte, s string) []byte {
	t.Helper()
	enc := document.MustCharset("gbk").Encode(s)
	out = bytes.TrimPrefix(out, append(append([]byte{}, cmdInit...), cmdKanjiOn...))
	for _, l := range bytes.Split(out, []byte("\n")) {
		if bytes.Contains(l, enc) {
			return l
		}
	}
	t.Fatalf("no line with %q in % X", s, out)
	return nil
}

// assertPrintable and decodeForTest read the encoded text back as document's charset tests do.
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
			if _, ok := document.DecodeGB(b[i], b[i+1]); !ok {
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
		r, _ := document.DecodeGB(b[i], b[i+1])
		out = append(out, r)
		i++
	}
	return string(out)
}

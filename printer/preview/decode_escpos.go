package preview

import (
	"strings"
	"unicode/utf8"

	"github.com/posbridge/posbridge/printer/document"
)

// Decode turns bytes sent to a printer back into a preview. It understands
// the ESC/POS and TSPL that posbridge emits, steps over commands it does not
// know, and never panics on garbage (FuzzDecode).
func Decode(language string, data []byte) Preview {
	if strings.EqualFold(language, document.LangTSPL) {
		return decodeTSPL(data)
	}
	return decodeESCPOS(data)
}

// DecodeFor decodes with the printer's column count, so Text aligns as on paper.
func DecodeFor(p document.Profile, data []byte) Preview {
	pv := Decode(p.Language, data)
	pv.Columns = p.Columns
	return pv
}

// escposDecoder is a small ESC/POS interpreter. Like a strict printer, it
// leaves Kanji mode after ESC @: text sent without FS & decodes as junk, which
// is what the tests want to see.
type escposDecoder struct {
	d       []byte
	i       int
	pv      Preview
	kanji   bool
	st      document.Style
	line    strings.Builder
	pending bool // line has content
	lineSt  document.Style
	qrData  string
	qrSet   bool
	// geometry of native codes, for the picture preview
	qrModule, barHeight, barModule int
}

func decodeESCPOS(data []byte) Preview {
	x := escposDecoder{d: data, pv: Preview{Language: document.LangESCPOS, Columns: 48}}
	x.codeDefaults()
	x.run()
	x.flush(false)
	return x.pv
}

// has reports whether n more bytes follow position i.
func (x *escposDecoder) has(n int) bool { return x.i+n <= len(x.d) }

func (x *escposDecoder) at(k int) byte { return x.d[x.i+k] }

func (x *escposDecoder) add(l PreviewLine) { x.pv.Lines = append(x.pv.Lines, l) }

// flush ends the current line; force emits an empty line too (LF on nothing).
func (x *escposDecoder) flush(force bool) {
	if !x.pending && !force {
		return
	}
	st := x.lineSt
	if !x.pending {
		st = x.st
	}
	x.add(PreviewLine{Kind: LineText, Text: strings.TrimRight(x.line.String(), " "), Style: st})
	x.line.Reset()
	x.pending = false
}

func (x *escposDecoder) char(s string) {
	if !x.pending {
		x.lineSt = x.st
		x.pending = true
	}
	x.line.WriteString(s)
}

func (x *escposDecoder) reset() {
	x.flush(false)
	x.kanji = false
	x.st = document.Style{}
	x.qrSet = false
	x.codeDefaults()
}

// codeDefaults are a printer's QR module and barcode sizes after ESC @
// (the ESC/POS manual's defaults: QR module 3, GS h 162, GS w 3).
func (x *escposDecoder) codeDefaults() {
	x.qrModule, x.barHeight, x.barModule = 3, 162, 3
}

func (x *escposDecoder) run() {
	for x.i < len(x.d) {
		c := x.d[x.i]
		switch {
		case c == 0x0A:
			x.flush(true)
			x.i++
		case c == 0x10:
			x.dle()
		case c == 0x1B:
			x.esc()
		case c == 0x1C:
			x.fs()
		case c == 0x1D:
			x.gs()
		case c < 0x20 || c == 0x7F:
			x.i++ // CR, HT and other controls print nothing here
		case c < 0x80:
			x.char(string(rune(c)))
			x.i++
		default:
			if x.kanji && x.has(2) {
				if r, ok := document.DecodeGB(c, x.at(1)); ok {
					x.char(string(r))
					x.i += 2
					continue
				}
			}
			x.char("?") // what a code-page printer shows for a stray high byte
			x.i++
		}
	}
}

func (x *escposDecoder) skip(n int) {
	x.i = min(len(x.d), x.i+n)
}

func (x *escposDecoder) dle() {
	if !x.has(2) {
		x.skip(1)
		return
	}
	switch x.at(1) {
	case 0x04, 0x05: // DLE EOT n, DLE ENQ n
		x.skip(3)
	case 0x14: // DLE DC4 fn m t
		if x.has(3) && x.at(2) == 1 {
			x.flush(false)
			x.add(PreviewLine{Kind: LineDrawer})
		}
		x.skip(5)
	default:
		x.skip(1)
	}
}

func (x *escposDecoder) esc() {
	if !x.has(2) {
		x.skip(1)
		return
	}
	cmd := x.at(1)
	arg := func(k int) byte {
		if x.has(2 + k + 1) {
			return x.at(2 + k)
		}
		return 0
	}
	switch cmd {
	case '@':
		x.reset()
		x.skip(2)
	case 'E', 'G':
		x.st.Bold = arg(0)&1 == 1
		x.skip(3)
	case '-':
		x.st.Underline = arg(0)&3 != 0
		x.skip(3)
	case '!':
		n := arg(0)
		x.st.Bold = n&0x08 != 0
		x.st.Height, x.st.Width = 1+int(n>>4&1), 1+int(n>>5&1)
		x.st.Underline = n&0x80 != 0
		x.skip(3)
	case 'a':
		switch arg(0) {
		case 1, '1':
			x.st.Align = document.AlignCenter
		case 2, '2':
			x.st.Align = document.AlignRight
		default:
			x.st.Align = document.AlignLeft
		}
		x.skip(3)
	case 'd':
		x.flush(false)
		x.add(PreviewLine{Kind: LineFeed, Count: int(arg(0))})
		x.skip(3)
	case 'B':
		x.flush(false)
		x.add(PreviewLine{Kind: LineBeep, Count: int(arg(0))})
		x.skip(4)
	case 'p':
		x.flush(false)
		x.add(PreviewLine{Kind: LineDrawer})
		x.skip(5)
	case 'i', 'm':
		x.flush(false)
		x.add(PreviewLine{Kind: LineCut})
		x.skip(2)
	case '*': // ESC * m nL nH d…: bit image columns
		if !x.has(5) {
			x.skip(len(x.d))
			return
		}
		n := int(x.at(3)) | int(x.at(4))<<8
		if x.at(2) >= 32 {
			n *= 3
		}
		x.skip(5 + n)
	case 'D': // tab positions up to NUL
		j := x.i + 2
		for j < len(x.d) && x.d[j] != 0 {
			j++
		}
		x.i = min(len(x.d), j+1)
	case '$', '\\':
		x.skip(4)
	case 'c':
		x.skip(4)
	case '2', '<', '=', 'L', 'S', 'F', 'H':
		x.skip(2)
	case '3', 'J', 'M', 't', 'R', 'r', 'U', 'V', '{', ' ', 'T', 'K':
		x.skip(3)
	default:
		x.pv.Skipped++
		x.skip(2)
	}
}

func (x *escposDecoder) fs() {
	if !x.has(2) {
		x.skip(1)
		return
	}
	switch x.at(1) {
	case '&':
		x.kanji = true
		x.skip(2)
	case '.':
		x.kanji = false
		x.skip(2)
	case '-':
		if x.has(3) {
			x.st.Underline = x.at(2)&3 != 0
		}
		x.skip(3)
	case '!', 'C', 'W':
		x.skip(3)
	case 'S', 'p':
		x.skip(4)
	case '(':
		x.skipLen16(3)
	default:
		x.pv.Skipped++
		x.skip(2)
	}
}

// skipLen16 skips a command whose pL pH length sits at offset off.
func (x *escposDecoder) skipLen16(off int) {
	if !x.has(off + 2) {
		x.skip(len(x.d))
		return
	}
	n := int(x.at(off)) | int(x.at(off+1))<<8
	x.skip(off + 2 + n)
}

func (x *escposDecoder) gs() {
	if !x.has(2) {
		x.skip(1)
		return
	}
	cmd := x.at(1)
	arg := func(k int) byte {
		if x.has(2 + k + 1) {
			return x.at(2 + k)
		}
		return 0
	}
	switch cmd {
	case '!':
		n := arg(0)
		x.st.Width, x.st.Height = 1+int(n>>4&7), 1+int(n&7)
		x.skip(3)
	case 'B':
		x.st.Invert = arg(0)&1 == 1
		x.skip(3)
	case 'V':
		x.flush(false)
		x.add(PreviewLine{Kind: LineCut})
		switch arg(0) {
		case 0, 1, '0', '1':
			x.skip(3)
		default:
			x.skip(4)
		}
	case 0x0C: // GS FF
		x.flush(false)
		x.add(PreviewLine{Kind: LineLabel})
		x.skip(2)
	case 'k':
		x.barcode()
	case 'v':
		x.rasterImage()
	case '(':
		if x.has(3) && x.at(2) == 'k' {
			x.qr()
			return
		}
		x.skipLen16(3)
	case '8':
		// GS 8 L p1 p2 p3 p4: 32-bit length
		if !x.has(7) {
			x.skip(len(x.d))
			return
		}
		n := int(x.at(3)) | int(x.at(4))<<8 | int(x.at(5))<<16 | int(x.at(6))<<24
		if n < 0 || n > len(x.d) {
			n = len(x.d)
		}
		x.skip(7 + n)
	case 'h':
		x.barHeight = max(1, int(arg(0)))
		x.skip(3)
	case 'w':
		x.barModule = min(max(1, int(arg(0))), 6)
		x.skip(3)
	case 'H', 'f', 'r', 'a', 'I', 'b', 'E', 'j':
		x.skip(3)
	case 'L', 'W', 'P', '$', '\\':
		x.skip(4)
	default:
		x.pv.Skipped++
		x.skip(2)
	}
}

func (x *escposDecoder) barcode() {
	if !x.has(3) {
		x.skip(len(x.d))
		return
	}
	m := x.at(2)
	x.flush(false)
	if m <= 6 { // function A: data up to NUL
		j := x.i + 3
		for j < len(x.d) && x.d[j] != 0 {
			j++
		}
		x.add(PreviewLine{Kind: LineBarcode, Data: string(x.d[x.i+3 : j]), Style: document.Style{Align: x.st.Align}, H: x.barHeight, Module: x.barModule})
		x.i = min(len(x.d), j+1)
		return
	}
	if !x.has(4) {
		x.skip(len(x.d))
		return
	}
	n := int(x.at(3))
	end := min(len(x.d), x.i+4+n)
	data := x.d[x.i+4 : end]
	text := string(data)
	if m == 73 {
		text = document.DecodeCode128Payload(data)
	}
	x.add(PreviewLine{Kind: LineBarcode, Data: text, Style: document.Style{Align: x.st.Align}, H: x.barHeight, Module: x.barModule})
	x.i = end
}

func (x *escposDecoder) rasterImage() {
	// GS v 0 m xL xH yL yH d…
	if !x.has(8) {
		x.skip(len(x.d))
		return
	}
	stride := int(x.at(4)) | int(x.at(5))<<8
	rows := int(x.at(6)) | int(x.at(7))<<8
	n := stride * rows
	end := min(len(x.d), x.i+8+n)
	x.flush(false)
	if stride > 0 && rows > 0 && end-(x.i+8) == n && stride*8 <= document.MaxRasterDots {
		r := &document.Raster{Width: stride * 8, Height: rows, Bits: append([]byte(nil), x.d[x.i+8:end]...)}
		// consecutive bands of one image join into one picture
		if k := len(x.pv.Lines) - 1; k >= 0 && x.pv.Lines[k].Kind == LineImage && x.pv.Lines[k].Image != nil &&
			x.pv.Lines[k].Image.Width == r.Width && x.pv.Lines[k].Image.Height+rows <= document.MaxRasterDots {
			prev := x.pv.Lines[k].Image
			prev.Bits = append(prev.Bits, r.Bits...)
			prev.Height += rows
			x.pv.Lines[k].H = prev.Height
		} else {
			x.add(PreviewLine{Kind: LineImage, Image: r, W: r.Width, H: rows})
		}
	}
	x.i = end
}

// qr handles GS ( k: it remembers stored QR data and shows it when printed.
func (x *escposDecoder) qr() {
	if !x.has(7) {
		x.skip(len(x.d))
		return
	}
	n := int(x.at(3)) | int(x.at(4))<<8
	end := min(len(x.d), x.i+5+n)
	cn, fn := x.at(5), x.at(6)
	if cn == 0x31 {
		switch fn {
		case 0x43: // module size
			if x.i+7 < end {
				x.qrModule = min(max(1, int(x.d[x.i+7])), 16)
			}
		case 0x50: // store: cn fn m d…
			if x.i+8 <= end {
				x.qrData = string(x.d[x.i+8 : end])
				x.qrSet = true
			}
		case 0x51: // print
			x.flush(false)
			data := x.qrData
			if !x.qrSet || !utf8.ValidString(data) {
				data = strings.ToValidUTF8(data, "?")
			}
			x.add(PreviewLine{Kind: LineQR, Data: data, Style: document.Style{Align: x.st.Align}, Module: x.qrModule})
		}
	}
	x.i = end
}

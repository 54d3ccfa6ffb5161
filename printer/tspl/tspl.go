// Package tspl encodes a document as TSPL commands for label printers: one
// label per cut, text in the printer's Chinese font, a QR code in the corner.
package tspl

import (
	"strconv"

	"github.com/posbridge/posbridge/printer/document"
)

// TSPL labels are laid out top to bottom in the Chinese font TSS24.BF2
// (24×24 dots per hanzi, 12×24 per ASCII character). A QR code goes in the
// bottom-right corner and the text lines beside it wrap short of it.

const (
	tsplFont      = "TSS24.BF2"
	tsplCharDots  = 12 // one column (one encoded byte) at ×1
	tsplLineGap   = 8  // dots between lines at ×1
	tsplTopMargin = 12
	tsplMaxMul    = 3 // larger text leaves no room on a cup label
)

type tspl struct {
	p        document.Profile
	out      []byte
	scratch  []byte
	w, h     int // label size in dots
	side     int // left and right margin
	dx, dy   int // shift of every coordinate for negative offsets
	qrX, qrY int // reserved corner of the QR code; qrX = w when none
}

// Append encodes d as TSPL label commands for printer p onto dst.
func Append(dst []byte, d document.Document, p document.Profile) ([]byte, error) {
	if err := document.CheckRenderable(d, p); err != nil {
		return dst, err
	}
	g := p.Label
	t := tspl{p: p, out: dst, w: g.WidthDots(), h: g.HeightDots()}
	t.side = int(2*g.DotsPerMM() + 0.5)
	copies := d.Copies
	if copies <= 0 {
		copies = max(1, p.Copies)
	}
	t.header()
	for _, label := range labelsOf(d.MarkedBlocks()) {
		t.label(label, copies)
	}
	return t.out, nil
}

// labelsOf splits blocks at Cut blocks; a document without Cut is one label.
func labelsOf(blocks []document.Block) [][]document.Block {
	d := document.Document{Blocks: blocks}
	return d.Labels()
}

func (t *tspl) cmd(parts ...string) {
	for _, s := range parts {
		t.out = append(t.out, s...)
	}
	t.out = append(t.out, '\r', '\n')
}

func (t *tspl) header() {
	g := t.p.Label
	t.cmd("SIZE ", strconv.Itoa(g.WidthMM), " mm,", strconv.Itoa(g.HeightMM), " mm")
	if g.BlackMark {
		t.cmd("BLINE ", strconv.Itoa(g.GapMM), " mm,0 mm")
	} else {
		t.cmd("GAP ", strconv.Itoa(g.GapMM), " mm,0 mm")
	}
	t.cmd("DIRECTION 1,0")
	// REFERENCE takes no negative origin: negative offsets move every item instead
	t.cmd("REFERENCE ", strconv.Itoa(max(0, g.OffsetX)), ",", strconv.Itoa(max(0, g.OffsetY)))
	t.dx, t.dy = min(0, g.OffsetX), min(0, g.OffsetY)
}

func (t *tspl) xy(x, y int) string {
	return strconv.Itoa(max(0, x+t.dx)) + "," + strconv.Itoa(max(0, y+t.dy))
}

// qrCell is the QR module size on labels: 3 dots at 203 dpi (0.375 mm).
func (t *tspl) qrCell(b *document.Block) int {
	if b.Size > 0 {
		return min(b.Size, 10)
	}
	if t.p.Label.DPI >= 300 {
		return 4
	}
	return 3
}

func (t *tspl) label(blocks []document.Block, copies int) {
	t.out = append(t.out, "CLS\r\n"...)
	t.qrX, t.qrY = t.w, t.h
	for i := range blocks {
		if blocks[i].Type == document.BlockQR {
			size := qrModulesFor(blocks[i].Data) * t.qrCell(&blocks[i])
			t.qrX, t.qrY = t.w-t.side-size, t.h-tsplTopMargin-size
			t.cmd("QRCODE ", t.xy(t.qrX, t.qrY), ",M,", strconv.Itoa(t.qrCell(&blocks[i])), ",A,0,\"", tsplEscape(blocks[i].Data), "\"")
			break
		}
	}
	y := tsplTopMargin
	for i := range blocks {
		b := &blocks[i]
		switch b.Type {
		case document.BlockText, document.BlockRow:
			y = t.text(b, y)
		case document.BlockSeparator:
			if y+4 <= t.h {
				t.cmd("BAR ", t.xy(t.side, y+1), ",", strconv.Itoa(t.right(y, 4)-t.side), ",2")
			}
			y += 6
		case document.BlockBarcode:
			y = t.barcode(b, y)
		case document.BlockImage:
			y = t.bitmap(b, y)
		case document.BlockFeed:
			y += max(1, b.Lines) * (24 + tsplLineGap)
		case document.BlockBeep:
			if t.p.Beep {
				t.cmd("SOUND 5,", strconv.Itoa(100*max(1, min(b.Lines, 9))))
			}
		}
	}
	t.cmd("PRINT 1,", strconv.Itoa(copies))
}

// right is the right edge of the text area for a line from y to y+lh: short
// of the QR code where the line runs beside it.
func (t *tspl) right(y, lh int) int {
	if y+lh > t.qrY && t.qrX < t.w {
		return t.qrX - 8
	}
	return t.w - t.side
}

// text lays out a text or row block from y and returns the next y. Lines that
// would run off the label are dropped rather than printed over the edge.
func (t *tspl) text(b *document.Block, y int) int {
	wm, hm := min(b.Style.W(), tsplMaxMul), min(b.Style.H(), tsplMaxMul)
	lh := 24*hm + tsplLineGap
	colDots := tsplCharDots * wm
	t.scratch = t.p.Charset.Append(t.scratch[:0], b.Text)
	nl := len(t.scratch)
	if b.Type == document.BlockRow {
		t.scratch = t.p.Charset.Append(t.scratch, b.Right)
	}
	text, right := t.scratch[:nl], t.scratch[nl:]
	for start, first := 0, true; first || start < len(text); first = false {
		if y+lh-tsplLineGap > t.h {
			break
		}
		avail := (t.right(y, lh) - t.side) / colDots
		lineCols := avail
		if first && len(right) > 0 {
			lineCols = max(1, avail-len(right)-1)
		}
		end, next := document.NextLine(text, start, lineCols)
		line := text[start:end]
		x := t.side + document.AlignPadding(b.Style.Align, len(line), avail)*colDots
		if b.Type == document.BlockRow {
			x = t.side
		}
		if len(line) > 0 {
			t.textCmd(x, y, wm, hm, line)
		}
		if first && len(right) > 0 {
			t.textCmd(t.side+(avail-len(right))*colDots, y, wm, hm, right)
		}
		if b.Style.Invert {
			t.cmd("REVERSE ", t.xy(t.side-2, y-2), ",", strconv.Itoa(avail*colDots+4), ",", strconv.Itoa(24*hm+4))
		}
		y += lh
		start = next
	}
	return y
}

func (t *tspl) textCmd(x, y, wm, hm int, enc []byte) {
	t.out = append(t.out, "TEXT "...)
	t.out = append(t.out, t.xy(x, y)...)
	t.out = append(t.out, ",\""+tsplFont+"\",0,"...)
	t.out = strconv.AppendInt(t.out, int64(wm), 10)
	t.out = append(t.out, ',')
	t.out = strconv.AppendInt(t.out, int64(hm), 10)
	t.out = append(t.out, ",\""...)
	for _, c := range enc {
		if c == '"' {
			t.out = append(t.out, `\["]`...)
			continue
		}
		t.out = append(t.out, c)
	}
	t.out = append(t.out, "\"\r\n"...)
}

func (t *tspl) barcode(b *document.Block, y int) int {
	if t.p.Barcode == document.ModeOff {
		return y
	}
	h := b.Size
	if h <= 0 {
		h = 40
	}
	_, modules, ok := document.Code128Payload(nil, b.Data)
	if !ok {
		return y
	}
	avail := t.right(y, h+24) - t.side
	narrow := min(2, avail/modules)
	if narrow < 1 || y+h+24 > t.h {
		return y
	}
	x := t.side + document.AlignPadding(b.Style.Align, modules*narrow, avail)
	t.cmd("BARCODE ", t.xy(x, y), ",\"128\",", strconv.Itoa(h), ",1,0,", strconv.Itoa(narrow), ",", strconv.Itoa(narrow), ",\"", tsplEscape(b.Data), "\"")
	return y + h + 28
}

// bitmap sends an image with BITMAP; TSC's bit 0 is black, the inverse of ESC/POS.
func (t *tspl) bitmap(b *document.Block, y int) int {
	r := b.Image.ScaledTo(t.w - 2*t.side)
	if y+r.Height > t.h {
		return y
	}
	x := t.side + document.AlignPadding(b.Style.Align, r.Width, t.w-2*t.side)
	t.out = append(t.out, "BITMAP "+t.xy(x, y)+","+strconv.Itoa(r.Stride())+","+strconv.Itoa(r.Height)+",0,"...)
	for _, c := range r.Bits {
		t.out = append(t.out, ^c)
	}
	t.out = append(t.out, '\r', '\n')
	return y + r.Height + tsplLineGap
}

// tsplEscape quotes ASCII payloads (QR and barcode data).
func tsplEscape(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] < 0x20 {
			out := make([]byte, 0, len(s)+8)
			for j := 0; j < len(s); j++ {
				switch {
				case s[j] == '"':
					out = append(out, `\["]`...)
				case s[j] < 0x20:
				default:
					out = append(out, s[j])
				}
			}
			return string(out)
		}
	}
	return s
}

// qrModulesFor is the side in modules of a level-M QR code of data, an upper
// bound that reserves the label corner without encoding the symbol.
func qrModulesFor(data string) int {
	numeric, alnum := true, true
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c < '0' || c > '9' {
			numeric = false
			if !(c >= 'A' && c <= 'Z' || c == ' ' || c == '$' || c == '%' || c == '*' || c == '+' || c == '-' || c == '.' || c == '/' || c == ':') {
				alnum = false
			}
		}
	}
	caps := qrCapByte[:]
	switch {
	case numeric:
		caps = qrCapNumeric[:]
	case alnum:
		caps = qrCapAlnum[:]
	}
	for v, c := range caps {
		if len(data) <= c {
			return 17 + 4*(v+1)
		}
	}
	return 17 + 4*40
}

// Level-M capacities of QR versions 1–10 (ISO/IEC 18004 table 7).
var (
	qrCapNumeric = [10]int{34, 63, 101, 149, 202, 255, 293, 365, 432, 513}
	qrCapAlnum   = [10]int{20, 38, 61, 90, 122, 154, 178, 221, 262, 311}
	qrCapByte    = [10]int{14, 26, 42, 62, 84, 106, 122, 152, 180, 213}
)

// Package escpos encodes a document as ESC/POS for receipt and kitchen
// printers: GB18030 text in Kanji mode, native or raster QR codes and
// barcodes, band-wise raster images.
package escpos

import "github.com/posbridge/posbridge/printer/document"

// ESC/POS command bytes we emit (see shared/spec/escpos-tspl.md).
var (
	cmdInit      = []byte{0x1B, 0x40} // ESC @
	cmdKanjiOn   = []byte{0x1C, 0x26} // FS &: must follow every ESC @
	cmdLabelFeed = []byte{0x1D, 0x0C} // GS FF: feed to the next label (label paper models)
)

// Append encodes d as ESC/POS for printer p onto dst (render.Render picks the
// language; benchmarks and the worker reuse buffers).
func Append(dst []byte, d document.Document, p document.Profile) ([]byte, error) {
	if err := document.CheckRenderable(d, p); err != nil {
		return dst, err
	}
	e := escpos{p: p, out: dst, forceBeep: d.Kind == document.KindBeep}
	copies := d.Copies
	if copies <= 0 {
		copies = max(1, p.Copies)
	}
	blocks := d.MarkedBlocks()
	for c := 0; c < copies; c++ {
		e.init()
		for i := range blocks {
			if err := e.block(&blocks[i], d.Media == document.MediaLabel); err != nil {
				return e.out, err
			}
		}
	}
	return e.out, nil
}

// escpos is the state of one ESC/POS encoding: the modes the printer is in,
// so that commands are only sent when a mode changes.
type escpos struct {
	p       document.Profile
	out     []byte
	scratch []byte
	align   document.Align
	size    byte
	bold    bool
	invert  bool
	under   bool
	// forceBeep sounds beep blocks even where beeps are off: the document
	// exists only to call the staff.
	forceBeep bool
}

func (e *escpos) init() {
	e.out = append(e.out, cmdInit...)
	e.out = append(e.out, cmdKanjiOn...)
	e.align, e.size, e.bold, e.invert, e.under = document.AlignLeft, 0, false, false, false
}

func (e *escpos) setAlign(a document.Align) {
	if a == e.align {
		return
	}
	n := byte(0)
	switch a {
	case document.AlignCenter:
		n = 1
	case document.AlignRight:
		n = 2
	}
	e.out = append(e.out, 0x1B, 0x61, n)
	e.align = a
}

func (e *escpos) setStyle(st document.Style) {
	size := byte(st.W()-1)<<4 | byte(st.H()-1)
	if size != e.size {
		e.out = append(e.out, 0x1D, 0x21, size)
		e.size = size
	}
	if st.Bold != e.bold {
		e.out = append(e.out, 0x1B, 0x45, b2n(st.Bold))
		e.bold = st.Bold
	}
	if st.Invert != e.invert {
		e.out = append(e.out, 0x1D, 0x42, b2n(st.Invert))
		e.invert = st.Invert
	}
	if st.Underline != e.under {
		// ESC - for ASCII, FS - for the two-byte characters
		e.out = append(e.out, 0x1B, 0x2D, b2n(st.Underline), 0x1C, 0x2D, b2n(st.Underline))
		e.under = st.Underline
	}
}

func b2n(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// cols is the number of columns of a line in style st.
func (e *escpos) cols(st document.Style) int { return max(1, e.p.Columns/st.W()) }

func (e *escpos) block(b *document.Block, label bool) error {
	switch b.Type {
	case document.BlockText:
		e.text(b)
	case document.BlockRow:
		e.row(b)
	case document.BlockSeparator:
		e.separator(b)
	case document.BlockQR:
		return e.qr(b)
	case document.BlockBarcode:
		return e.barcode(b)
	case document.BlockImage:
		e.setAlign(document.AlignLeft)
		e.raster(b.Image.ScaledTo(e.p.Dots), b.Style.Align)
	case document.BlockFeed:
		e.out = append(e.out, 0x1B, 0x64, byte(min(max(b.Lines, 1), 255)))
	case document.BlockCut:
		if label {
			e.out = append(e.out, cmdLabelFeed...)
			return nil
		}
		e.cut()
	case document.BlockBeep:
		if e.p.Beep || e.forceBeep {
			e.out = append(e.out, 0x1B, 0x42, byte(min(max(b.Lines, 1), 9)), 3)
		}
	case document.BlockDrawer:
		e.out = append(e.out, 0x1B, 0x70, 0x00, 0x19, 0xFA) // pin 2, 50 ms on, 500 ms off
	}
	return nil
}

// line writes one laid-out line. Inverted lines are padded to the full width
// so that the note reads as a black bar nobody misses.
func (e *escpos) line(b []byte, st document.Style, cols int) {
	e.setStyle(st)
	if st.Invert {
		e.setAlign(document.AlignLeft)
		pad := document.AlignPadding(st.Align, len(b), cols)
		e.out = document.AppendSpaces(e.out, pad)
		e.out = append(e.out, b...)
		e.out = document.AppendSpaces(e.out, cols-pad-len(b))
	} else {
		e.setAlign(st.Align)
		e.out = append(e.out, b...)
	}
	e.out = append(e.out, '\n')
}

func (e *escpos) text(b *document.Block) {
	cols := e.cols(b.Style)
	rest := b.Text
	for {
		par, more, found := document.CutLine(rest)
		e.scratch = e.p.Charset.Append(e.scratch[:0], par)
		e.wrapped(e.scratch, b.Style, cols, b.Hang, false)
		if !found {
			return
		}
		rest = more
	}
}

// wrapped prints text in lines of cols columns; with hang, every line but
// the first (every line, with indentFirst) starts after hang spaces.
func (e *escpos) wrapped(text []byte, st document.Style, cols, hang int, indentFirst bool) {
	for start, first := 0, true; ; first = false {
		indent := 0
		if hang > 0 && (!first || indentFirst) {
			indent = hang
		}
		end, next := document.WrapLine(text, start, cols-indent, hang)
		if indent > 0 {
			line := document.AppendSpaces(make([]byte, 0, indent+end-start), indent)
			e.line(append(line, text[start:end]...), st, cols)
		} else {
			e.line(text[start:end], st, cols)
		}
		if start = next; start >= len(text) {
			return
		}
	}
}

// row prints Text on the left and Right flush right on the first line; the
// left text wraps in the space the right column leaves.
func (e *escpos) row(b *document.Block) {
	cols := e.cols(b.Style)
	e.scratch = e.p.Charset.Append(e.scratch[:0], b.Text)
	nl := len(e.scratch)
	e.scratch = e.p.Charset.Append(e.scratch, b.Right)
	left, right := e.scratch[:nl], e.scratch[nl:]
	st := b.Style
	st.Align = document.AlignLeft
	leftCols := cols - len(right) - 1
	if len(right) == 0 {
		leftCols = cols
	}
	if leftCols < cols/3 { // the right column is too wide to share a line
		for start := 0; ; {
			end, next := document.NextLine(left, start, cols)
			e.line(left[start:end], st, cols)
			if start = next; start >= len(left) {
				break
			}
		}
		st.Align = document.AlignRight
		for start := 0; start < len(right); {
			end, next := document.NextLine(right, start, cols)
			e.line(right[start:end], st, cols)
			start = next
		}
		return
	}
	end, next := document.WrapLine(left, 0, leftCols, b.Hang)
	e.setStyle(st)
	e.setAlign(document.AlignLeft)
	e.out = append(e.out, left[:end]...)
	e.out = document.AppendSpaces(e.out, cols-end-len(right))
	e.out = append(e.out, right...)
	e.out = append(e.out, '\n')
	if next < len(left) {
		if b.Hang > 0 {
			e.wrapped(left[next:], st, leftCols, b.Hang, true)
			return
		}
		for start := next; start < len(left); {
			end, n := document.NextLine(left, start, leftCols)
			e.line(left[start:end], st, cols)
			start = n
		}
	}
}

func (e *escpos) separator(b *document.Block) {
	cols := e.cols(b.Style)
	ch := b.Char
	if ch == "" {
		ch = "-"
	}
	e.scratch = e.p.Charset.Append(e.scratch[:0], ch)
	w := len(e.scratch)
	if w == 0 {
		e.scratch, w = append(e.scratch, '-'), 1
	}
	st := b.Style
	st.Align = document.AlignLeft
	e.setStyle(st)
	e.setAlign(document.AlignLeft)
	for n := cols / w; n > 0; n-- {
		e.out = append(e.out, e.scratch[:w]...)
	}
	e.out = append(e.out, '\n')
}

func (e *escpos) cut() {
	switch e.p.Cut {
	case document.CutNone:
		e.out = append(e.out, 0x1B, 0x64, 0x04) // feed past the tear bar
	case document.CutFull:
		e.out = append(e.out, 0x1B, 0x64, 0x03, 0x1D, 0x56, 0x41, 0x00)
	default:
		e.out = append(e.out, 0x1B, 0x64, 0x03, 0x1D, 0x56, 0x42, 0x00)
	}
}

// rasterBandRows keeps each `GS v 0` block small: cheap printers with small
// buffers stall or drop data on one huge block.
const rasterBandRows = 128

// raster sends r with `GS v 0`, shifted right by blank dots for alignment
// (a white margin in the image itself rather than ESC a).
func (e *escpos) raster(r *document.Raster, a document.Align) {
	if off := document.AlignPadding(a, r.Width, e.p.Dots); off > 0 {
		r = r.Padded(r.Width+off, off)
	}
	stride := r.Stride()
	for y := 0; y < r.Height; y += rasterBandRows {
		rows := min(rasterBandRows, r.Height-y)
		e.out = append(e.out, 0x1D, 0x76, 0x30, 0x00, byte(stride), byte(stride>>8), byte(rows), byte(rows>>8))
		e.out = append(e.out, r.Bits[y*stride:(y+rows)*stride]...)
	}
}

package printer

import (
	"fmt"
)

// ESC/POS command bytes we emit (see shared/spec/escpos-tspl.md).
var (
	cmdInit      = []byte{0x1B, 0x40}       // ESC @
	cmdKanjiOn   = []byte{0x1C, 0x26}       // FS &: must follow every ESC @
	cmdLabelFeed = []byte{0x1D, 0x0C}       // GS FF: feed to the next label (label paper models)
	cmdFence     = []byte{0x1D, 0x72, 0x01} // GS r 1: answered in order, after the job
)

// Render lays a document out for printer p and encodes it in p's language.
func Render(d Document, p Profile) ([]byte, error) {
	return AppendRender(nil, d, p)
}

// AppendRender is Render onto dst (benchmarks and the worker reuse buffers).
func AppendRender(dst []byte, d Document, p Profile) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return dst, err
	}
	if p.Charset == nil {
		return dst, fmt.Errorf("printer %q has no charset: build its profile with ProfileFromConfig", p.Name)
	}
	if p.Language == LangTSPL {
		return appendTSPL(dst, d, p)
	}
	e := escpos{p: p, out: dst, forceBeep: d.Kind == KindBeep}
	copies := d.Copies
	if copies <= 0 {
		copies = max(1, p.Copies)
	}
	blocks := markedBlocks(d)
	for c := 0; c < copies; c++ {
		e.init()
		for i := range blocks {
			if err := e.block(&blocks[i], d.Media == MediaLabel); err != nil {
				return e.out, err
			}
		}
	}
	return e.out, nil
}

// escpos is the state of one ESC/POS encoding: the modes the printer is in,
// so that commands are only sent when a mode changes.
type escpos struct {
	p       Profile
	out     []byte
	scratch []byte
	align   Align
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
	e.align, e.size, e.bold, e.invert, e.under = AlignLeft, 0, false, false, false
}

func (e *escpos) setAlign(a Align) {
	if a == e.align {
		return
	}
	n := byte(0)
	switch a {
	case AlignCenter:
		n = 1
	case AlignRight:
		n = 2
	}
	e.out = append(e.out, 0x1B, 0x61, n)
	e.align = a
}

func (e *escpos) setStyle(st Style) {
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
func (e *escpos) cols(st Style) int { return max(1, e.p.Columns/st.W()) }

func (e *escpos) block(b *Block, label bool) error {
	switch b.Type {
	case BlockText:
		e.text(b)
	case BlockRow:
		e.row(b)
	case BlockSeparator:
		e.separator(b)
	case BlockQR:
		return e.qr(b)
	case BlockBarcode:
		return e.barcode(b)
	case BlockImage:
		e.setAlign(AlignLeft)
		e.raster(b.Image.ScaledTo(e.p.Dots), b.Style.Align)
	case BlockFeed:
		e.out = append(e.out, 0x1B, 0x64, byte(min(max(b.Lines, 1), 255)))
	case BlockCut:
		if label {
			e.out = append(e.out, cmdLabelFeed...)
			return nil
		}
		e.cut()
	case BlockBeep:
		if e.p.Beep || e.forceBeep {
			e.out = append(e.out, 0x1B, 0x42, byte(min(max(b.Lines, 1), 9)), 3)
		}
	case BlockDrawer:
		e.out = append(e.out, 0x1B, 0x70, 0x00, 0x19, 0xFA) // pin 2, 50 ms on, 500 ms off
	}
	return nil
}

// line writes one laid-out line. Inverted lines are padded to the full width
// so that the note reads as a black bar nobody misses.
func (e *escpos) line(b []byte, st Style, cols int) {
	e.setStyle(st)
	if st.Invert {
		e.setAlign(AlignLeft)
		pad := AlignPadding(st.Align, len(b), cols)
		e.out = AppendSpaces(e.out, pad)
		e.out = append(e.out, b...)
		e.out = AppendSpaces(e.out, cols-pad-len(b))
	} else {
		e.setAlign(st.Align)
		e.out = append(e.out, b...)
	}
	e.out = append(e.out, '\n')
}

func (e *escpos) text(b *Block) {
	cols := e.cols(b.Style)
	rest := b.Text
	for {
		par, more, found := CutLine(rest)
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
func (e *escpos) wrapped(text []byte, st Style, cols, hang int, indentFirst bool) {
	for start, first := 0, true; ; first = false {
		indent := 0
		if hang > 0 && (!first || indentFirst) {
			indent = hang
		}
		end, next := WrapLine(text, start, cols-indent, hang)
		if indent > 0 {
			line := AppendSpaces(make([]byte, 0, indent+end-start), indent)
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
func (e *escpos) row(b *Block) {
	cols := e.cols(b.Style)
	e.scratch = e.p.Charset.Append(e.scratch[:0], b.Text)
	nl := len(e.scratch)
	e.scratch = e.p.Charset.Append(e.scratch, b.Right)
	left, right := e.scratch[:nl], e.scratch[nl:]
	st := b.Style
	st.Align = AlignLeft
	leftCols := cols - len(right) - 1
	if len(right) == 0 {
		leftCols = cols
	}
	if leftCols < cols/3 { // the right column is too wide to share a line
		for start := 0; ; {
			end, next := NextLine(left, start, cols)
			e.line(left[start:end], st, cols)
			if start = next; start >= len(left) {
				break
			}
		}
		st.Align = AlignRight
		for start := 0; start < len(right); {
			end, next := NextLine(right, start, cols)
			e.line(right[start:end], st, cols)
			start = next
		}
		return
	}
	end, next := WrapLine(left, 0, leftCols, b.Hang)
	e.setStyle(st)
	e.setAlign(AlignLeft)
	e.out = append(e.out, left[:end]...)
	e.out = AppendSpaces(e.out, cols-end-len(right))
	e.out = append(e.out, right...)
	e.out = append(e.out, '\n')
	if next < len(left) {
		if b.Hang > 0 {
			e.wrapped(left[next:], st, leftCols, b.Hang, true)
			return
		}
		for start := next; start < len(left); {
			end, n := NextLine(left, start, leftCols)
			e.line(left[start:end], st, cols)
			start = n
		}
	}
}

func (e *escpos) separator(b *Block) {
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
	st.Align = AlignLeft
	e.setStyle(st)
	e.setAlign(AlignLeft)
	for n := cols / w; n > 0; n-- {
		e.out = append(e.out, e.scratch[:w]...)
	}
	e.out = append(e.out, '\n')
}

func (e *escpos) cut() {
	switch e.p.Cut {
	case CutNone:
		e.out = append(e.out, 0x1B, 0x64, 0x04) // feed past the tear bar
	case CutFull:
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
func (e *escpos) raster(r *Raster, a Align) {
	if off := AlignPadding(a, r.Width, e.p.Dots); off > 0 {
		r = r.Padded(r.Width+off, off)
	}
	stride := r.Stride()
	for y := 0; y < r.Height; y += rasterBandRows {
		rows := min(rasterBandRows, r.Height-y)
		e.out = append(e.out, 0x1D, 0x76, 0x30, 0x00, byte(stride), byte(stride>>8), byte(rows), byte(rows>>8))
		e.out = append(e.out, r.Bits[y*stride:(y+rows)*stride]...)
	}
}

// markedBlocks returns the blocks with the 补打 and 测试 marks added; the
// document's own slice when there is nothing to add.
func markedBlocks(d Document) []Block {
	if !d.Reprint && !d.Sandbox {
		return d.Blocks
	}
	if d.Media == MediaLabel {
		mark := ""
		switch {
		case d.Reprint && d.Sandbox:
			mark = "补打 测试"
		case d.Reprint:
			mark = "补打"
		default:
			mark = "测试"
		}
		head := Text(mark, Style{Invert: true, Bold: true})
		var out []Block
		for _, l := range d.Labels() {
			out = append(out, head)
			out = append(out, l...)
			out = append(out, Cut())
		}
		return out
	}
	var head, tail []Block
	if d.Reprint {
		head = append(head,
			Text("补打", Style{Width: 2, Height: 2, Bold: true, Invert: true, Align: AlignCenter}),
			Text("此单为补打，请核对后再制作", Style{Align: AlignCenter}))
	}
	if d.Sandbox {
		sandbox := Text("测试单 非真实订单 请勿制作", Style{Bold: true, Invert: true, Align: AlignCenter})
		head = append(head, sandbox)
		tail = append(tail, sandbox)
	}
	out := make([]Block, 0, len(d.Blocks)+len(head)+len(tail))
	out = append(out, head...)
	if len(tail) == 0 {
		return append(out, d.Blocks...)
	}
	// the tail mark goes before the final cut
	last := len(d.Blocks)
	for last > 0 && d.Blocks[last-1].Type == BlockCut {
		last--
	}
	out = append(out, d.Blocks[:last]...)
	out = append(out, tail...)
	return append(out, d.Blocks[last:]...)
}

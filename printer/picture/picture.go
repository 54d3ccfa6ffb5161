// Package picture draws what a printer prints as an image, from the bytes
// sent to it (through Decode): ESC/POS text in its sizes, weight,
// underline, inversion and alignment, raster images and logos, QR codes
// and Code128 barcodes at the module sizes the bytes set, cuts; TSPL labels
// at their size in dots. One dot of paper is one pixel at scale 1, so the
// picture of a roll is as wide as the paper's printable width.
package picture

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"

	"github.com/boombuler/barcode/code128"
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/preview"

	qrcode "github.com/skip2/go-qrcode"
)

// Options are the paper the picture is drawn for.
type Options struct {
	Dots  int // printable dots per line of the roll: 576 on 80 mm, 384 on 58 mm (0 = 576)
	DPI   int // label printers' resolution (0 = 203)
	Scale int // pixels per dot, 1–4 (0 = 1)
}

// Geometry of Font A, the font posbridge prints in.
const (
	cellW      = 12 // dots of a narrow character
	cellH      = 24
	lineGap    = 6 // the printer's default line spacing is 30 dots
	feedLine   = cellH + lineGap
	labelGap   = 24 // between two labels of a job
	maxPicture = 20000
)

func (o Options) withDefaults() Options {
	if o.Dots <= 0 {
		o.Dots = 576
	}
	if o.DPI <= 0 {
		o.DPI = 203
	}
	o.Scale = min(max(o.Scale, 1), 4)
	return o
}

// Render draws the preview. It never fails on what a decoder produced; an
// error means the picture would be unreasonably large.
func Render(pv preview.Preview, opt Options) (*image.Gray, error) {
	opt = opt.withDefaults()
	var c *canvas
	if len(pv.Labels) > 0 {
		c = renderLabels(pv.Labels, opt)
	} else {
		c = renderRoll(pv.Lines, opt)
	}
	if c.h() > maxPicture {
		return nil, fmt.Errorf("the job is %d dots long: too long to draw", c.h())
	}
	return c.image(opt.Scale), nil
}

// WritePNG renders the preview as a PNG.
func WritePNG(w io.Writer, pv preview.Preview, opt Options) error {
	img, err := Render(pv, opt)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}

// canvas is a growing sheet of black and white dots.
type canvas struct {
	w     int
	rows  [][]bool
	edges map[int]bool // y*w+x of dots drawn gray (a label's outline)
}

func newCanvas(w int) *canvas { return &canvas{w: w} }

func (c *canvas) h() int { return len(c.rows) }

// grow makes the sheet at least h dots tall.
func (c *canvas) grow(h int) {
	for len(c.rows) < min(h, maxPicture+1) {
		c.rows = append(c.rows, make([]bool, c.w))
	}
}

func (c *canvas) set(x, y int, black bool) {
	if x < 0 || x >= c.w || y < 0 {
		return
	}
	c.grow(y + 1)
	if y < len(c.rows) {
		c.rows[y][x] = black
	}
}

func (c *canvas) fill(x, y, w, h int, black bool) {
	for yy := y; yy < y+h; yy++ {
		for xx := x; xx < x+w; xx++ {
			c.set(xx, yy, black)
		}
	}
}

func (c *canvas) image(scale int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, c.w*scale, len(c.rows)*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for y, row := range c.rows {
		for x, b := range row {
			v := uint8(0)
			switch {
			case b:
			case c.edges[y*c.w+x]:
				v = gray.Y
			default:
				continue
			}
			for dy := 0; dy < scale; dy++ {
				off := (y*scale+dy)*img.Stride + x*scale
				for dx := 0; dx < scale; dx++ {
					img.Pix[off+dx] = v
				}
			}
		}
	}
	return img
}

// gray marks the edge of a label (not printed: the stock's outline).
var gray = color.Gray{Y: 0xC0}

// textWidth is the width in dots of s in Font A at width multiplier wm.
func textWidth(s string, wm int) int {
	w := 0
	for _, r := range s {
		w += cellWidth(r, wm)
	}
	return w
}

// cellWidth is a character's width on paper: every character beyond ASCII
// is two bytes in GBK and printed in the 24-dot Chinese font, two columns
// wide, whatever its width in Unifont.
func cellWidth(r rune, wm int) int {
	if r >= 0x80 {
		return 2 * cellW * wm
	}
	return cellW * wm
}

// drawText draws s with its top left at x, y in Font A scaled by wm × hm.
func (c *canvas) drawText(x, y int, s string, wm, hm int, st document.Style) int {
	start := x
	if st.Invert {
		c.fill(x, y, textWidth(s, wm), cellH*hm, true)
	}
	for _, r := range s {
		g, known := glyphOf(r)
		cw, ch := cellWidth(r, wm), cellH*hm
		// the glyph is drawn 1.5 times its 16-dot height; a narrow glyph
		// in a wide cell (×, ·) sits in its middle
		gw, dw := 8, cellW*wm
		if g.wide {
			gw, dw = 16, 2*cellW*wm
		}
		off := (cw - dw) / 2
		for ty := 0; ty < ch; ty++ {
			for tx := 0; tx < cw; tx++ {
				on := g.set((tx-off)*gw/dw, ty*16/ch)
				if tx < off {
					on = false
				}
				if !known {
					on = tx == 1 || tx == cw-2 || ty == 1 || ty == ch-2 // a box for a character the font lacks
				}
				if on {
					c.set(x+tx, y+ty, !st.Invert)
					if st.Bold {
						c.set(x+tx+1, y+ty, !st.Invert)
					}
				}
			}
		}
		x += cw
	}
	if st.Underline {
		c.fill(start, y+cellH*hm-2, x-start, 2, !st.Invert)
	}
	return x
}

func alignX(align document.Align, w, width int) int {
	switch align {
	case document.AlignCenter:
		return max(0, (width-w)/2)
	case document.AlignRight:
		return max(0, width-w)
	}
	return 0
}

func renderRoll(lines []preview.PreviewLine, opt Options) *canvas {
	c := newCanvas(opt.Dots)
	y := 0
	for _, l := range lines {
		switch l.Kind {
		case preview.LineText:
			wm, hm := l.Style.W(), l.Style.H()
			if l.Text != "" {
				c.drawText(alignX(l.Style.Align, textWidth(l.Text, wm), opt.Dots), y, l.Text, wm, hm, l.Style)
			}
			y += cellH*hm + lineGap
		case preview.LineFeed:
			y += max(0, l.Count) * feedLine
		case preview.LineImage:
			if l.Image != nil {
				c.drawRaster(0, y, l.Image)
				y += l.Image.Height
			}
		case preview.LineQR:
			y += c.drawQR(l.Data, l.Module, y, func(size int) int { return alignX(l.Style.Align, size, opt.Dots) }) + lineGap
		case preview.LineBarcode:
			y += c.drawBarcode(l.Data, l.Module, l.H, y, func(w int) int { return alignX(l.Style.Align, w, opt.Dots) }, opt.Dots) + lineGap
		case preview.LineCut, preview.LineLabel:
			y += 12
			for x := 0; x < opt.Dots; x += 16 {
				c.fill(x, y, 8, 2, true)
			}
			y += 14
		}
		c.grow(y)
	}
	c.grow(y + lineGap)
	return c
}

func (c *canvas) drawRaster(x, y int, r *document.Raster) {
	for ry := 0; ry < r.Height; ry++ {
		for rx := 0; rx < r.Width; rx++ {
			if r.At(rx, ry) {
				c.set(x+rx, y+ry, true)
			}
		}
	}
	c.grow(y + r.Height)
}

// drawQR draws data as a QR code (error correction M, as posbridge asks)
// with module dots per module; place gives its x from its size. It returns
// the height drawn.
func (c *canvas) drawQR(data string, module, y int, place func(size int) int) int {
	q, err := qrcode.New(data, qrcode.Medium)
	if err != nil { // too long for a QR code: the printer prints nothing either
		return 0
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	module = min(max(module, 1), 16)
	size := len(bm) * module
	x := place(size)
	for my, row := range bm {
		for mx, on := range row {
			if on {
				c.fill(x+mx*module, y+my*module, module, module, true)
			}
		}
	}
	c.grow(y + size)
	return size
}

// drawBarcode draws data as Code128 with narrow bars of module dots, h dots
// tall, with its text below (posbridge asks for it below, GS H 2). It
// returns the height drawn.
func (c *canvas) drawBarcode(data string, module, h, y int, place func(w int) int, width int) int {
	bc, err := code128.Encode(data)
	if err != nil {
		return 0
	}
	modules := bc.Bounds().Dx()
	module = min(max(module, 1), 6)
	for module > 1 && modules*module > width {
		module-- // as a printer does not: posbridge chose a width that fits
	}
	h = min(max(h, 1), 255)
	x := place(modules * module)
	for m := 0; m < modules; m++ {
		if r, _, _, _ := bc.At(m, 0).RGBA(); r == 0 {
			c.fill(x+m*module, y, module, h, true)
		}
	}
	tw := textWidth(data, 1)
	c.drawText(x+max(0, (modules*module-tw)/2), y+h+4, data, 1, 1, document.Style{})
	return h + 4 + cellH
}

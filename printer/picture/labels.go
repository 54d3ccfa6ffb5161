package picture

import (
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/preview"
)

// renderLabels draws each TSPL label of the job at its size in dots, one
// under the other, each outlined in gray (the stock, not ink).
func renderLabels(labels []preview.LabelView, opt Options) *canvas {
	dpm := float64(opt.DPI) / 25.4
	width := 0
	for _, lb := range labels {
		width = max(width, int(float64(lb.WidthMM)*dpm+0.5))
	}
	width = min(max(width, 8), 4096)
	c := newCanvas(width)
	c.edges = map[int]bool{}
	y := 0
	for _, lb := range labels {
		w := min(int(float64(lb.WidthMM)*dpm+0.5), width)
		h := min(max(int(float64(lb.HeightMM)*dpm+0.5), 8), 4096)
		c.grow(y + h)
		for _, it := range lb.Items {
			c.drawLabelItem(it, y, w)
		}
		c.outline(0, y, w, h)
		y += h + labelGap
		c.grow(y)
	}
	return c
}

func (c *canvas) drawLabelItem(it preview.LabelItem, top, w int) {
	x, y := it.X, top+it.Y
	switch it.Kind {
	case "text":
		wm, hm := min(max(it.XMul, 1), 10), min(max(it.YMul, 1), 10)
		c.drawText(x, y, it.Text, wm, hm, document.Style{Invert: it.Invert})
	case "qr":
		c.drawQR(it.Text, it.W, y, func(int) int { return x })
	case "barcode":
		c.drawBarcode(it.Text, it.W, it.H, y, func(int) int { return x }, w-x)
	case "bar":
		c.fill(x, y, min(it.W, 4096), min(it.H, 4096), true)
	case "bitmap":
		if it.Image != nil {
			c.drawRaster(x, y, it.Image)
		}
	}
}

// outline marks a label's edge in gray.
func (c *canvas) outline(x, y, w, h int) {
	for xx := x; xx < x+w; xx++ {
		c.edges[y*c.w+xx] = true
		c.edges[(y+h-1)*c.w+xx] = true
	}
	for yy := y; yy < y+h; yy++ {
		c.edges[yy*c.w+x] = true
		c.edges[yy*c.w+x+w-1] = true
	}
}

package escpos

import (
	"fmt"
	"image/color"

	"github.com/boombuler/barcode/code128"
	"github.com/posbridge/posbridge/printer/document"

	qrcode "github.com/skip2/go-qrcode"
)

const (
	qrMaxBytes       = 2953 // model 2, level L, byte mode
	barcodeHeightDef = 64   // dots; 60–80 is plenty for scanners
)

// qrModule is the QR module size in dots: the block's own, or 6 on 80 mm and
// 5 on narrower paper (a 44-byte URL at level M is 33 modules: 198 dots at 6).
func (e *escpos) qrModule(b *document.Block) int {
	if b.Size > 0 {
		return min(b.Size, 16)
	}
	if e.p.Role == document.RoleLabel {
		return 4
	}
	if e.p.Dots >= 576 {
		return 6
	}
	return 5
}

func (e *escpos) qr(b *document.Block) error {
	if len(b.Data) > qrMaxBytes {
		return fmt.Errorf("QR data is %d bytes; a QR code holds at most %d", len(b.Data), qrMaxBytes)
	}
	module := e.qrModule(b)
	if e.p.QR == document.ModeRaster {
		r, err := qrRaster(b.Data, module)
		if err != nil {
			return err
		}
		e.setAlign(document.AlignLeft)
		e.raster(r.ScaledTo(e.p.Dots), b.Style.Align)
		return nil
	}
	e.setAlign(b.Style.Align)
	e.out = append(e.out,
		0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, // model 2
		0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, byte(module), // module size
		0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31, // error correction M
	)
	k := len(b.Data) + 3
	e.out = append(e.out, 0x1D, 0x28, 0x6B, byte(k), byte(k>>8), 0x31, 0x50, 0x30)
	e.out = append(e.out, b.Data...)
	e.out = append(e.out, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30) // print
	return nil
}

// qrRaster draws data as a QR code (level M) with module dots per module,
// with the four-module quiet zone the standard asks for.
func qrRaster(data string, module int) (*document.Raster, error) {
	q, err := qrcode.New(data, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("draw QR code: %w", err)
	}
	bm := q.Bitmap() // includes the quiet zone
	n := len(bm)
	r := document.NewRaster(n*module, n*module)
	for y, row := range bm {
		for x, black := range row {
			if !black {
				continue
			}
			for dy := 0; dy < module; dy++ {
				for dx := 0; dx < module; dx++ {
					r.Set(x*module+dx, y*module+dy)
				}
			}
		}
	}
	return r, nil
}

// barcode prints Code128 where it fits the paper at a module width scanners
// read; otherwise it prints nothing (templates always pair it with a QR code).
func (e *escpos) barcode(b *document.Block) error {
	if e.p.Barcode == document.ModeOff {
		return nil
	}
	height := b.Size
	if height <= 0 {
		height = barcodeHeightDef
	}
	height = min(height, 255)
	if e.p.Barcode == document.ModeRaster {
		r, ok := barcodeRaster(b.Data, e.p.Dots, height)
		if !ok {
			return nil
		}
		e.setAlign(document.AlignLeft)
		e.raster(r, b.Style.Align)
		hri := document.Block{Type: document.BlockText, Text: b.Data, Style: document.Style{Align: b.Style.Align}}
		e.text(&hri)
		return nil
	}
	start := len(e.out)
	e.out = append(e.out, 0x1D, 0x6B, 0x49, 0x00) // GS k 73 n: n filled in below
	payload, modules, ok := document.Code128Payload(e.out, b.Data)
	w := document.Code128ModuleDots(modules, e.p.Dots)
	if !ok || w == 0 {
		e.out = e.out[:start]
		return nil
	}
	e.out = payload
	e.out[start+3] = byte(len(e.out) - start - 4)
	cmd := append(e.scratch[:0], e.out[start:]...)
	e.out = e.out[:start]
	e.setAlign(b.Style.Align)
	e.out = append(e.out,
		0x1D, 0x48, 0x02, // HRI below
		0x1D, 0x66, 0x00, // HRI font A
		0x1D, 0x68, byte(height),
		0x1D, 0x77, byte(w),
	)
	e.out = append(e.out, cmd...)
	e.scratch = cmd
	return nil
}

// barcodeRaster draws data as Code128 (github.com/boombuler/barcode picks the
// code sets) for printers whose GS k is broken. ok is false when it does not fit.
func barcodeRaster(data string, dots, height int) (*document.Raster, bool) {
	bc, err := code128.Encode(data)
	if err != nil {
		return nil, false
	}
	modules := bc.Bounds().Dx()
	w := document.Code128ModuleDots(modules+2*document.Code128QuietModules, dots)
	if w == 0 {
		return nil, false
	}
	r := document.NewRaster((modules+2*document.Code128QuietModules)*w, height)
	for x := 0; x < modules; x++ {
		if color.GrayModel.Convert(bc.At(bc.Bounds().Min.X+x, bc.Bounds().Min.Y)).(color.Gray).Y >= 128 {
			continue
		}
		for dx := 0; dx < w; dx++ {
			px := (document.Code128QuietModules+x)*w + dx
			for y := 0; y < height; y++ {
				r.Set(px, y)
			}
		}
	}
	return r, true
}

package sticker

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/skip2/go-qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Width is the PNG's width in pixels: 70 mm at 300 dpi; the height is
// 4:3 of it.
const Width = 827

// PNG draws the sticker: store name, table, QR, caption and the staff
// footer. Characters the font lacks are listed in Missing beforehand.
func PNG(s Sticker) ([]byte, error) {
	img, err := Image(s, Width)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Image draws the sticker w pixels wide (a receipt printer takes 384 or
// 576), in gray.
func Image(s Sticker, w int) (*image.Gray, error) {
	if w < 200 || w > 4000 {
		return nil, fmt.Errorf("sticker width %d out of range", w)
	}
	h := w * 4 / 3
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	u := float64(w) / 100 // one hundredth of the width
	y := int(6 * u)
	var err error
	if y, err = text(img, s.StoreName, y, 9*u, w-int(10*u), true); err != nil {
		return nil, err
	}
	if y, err = text(img, s.Title, y+int(2*u), 11*u, w-int(10*u), true); err != nil {
		return nil, err
	}
	qrSize := int(72 * u)
	if err := drawQR(img, s.URL, (w-qrSize)/2, y+int(2*u), qrSize); err != nil {
		return nil, err
	}
	y += int(2*u) + qrSize
	if y, err = text(img, s.Caption, y+int(1*u), 6.5*u, w-int(10*u), false); err != nil {
		return nil, err
	}
	if _, err = text(img, s.Footer(), y+int(1.5*u), 3*u, w-int(10*u), false); err != nil {
		return nil, err
	}
	border(img, int(1.2*u))
	return img, nil
}

// text draws a centred line at top y in size pixels, smaller when it would
// not fit maxWidth, and returns the y below it.
func text(img *image.Gray, s string, y int, size float64, maxWidth int, bold bool) (int, error) {
	f, err := parsedFont()
	if err != nil {
		return 0, err
	}
	var face font.Face
	var adv fixed.Int26_6
	for ; ; size *= 0.9 {
		face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return 0, err
		}
		adv = font.MeasureString(face, s)
		if adv.Ceil() <= maxWidth || size < 8 {
			break
		}
	}
	m := face.Metrics()
	x := (img.Bounds().Dx() - adv.Ceil()) / 2
	base := y + m.Ascent.Ceil()
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	d.Dot = fixed.P(x, base)
	d.DrawString(s)
	if bold { // the font has no bold face: draw it again a little to the right
		d.Dot = fixed.Point26_6{X: fixed.I(x) + fixed.Int26_6(size*64/28), Y: fixed.I(base)}
		d.DrawString(s)
	}
	return base + m.Descent.Ceil(), nil
}

// drawQR draws the QR of content in a size×size square at x, y, with the
// standard quiet zone inside the square.
func drawQR(img *image.Gray, content string, x, y, size int) error {
	bits, err := qrModules(content)
	if err != nil {
		return err
	}
	n := len(bits) + 8 // four modules of quiet zone each side
	cell := size / n
	if cell < 2 {
		return fmt.Errorf("QR too small for %d modules", len(bits))
	}
	off := (size - cell*n) / 2
	for r, row := range bits {
		for c, on := range row {
			if !on {
				continue
			}
			x0, y0 := x+off+(c+4)*cell, y+off+(r+4)*cell
			draw.Draw(img, image.Rect(x0, y0, x0+cell, y0+cell), image.Black, image.Point{}, draw.Src)
		}
	}
	return nil
}

// border draws a cut line around the sticker.
func border(img *image.Gray, t int) {
	b := img.Bounds()
	for _, r := range []image.Rectangle{
		image.Rect(0, 0, b.Dx(), t), image.Rect(0, b.Dy()-t, b.Dx(), b.Dy()),
		image.Rect(0, 0, t, b.Dy()), image.Rect(b.Dx()-t, 0, b.Dx(), b.Dy()),
	} {
		draw.Draw(img, r, image.NewUniform(color.Gray{Y: 0x60}), image.Point{}, draw.Src)
	}
}

// qrModules is the QR of content, level H (a scratched or stained sticker
// still scans), without its quiet zone: true = dark.
func qrModules(content string) ([][]bool, error) {
	q, err := qrcode.New(content, qrcode.High)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

package sticker

import (
	"bytes"
	"fmt"

	"github.com/go-pdf/fpdf"
)

// The sheet: A4 portrait, 3 × 3 stickers of 63 × 84 mm with dashed cut
// lines, in vector form (the QR modules are rectangles, crisp at any
// printer resolution).
const (
	sheetCols  = 3
	sheetRows  = 3
	cellW      = 63.0
	cellH      = 84.0
	pageW      = 210.0
	pageH      = 297.0
	fontFamily = "wqy"
)

// PerPage is how many stickers a sheet page holds.
const PerPage = sheetCols * sheetRows

// PDF lays stickers out on A4 pages for printing and cutting.
func PDF(stickers []Sticker) ([]byte, error) {
	if len(stickers) == 0 {
		return nil, fmt.Errorf("没有要打印的桌台")
	}
	ttf, err := fontTTF()
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreator("posbridge", true)
	pdf.SetTitle("扫码点餐桌台二维码", true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddUTF8FontFromBytes(fontFamily, "", ttf)
	marginX := (pageW - sheetCols*cellW) / 2
	marginY := (pageH - sheetRows*cellH) / 2
	for i, s := range stickers {
		if i%PerPage == 0 {
			pdf.AddPage()
		}
		k := i % PerPage
		x := marginX + float64(k%sheetCols)*cellW
		y := marginY + float64(k/sheetCols)*cellH
		if err := cell(pdf, s, x, y); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func cell(pdf *fpdf.Fpdf, s Sticker, x, y float64) error {
	pdf.SetLineWidth(0.2)
	pdf.SetDrawColor(120, 120, 120)
	pdf.SetDashPattern([]float64{2, 1.5}, 0)
	pdf.Rect(x, y, cellW, cellH, "D")
	pdf.SetDashPattern(nil, 0)
	pdf.SetTextColor(0, 0, 0)
	top := y + 9
	top = centred(pdf, s.StoreName, x, top, 15, true)
	top = centred(pdf, s.Title, x, top+1.5, 19, true)
	qr := 44.0
	if err := vectorQR(pdf, s.URL, x+(cellW-qr)/2, top-3, qr); err != nil {
		return err
	}
	top = centred(pdf, s.Caption, x, top-3+qr+5, 11, false)
	centred(pdf, s.Footer(), x, top+1, 6, false)
	return pdf.Error()
}

// centred writes a line with its baseline at y, shrinking it to fit the
// cell, and returns the baseline of the next line.
func centred(pdf *fpdf.Fpdf, s string, x, y, size float64, bold bool) float64 {
	for ; size > 4; size *= 0.92 {
		pdf.SetFont(fontFamily, "", size)
		if pdf.GetStringWidth(s) <= cellW-8 {
			break
		}
	}
	w := pdf.GetStringWidth(s)
	tx := x + (cellW-w)/2
	pdf.Text(tx, y, s)
	if bold {
		pdf.Text(tx+size/120, y, s)
	}
	return y + size*0.3528*1.25 // points to mm, with line spacing
}

// vectorQR draws the QR of content as filled rectangles in a size mm
// square (the quiet zone inside it); runs of dark modules in a row are one
// rectangle each.
func vectorQR(pdf *fpdf.Fpdf, content string, x, y, size float64) error {
	bits, err := qrModules(content)
	if err != nil {
		return err
	}
	n := float64(len(bits) + 8)
	m := size / n
	pdf.SetFillColor(0, 0, 0)
	for r, row := range bits {
		for c := 0; c < len(row); c++ {
			if !row[c] {
				continue
			}
			start := c
			for c+1 < len(row) && row[c+1] {
				c++
			}
			pdf.Rect(x+(float64(start)+4)*m, y+(float64(r)+4)*m, float64(c-start+1)*m, m, "F")
		}
	}
	return nil
}

// Package preview decodes the ESC/POS and TSPL posbridge sends back into what
// the printer would print, for the sandbox console, the virtual printer and tests.
package preview

import (
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/printer/document"
)

// Preview is what a printer would print, decoded from the bytes sent to it:
// the sandbox console shows it and tests assert on it.
type Preview struct {
	Language string        `json:"language"`
	Columns  int           `json:"columns"` // Font A columns of the roll (48 when unknown)
	Lines    []PreviewLine `json:"lines"`
	Labels   []LabelView   `json:"labels,omitempty"` // TSPL
	// Skipped counts commands the decoder did not know and stepped over.
	Skipped int `json:"skipped,omitempty"`
}

// Preview line kinds.
const (
	LineText    = "text"
	LineQR      = "qr"
	LineBarcode = "barcode"
	LineImage   = "image"
	LineCut     = "cut"
	LineFeed    = "feed"
	LineBeep    = "beep"
	LineDrawer  = "drawer"
	LineLabel   = "label_end" // ESC/POS label printers: feed to the next label
)

// PreviewLine is one printed line or event.
type PreviewLine struct {
	Kind  string           `json:"kind"`
	Text  string           `json:"text,omitempty"`
	Style document.Style   `json:"style,omitzero"`
	Data  string           `json:"data,omitempty"` // QR / barcode payload
	Count int              `json:"count,omitempty"`
	Image *document.Raster `json:"-"`           // raster images, for tests that scan them
	W     int              `json:"w,omitempty"` // image size in dots
	H     int              `json:"h,omitempty"` // and barcode height
	// Module is a native QR code's module size or a barcode's narrow bar
	// width, in dots, as the bytes set them (the picture preview draws them).
	Module int `json:"module,omitempty"`
}

// LabelView is one TSPL label.
type LabelView struct {
	WidthMM  int           `json:"width_mm"`
	HeightMM int           `json:"height_mm"`
	Copies   int           `json:"copies"`
	Items    []LabelItem   `json:"items"`
	Lines    []PreviewLine `json:"lines"` // Items grouped into text lines, top to bottom
}

// LabelItem is one drawn element of a label.
type LabelItem struct {
	Kind   string           `json:"kind"` // text | qr | barcode | bar | bitmap
	X      int              `json:"x"`
	Y      int              `json:"y"`
	Text   string           `json:"text,omitempty"`
	XMul   int              `json:"xmul,omitempty"`
	YMul   int              `json:"ymul,omitempty"`
	Invert bool             `json:"invert,omitempty"`
	W      int              `json:"w,omitempty"` // bar and bitmap width; QR cell width and barcode narrow bar, in dots
	H      int              `json:"h,omitempty"`
	Image  *document.Raster `json:"-"` // bitmap: its dots (1 = black)
}

// Texts is every text line of the preview (labels included), for tests.
func (p Preview) Texts() []string {
	var out []string
	for _, l := range p.Lines {
		if l.Kind == LineText {
			out = append(out, l.Text)
		}
	}
	for _, lb := range p.Labels {
		for _, l := range lb.Lines {
			if l.Kind == LineText {
				out = append(out, l.Text)
			}
		}
	}
	return out
}

// Text is a plain-text rendering: alignment applied, QR and barcode payloads
// and cuts shown in brackets.
func (p Preview) Text() string {
	cols := p.Columns
	if cols <= 0 {
		cols = 48
	}
	var sb strings.Builder
	writeLines(&sb, p.Lines, cols)
	for i, lb := range p.Labels {
		head := "┌─ 标签 " + strconv.Itoa(i+1) + " (" + strconv.Itoa(lb.WidthMM) + "×" + strconv.Itoa(lb.HeightMM) + " mm)"
		sb.WriteString(head + "\n")
		writeLines(&sb, lb.Lines, 0)
		sb.WriteString("└─ ×" + strconv.Itoa(lb.Copies) + "\n")
	}
	return sb.String()
}

func writeLines(sb *strings.Builder, lines []PreviewLine, cols int) {
	for _, l := range lines {
		switch l.Kind {
		case LineText:
			if cols > 0 && l.Style.Align != document.AlignLeft {
				w := document.TextColumns(l.Text) * l.Style.W()
				sb.WriteString(strings.Repeat(" ", document.AlignPadding(l.Style.Align, w, cols)))
			}
			if l.Style.Invert {
				sb.WriteString("▌" + l.Text + "▐")
			} else {
				sb.WriteString(l.Text)
			}
		case LineQR:
			sb.WriteString("[二维码: " + l.Data + "]")
		case LineBarcode:
			sb.WriteString("[条码: " + l.Data + "]")
		case LineImage:
			sb.WriteString("[图像 " + strconv.Itoa(l.W) + "×" + strconv.Itoa(l.H) + "]")
		case LineCut:
			sb.WriteString("✂" + strings.Repeat("-", max(cols, 24)-1))
		case LineFeed:
			continue
		case LineBeep:
			sb.WriteString("[蜂鸣 ×" + strconv.Itoa(l.Count) + "]")
		case LineDrawer:
			sb.WriteString("[钱箱]")
		case LineLabel:
			sb.WriteString("[下一张标签]")
		}
		sb.WriteByte('\n')
	}
}

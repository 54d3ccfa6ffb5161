package document

import (
	"fmt"
	"strings"

	"github.com/posbridge/posbridge/config"
)

// Languages a printer speaks.
const (
	LangESCPOS = "escpos"
	LangTSPL   = "tspl"
)

// Roles of a printer.
const (
	RoleReceipt = "receipt"
	RoleKitchen = "kitchen"
	RoleLabel   = "label"
)

// Modes for QR codes and barcodes.
const (
	ModeNative = "native"
	ModeRaster = "raster"
	ModeOff    = "off"
)

// Cut modes.
const (
	CutPartial = "partial"
	CutFull    = "full"
	CutNone    = "none"
)

// Profile is what a driver needs to know about one printer: geometry, charset
// and which native features to trust. It is derived from config.PrinterConfig.
type Profile struct {
	Name     string
	Role     string
	Language string
	Columns  int // Font A columns of the roll (32 on 58 mm, 48 on 80 mm)
	Dots     int // printable dots per line (384 / 576)
	Charset  *Charset
	QR       string // native | raster
	Barcode  string // native | raster | off
	Cut      string // partial | full | none
	Beep     bool   // honour beep blocks
	Copies   int    // copies of every document, ≥ 1
	Label    LabelGeometry
}

// LabelGeometry is the label stock in dots.
type LabelGeometry struct {
	WidthMM, HeightMM int
	GapMM             int  // 0 = continuous stock
	BlackMark         bool // BLINE instead of GAP
	OffsetX, OffsetY  int  // dots
	DPI               int
}

// DotsPerMM is the resolution of the label printer (8 at 203 dpi).
func (g LabelGeometry) DotsPerMM() float64 { return float64(g.DPI) / 25.4 }

// WidthDots and HeightDots are the label size in dots.
func (g LabelGeometry) WidthDots() int  { return int(float64(g.WidthMM)*g.DotsPerMM() + 0.5) }
func (g LabelGeometry) HeightDots() int { return int(float64(g.HeightMM)*g.DotsPerMM() + 0.5) }

// ProfileFromConfig validates one printer's config and fills the defaults.
func ProfileFromConfig(pc config.PrinterConfig) (Profile, error) {
	p := Profile{Name: pc.Name}
	if strings.TrimSpace(pc.Name) == "" {
		return p, fmt.Errorf("a printer has no name: give every printer a unique name")
	}
	where := fmt.Sprintf("printer %q", pc.Name)
	p.Role = strings.ToLower(strings.TrimSpace(pc.Role))
	switch p.Role {
	case RoleReceipt, RoleKitchen, RoleLabel:
	case "":
		p.Role = RoleReceipt
	default:
		return p, fmt.Errorf("%s: role %q is not one of receipt, kitchen, label", where, pc.Role)
	}
	p.Language = strings.ToLower(strings.TrimSpace(pc.Language))
	switch p.Language {
	case LangESCPOS, LangTSPL:
	case "":
		p.Language = LangESCPOS
		if p.Role == RoleLabel {
			p.Language = LangTSPL
		}
	default:
		return p, fmt.Errorf("%s: language %q is not one of escpos, tspl", where, pc.Language)
	}
	switch strings.ToLower(strings.TrimSpace(pc.Paper)) {
	case "", "80mm", "80":
		p.Columns, p.Dots = 48, 576
	case "58mm", "58":
		p.Columns, p.Dots = 32, 384
	default:
		return p, fmt.Errorf("%s: paper %q is not 58mm or 80mm (use columns for other print widths)", where, pc.Paper)
	}
	if pc.Columns != 0 {
		if pc.Columns < 16 || pc.Columns > 96 {
			return p, fmt.Errorf("%s: columns %d is out of range 16–96", where, pc.Columns)
		}
		p.Columns, p.Dots = pc.Columns, pc.Columns*12
	}
	cs, err := CharsetByName(pc.Charset)
	if err != nil {
		return p, fmt.Errorf("%s: %w", where, err)
	}
	p.Charset = cs
	if p.QR, err = pickMode(pc.QR, ModeNative, where, "qr", ModeNative, ModeRaster); err != nil {
		return p, err
	}
	if p.Barcode, err = pickMode(pc.Barcode, ModeNative, where, "barcode", ModeNative, ModeRaster, ModeOff); err != nil {
		return p, err
	}
	if p.Cut, err = pickMode(pc.Cut, CutPartial, where, "cut", CutPartial, CutFull, CutNone); err != nil {
		return p, err
	}
	p.Beep = p.Role == RoleKitchen
	if pc.Beep != nil {
		p.Beep = *pc.Beep
	}
	if pc.Copies < 0 || pc.Copies > 9 {
		return p, fmt.Errorf("%s: copies %d is out of range 1–9", where, pc.Copies)
	}
	p.Copies = max(1, pc.Copies)
	if p.Role == RoleLabel || p.Language == LangTSPL {
		g, err := labelGeometry(pc.Label, where)
		if err != nil {
			return p, err
		}
		p.Label = g
		if p.Language == LangESCPOS {
			// an ESC/POS label printer prints across the label width
			p.Dots = g.WidthDots()
			p.Columns = p.Dots / 12
		}
	}
	return p, nil
}

func pickMode(v, def, where, key string, allowed ...string) (string, error) {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		return def, nil
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", fmt.Errorf("%s: %s %q is not one of %s", where, key, v, strings.Join(allowed, ", "))
}

func labelGeometry(lc config.LabelConfig, where string) (LabelGeometry, error) {
	g := LabelGeometry{WidthMM: lc.WidthMM, HeightMM: lc.HeightMM, GapMM: lc.GapMM,
		OffsetX: lc.OffsetX, OffsetY: lc.OffsetY, DPI: lc.DPI}
	if g.WidthMM == 0 {
		g.WidthMM = 40
	}
	if g.HeightMM == 0 {
		g.HeightMM = 30
	}
	if g.DPI == 0 {
		g.DPI = 203
	}
	if g.WidthMM < 20 || g.WidthMM > 110 || g.HeightMM < 15 || g.HeightMM > 150 {
		return g, fmt.Errorf("%s: label %d×%d mm is out of range (20–110 × 15–150 mm)", where, g.WidthMM, g.HeightMM)
	}
	if g.GapMM < 0 || g.GapMM > 10 {
		return g, fmt.Errorf("%s: label gap_mm %d is out of range 0–10", where, g.GapMM)
	}
	if g.DPI != 203 && g.DPI != 300 {
		return g, fmt.Errorf("%s: label dpi %d is not 203 or 300", where, g.DPI)
	}
	if abs(g.OffsetX) > 200 || abs(g.OffsetY) > 200 {
		return g, fmt.Errorf("%s: label offset_x/offset_y must be within ±200 dots", where)
	}
	switch strings.ToLower(strings.TrimSpace(lc.Sensor)) {
	case "", "gap":
	case "bline", "black_mark", "mark":
		g.BlackMark = true
	default:
		return g, fmt.Errorf("%s: label sensor %q is not gap or bline", where, lc.Sensor)
	}
	return g, nil
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

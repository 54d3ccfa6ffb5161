// Package presets holds the printer models Chinese shops buy (芯烨 Xprinter,
// 佳博 Gprinter, 商米 Sunmi, 汉印 HPRT), what is known about each (paper,
// columns, character set, cutter, status replies, native QR and barcodes,
// label resolution), where each fact comes from, and the printer config
// keys a preset fills in. A fact that could not be confirmed in a vendor
// document is cited as "unverified" and its setting is the conservative one:
// the setting that prints correctly, if more slowly or plainly, on every
// unit of the model (raster QR codes, status queries off, 42 columns on an
// 80 mm printer whose print width is unconfirmed).
//
// It depends on nothing of posbridge: the console's printer form and the
// setup page look presets up by model name or by the USB ids discovery
// found, and write Settings into the settings layer.
package presets

import (
	"cmp"
	"slices"
	"strings"
)

// Kind is what a printer prints on.
type Kind string

const (
	Receipt Kind = "receipt" // receipt and kitchen tickets (ESC/POS)
	Label   Kind = "label"   // cup labels (TSPL)
)

// Support is whether a model does something: yes and no only from a
// document; unknown otherwise.
type Support string

const (
	Yes     Support = "yes"
	No      Support = "no"
	Unknown Support = "unknown"
)

// Fact names a fact of a preset, for its citation.
type Fact string

const (
	FactLanguage   Fact = "language"
	FactPaper      Fact = "paper"   // roll width (receipt) or largest label width
	FactColumns    Fact = "columns" // Font A columns, from the print width
	FactCharset    Fact = "charset"
	FactCutter     Fact = "cutter"
	FactStatus     Fact = "status" // DLE EOT and GS r (receipt), <ESC>!? (label)
	FactQR         Fact = "qr"
	FactBarcode    Fact = "barcode"
	FactDPI        Fact = "dpi"
	FactInterfaces Fact = "interfaces"
)

// Preset is one printer model.
type Preset struct {
	ID      string   `json:"id"`       // "xprinter-xp-80c"
	Brand   string   `json:"brand"`    // "Xprinter"
	BrandZH string   `json:"brand_zh"` // "芯烨"
	Model   string   `json:"model"`    // "XP-80C"
	Aliases []string `json:"aliases,omitempty"`
	Kind    Kind     `json:"kind"`
	// Language is escpos or tspl.
	Language string `json:"language"`
	// PaperMM is the roll width (58 or 80) of a receipt printer, or the
	// widest label stock of a label printer.
	PaperMM int `json:"paper_mm"`
	// Columns of Font A (12 dots) across the print width; receipt only.
	Columns int `json:"columns,omitempty"`
	// Charset is what the resident Chinese font holds: gbk, gb2312, gb18030.
	Charset string  `json:"charset,omitempty"`
	Cutter  Support `json:"cutter"`
	// DLEEOT and GSr: real-time status and the in-order status fence
	// (receipt); DLEEOT stands for <ESC>!? on a label printer.
	DLEEOT        Support `json:"dle_eot"`
	GSr           Support `json:"gs_r"`
	NativeQR      Support `json:"native_qr"`
	NativeBarcode Support `json:"native_barcode"`
	DPI           int     `json:"dpi"`
	// Interfaces the model is sold with: usb, serial, lan, wifi, bluetooth, builtin.
	Interfaces []string `json:"interfaces"`
	// Note is for the installer, in Chinese.
	Note string `json:"note,omitempty"`
	// Sources cite each fact: a vendor document (title or URL) and where in
	// it, or "unverified: …" with why the value is the conservative one.
	Sources map[Fact]string `json:"sources"`
}

// Settings are the printer config keys a preset fills in (config's
// PrinterConfig names; yaml and mapstructure tags as there). Keys the preset
// has no opinion on are left out, so config's defaults apply.
type Settings struct {
	Language    string         `json:"language,omitempty" yaml:"language,omitempty" mapstructure:"language"`
	Paper       string         `json:"paper,omitempty" yaml:"paper,omitempty" mapstructure:"paper"`
	Columns     int            `json:"columns,omitempty" yaml:"columns,omitempty" mapstructure:"columns"`
	Charset     string         `json:"charset,omitempty" yaml:"charset,omitempty" mapstructure:"charset"`
	StatusQuery string         `json:"status_query,omitempty" yaml:"status_query,omitempty" mapstructure:"status_query"`
	QR          string         `json:"qr,omitempty" yaml:"qr,omitempty" mapstructure:"qr"`
	Barcode     string         `json:"barcode,omitempty" yaml:"barcode,omitempty" mapstructure:"barcode"`
	Cut         string         `json:"cut,omitempty" yaml:"cut,omitempty" mapstructure:"cut"`
	Label       *LabelSettings `json:"label,omitempty" yaml:"label,omitempty" mapstructure:"label"`
}

// LabelSettings are the label keys a preset fills in. The stock's size and
// gap belong to the roll in the printer, not the model.
type LabelSettings struct {
	DPI int `json:"dpi,omitempty" yaml:"dpi,omitempty" mapstructure:"dpi"`
}

// Settings gives the config a preset suggests. Status queries are on only
// when both replies are documented (a printer that does not answer the
// GS r fence would hold every job as unconfirmed); native QR codes and
// barcodes only when documented (an undocumented one may print the command
// bytes as text, spec §5).
func (p Preset) Settings() Settings {
	native := func(s Support) string {
		if s == Yes {
			return "native"
		}
		return "raster"
	}
	s := Settings{Language: p.Language, Charset: p.Charset, QR: native(p.NativeQR), Barcode: native(p.NativeBarcode), StatusQuery: "off"}
	switch p.Kind {
	case Receipt:
		s.Paper = map[int]string{58: "58mm", 80: "80mm"}[p.PaperMM]
		s.Columns = p.Columns
		if p.DLEEOT == Yes && p.GSr == Yes {
			s.StatusQuery = "on"
		}
		// A cut command is harmless on a printer without a cutter (it feeds
		// the paper past the tear bar), so only a documented "no" drops it.
		s.Cut = "partial"
		if p.Cutter == No {
			s.Cut = "none"
		}
	case Label:
		if p.DLEEOT == Yes {
			s.StatusQuery = "on"
		}
		s.Cut = "none"
		if p.Cutter == Yes {
			s.Cut = "full"
		}
		s.Label = &LabelSettings{DPI: p.DPI}
		// posbridge's TSPL encoder draws QRCODE and BARCODE with the
		// printer's own commands whatever qr and barcode say (they choose
		// raster only on ESC/POS), so a label preset leaves them alone.
		s.QR, s.Barcode = "", ""
	}
	return s
}

// All lists every preset, by brand and model.
func All() []Preset {
	out := slices.Concat(xprinter, gprinter, sunmi, hprt)
	slices.SortStableFunc(out, func(a, b Preset) int {
		return cmp.Or(cmp.Compare(a.Brand, b.Brand), cmp.Compare(a.Model, b.Model))
	})
	return out
}

// Lookup finds a preset by id, model or alias; case, spaces, dashes and
// underscores do not matter ("xp80c", "XP-80C", "GP L80160").
func Lookup(name string) (Preset, bool) {
	key := squash(name)
	if key == "" {
		return Preset{}, false
	}
	for _, p := range All() {
		if squash(p.ID) == key || squash(p.Model) == key || slices.ContainsFunc(p.Aliases, func(a string) bool { return squash(a) == key }) {
			return p, true
		}
	}
	return Preset{}, false
}

// Match gives the presets that fit what discovery learned about a device:
// its USB ids (four hex digits, any case; "" when none) and any model text
// it reported (IEEE 1284 MDL, USB product string, Windows driver name).
// Best first: a model named in the text, then the models of the brand the
// USB ids belong to. Empty when nothing fits.
func Match(vendorID, productID, model string) []Preset {
	type scored struct {
		p     Preset
		score int
	}
	var brand, product string
	var kind Kind
	if id, ok := usbID(vendorID, productID); ok {
		brand, product, kind = id.Brand, id.Product, id.Kind
	}
	text := squash(model + " " + product)
	var out []scored
	for _, p := range All() {
		score := 0
		if text != "" && mentions(text, p) {
			score += 10
		}
		if brand != "" && p.Brand == brand {
			score += 2
			if p.Kind == kind {
				score++
			}
		}
		if score > 0 {
			out = append(out, scored{p, score})
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int { return b.score - a.score })
	ps := make([]Preset, len(out))
	for i, s := range out {
		ps[i] = s.p
	}
	return ps
}

// mentions reports whether squashed text names the preset's model or an alias.
func mentions(text string, p Preset) bool {
	for _, n := range append([]string{p.Model}, p.Aliases...) {
		if n := squash(n); len(n) >= 4 && strings.Contains(text, n) {
			return true
		}
	}
	return false
}

func squash(s string) string {
	return strings.NewReplacer(" ", "", "-", "", "_", "", "/", "").Replace(strings.ToUpper(strings.TrimSpace(s)))
}

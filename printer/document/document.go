// Package document is the neutral printed document (blocks of text, rows, codes
// and images), the templates that build one from an order (receipt, kitchen
// tickets, cup labels, slips), the printer profile it is laid out for, and the
// text layout both encoders share.
package document

import (
	"encoding/json"
	"fmt"
)

// Kind says what a document is; it decides defaults such as the beep and
// whether a 补打 mark goes on every label.
type Kind string

const (
	KindReceipt Kind = "receipt" // 小票
	KindKitchen Kind = "kitchen" // 厨打
	KindLabel   Kind = "label"   // 杯贴
	KindCancel  Kind = "cancel"  // 取消单
	KindRefund  Kind = "refund"  // 退单
	KindPause   Kind = "pause"   // 暂停制作
	KindResume  Kind = "resume"  // 恢复制作
	KindTest    Kind = "test"    // 测试页
	KindBeep    Kind = "beep"    // a bare buzzer call, nothing printed
)

// Media is the paper a document is laid out for.
type Media string

const (
	MediaRoll  Media = "roll"  // continuous receipt paper
	MediaLabel Media = "label" // die-cut labels: every Cut block ends one label
)

// Document is what a template produces and a job stores as JSON. It holds no
// printer geometry: drivers lay it out for the printer at send time, so a job
// can move to a backup printer of another width and a reprint can be marked.
type Document struct {
	Kind      Kind   `json:"kind"`
	Media     Media  `json:"media,omitempty"` // "" = roll
	OrderCode string `json:"order_code,omitempty"`
	// Copies of the whole document; 0 = the printer's configured copies.
	Copies int `json:"copies,omitempty"`
	// Reprint adds the 补打 mark; set when a job found in `sending` after a
	// crash or a dropped link is printed again, or on a staff reprint.
	Reprint bool `json:"reprint,omitempty"`
	// Sandbox adds the 测试 mark: nothing the sandbox prints may pass for a real order.
	Sandbox bool    `json:"sandbox,omitempty"`
	Blocks  []Block `json:"blocks"`
}

// BlockType names a block.
type BlockType string

const (
	BlockText      BlockType = "text"      // Text, wrapped to the line width
	BlockRow       BlockType = "row"       // Text on the left (wrapped), Right kept on the first line
	BlockSeparator BlockType = "separator" // a full line of Char (default "-")
	BlockQR        BlockType = "qr"        // Data as a QR code
	BlockBarcode   BlockType = "barcode"   // Data as Code128, dropped when it cannot fit the paper
	BlockImage     BlockType = "image"     // Image, a 1-bit raster
	BlockFeed      BlockType = "feed"      // Lines blank lines
	BlockCut       BlockType = "cut"       // cut the paper (roll) or end the label (label media)
	BlockBeep      BlockType = "beep"      // buzzer, only on printers with beep enabled
	BlockDrawer    BlockType = "drawer"    // cash-drawer pulse
)

// Align is the horizontal alignment of a block.
type Align string

const (
	AlignLeft   Align = ""
	AlignCenter Align = "center"
	AlignRight  Align = "right"
)

// Style is how text is printed. Zero value = normal size, left aligned.
type Style struct {
	Width     int   `json:"w,omitempty"` // character width multiplier 1–8; 0 = 1
	Height    int   `json:"h,omitempty"` // character height multiplier 1–8; 0 = 1
	Bold      bool  `json:"bold,omitempty"`
	Invert    bool  `json:"invert,omitempty"` // white on black, to set text off
	Underline bool  `json:"underline,omitempty"`
	Align     Align `json:"align,omitempty"`
}

// W is the effective width multiplier (1–8).
func (s Style) W() int { return clampMul(s.Width) }

// H is the effective height multiplier (1–8).
func (s Style) H() int { return clampMul(s.Height) }

func clampMul(v int) int {
	if v < 1 {
		return 1
	}
	if v > 8 {
		return 8
	}
	return v
}

// Block is one element of a document. One flat struct rather than an
// interface keeps the JSON plain and the render loop free of type switches on
// decoded interfaces.
type Block struct {
	Type  BlockType `json:"type"`
	Style Style     `json:"style,omitzero"`
	Text  string    `json:"text,omitempty"`
	Right string    `json:"right,omitempty"` // row: right column
	Char  string    `json:"char,omitempty"`  // separator character
	Data  string    `json:"data,omitempty"`  // qr / barcode payload
	// Size is the QR module size in dots (0 = driver default) or the barcode
	// height in dots (0 = driver default).
	Size  int     `json:"size,omitempty"`
	Lines int     `json:"lines,omitempty"` // feed: blank lines; beep: number of beeps
	Image *Raster `json:"image,omitempty"`
	// Hang, when set, breaks the text's lines at spaces (the " / " between
	// a dish's options) rather than inside a word, and starts every
	// continuation line after Hang columns, so that "+珍珠" never reads
	// "+珍 / 珠" and a wrapped line is seen to belong to the one above.
	Hang int `json:"hang,omitempty"`
}

// Constructors keep templates short and readable.

// Text is a wrapped text block.
func Text(s string, st Style) Block { return Block{Type: BlockText, Text: s, Style: st} }

// Row is a two-column row: left wraps, right stays on its first line.
func Row(left, right string, st Style) Block {
	return Block{Type: BlockRow, Text: left, Right: right, Style: st}
}

// Hanging is Text (or, with right, a Row) whose lines break at spaces, with
// continuation lines indented by hang columns.
func Hanging(left, right string, hang int, st Style) Block {
	b := Text(left, st)
	if right != "" {
		b = Row(left, right, st)
	}
	b.Hang = max(hang, 1)
	return b
}

// Separator is a full-width rule of ch ("" = "-").
func Separator(ch string) Block { return Block{Type: BlockSeparator, Char: ch} }

// QR is a centred QR code of data.
func QR(data string) Block {
	return Block{Type: BlockQR, Data: data, Style: Style{Align: AlignCenter}}
}

// Barcode is a centred Code128 of data with its human-readable text below.
func Barcode(data string) Block {
	return Block{Type: BlockBarcode, Data: data, Style: Style{Align: AlignCenter}}
}

// Image is a raster image block.
func Image(r *Raster, align Align) Block {
	return Block{Type: BlockImage, Image: r, Style: Style{Align: align}}
}

// Feed is n blank lines.
func Feed(n int) Block { return Block{Type: BlockFeed, Lines: n} }

// Cut cuts the paper or, on label media, ends the label.
func Cut() Block { return Block{Type: BlockCut} }

// Beep sounds the buzzer n times where the printer has it enabled.
func Beep(n int) Block { return Block{Type: BlockBeep, Lines: n} }

// Drawer opens the cash drawer.
func Drawer() Block { return Block{Type: BlockDrawer} }

// Marshal is the JSON a job stores.
func (d Document) Marshal() ([]byte, error) { return json.Marshal(d) }

// UnmarshalDocument reads a stored document and checks it can be rendered.
func UnmarshalDocument(b []byte) (Document, error) {
	var d Document
	if err := json.Unmarshal(b, &d); err != nil {
		return Document{}, fmt.Errorf("printer document is not valid JSON: %w", err)
	}
	if err := d.Validate(); err != nil {
		return Document{}, err
	}
	return d, nil
}

// Validate reports blocks a driver could not render.
func (d Document) Validate() error {
	switch d.Media {
	case "", MediaRoll, MediaLabel:
	default:
		return fmt.Errorf("printer document: unknown media %q (want roll or label)", d.Media)
	}
	for i, b := range d.Blocks {
		switch b.Type {
		case BlockText, BlockRow, BlockSeparator, BlockFeed, BlockCut, BlockBeep, BlockDrawer:
		case BlockQR, BlockBarcode:
			if b.Data == "" {
				return fmt.Errorf("printer document: block %d (%s) has no data", i, b.Type)
			}
		case BlockImage:
			if err := b.Image.Validate(); err != nil {
				return fmt.Errorf("printer document: block %d: %w", i, err)
			}
		default:
			return fmt.Errorf("printer document: block %d has unknown type %q", i, b.Type)
		}
	}
	return nil
}

// Labels splits a label document into its labels (each ends at a Cut block;
// trailing blocks after the last Cut form a last label).
func (d Document) Labels() [][]Block {
	var out [][]Block
	start := 0
	for i, b := range d.Blocks {
		if b.Type == BlockCut {
			out = append(out, d.Blocks[start:i])
			start = i + 1
		}
	}
	if start < len(d.Blocks) {
		out = append(out, d.Blocks[start:])
	}
	return out
}

// Code generated for the move into printer/document; trimmed when the move ends.
package printer

import (
	"image"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer/document"
)

type (
	Align         = document.Align
	Block         = document.Block
	BlockType     = document.BlockType
	Charset       = document.Charset
	Document      = document.Document
	Kind          = document.Kind
	LabelGeometry = document.LabelGeometry
	Layout        = document.Layout
	Matcher       = document.Matcher
	Media         = document.Media
	Options       = document.Options
	Profile       = document.Profile
	Raster        = document.Raster
	Style         = document.Style
)

const (
	AlignCenter             = document.AlignCenter
	AlignLeft               = document.AlignLeft
	AlignRight              = document.AlignRight
	BlockBarcode            = document.BlockBarcode
	BlockBeep               = document.BlockBeep
	BlockCut                = document.BlockCut
	BlockDrawer             = document.BlockDrawer
	BlockFeed               = document.BlockFeed
	BlockImage              = document.BlockImage
	BlockQR                 = document.BlockQR
	BlockRow                = document.BlockRow
	BlockSeparator          = document.BlockSeparator
	BlockText               = document.BlockText
	CharsetGB18030          = document.CharsetGB18030
	CharsetGB2312           = document.CharsetGB2312
	CharsetGBK              = document.CharsetGBK
	Code128QuietModules     = document.Code128QuietModules
	CutFull                 = document.CutFull
	CutNone                 = document.CutNone
	CutPartial              = document.CutPartial
	KindBeep                = document.KindBeep
	KindCancel              = document.KindCancel
	KindKitchen             = document.KindKitchen
	KindLabel               = document.KindLabel
	KindPartialRefund       = document.KindPartialRefund
	KindPause               = document.KindPause
	KindReceipt             = document.KindReceipt
	KindRefund              = document.KindRefund
	KindReminder            = document.KindReminder
	KindResume              = document.KindResume
	KindTest                = document.KindTest
	LangESCPOS              = document.LangESCPOS
	LangTSPL                = document.LangTSPL
	MaxRasterDots           = document.MaxRasterDots
	MediaLabel              = document.MediaLabel
	MediaRoll               = document.MediaRoll
	ModeNative              = document.ModeNative
	ModeOff                 = document.ModeOff
	ModeRaster              = document.ModeRaster
	PartialRefundBackOffice = document.PartialRefundBackOffice
	Replacement             = document.Replacement
	RoleKitchen             = document.RoleKitchen
	RoleLabel               = document.RoleLabel
	RoleReceipt             = document.RoleReceipt
)

var (
	Shanghai = document.Shanghai
)

func AlignPadding(a document.Align, w int, cols int) int { return document.AlignPadding(a, w, cols) }
func AppendSpaces(dst []byte, n int) []byte              { return document.AppendSpaces(dst, n) }
func Barcode(data string) document.Block                 { return document.Barcode(data) }
func Beep(n int) document.Block                          { return document.Beep(n) }
func BeepDocument(times int) document.Document           { return document.BeepDocument(times) }
func CancelSlip(o *order.Order, reason string, opt document.Options) document.Document {
	return document.CancelSlip(o, reason, opt)
}
func CharsetByName(name string) (*document.Charset, error) { return document.CharsetByName(name) }
func Code128ModuleDots(modules int, dots int) int          { return document.Code128ModuleDots(modules, dots) }
func Code128Payload(dst []byte, s string) (out []byte, modules int, ok bool) {
	return document.Code128Payload(dst, s)
}
func CupLabels(o *order.Order, m document.Matcher, opt document.Options) []document.Document {
	return document.CupLabels(o, m, opt)
}
func Cut() document.Block                                     { return document.Cut() }
func CutLine(s string) (line string, rest string, found bool) { return document.CutLine(s) }
func DecodeCode128Payload(d []byte) string                    { return document.DecodeCode128Payload(d) }
func DecodeGB(lead byte, trail byte) (rune, bool)             { return document.DecodeGB(lead, trail) }
func Drawer() document.Block                                  { return document.Drawer() }
func Feed(n int) document.Block                               { return document.Feed(n) }
func Hanging(left string, right string, hang int, st document.Style) document.Block {
	return document.Hanging(left, right, hang, st)
}
func Image(r *document.Raster, align document.Align) document.Block { return document.Image(r, align) }
func KitchenTickets(o *order.Order, m document.Matcher, opt document.Options) []document.Document {
	return document.KitchenTickets(o, m, opt)
}
func LayoutFrom(c config.LayoutConfig) document.Layout { return document.LayoutFrom(c) }
func LoadImage(path string, maxW int) (*document.Raster, error) {
	return document.LoadImage(path, maxW)
}
func MustCharset(name string) *document.Charset        { return document.MustCharset(name) }
func NewMatcher(m config.MatchConfig) document.Matcher { return document.NewMatcher(m) }
func NewRaster(w int, h int) *document.Raster          { return document.NewRaster(w, h) }
func NextLine(b []byte, start int, cols int) (end int, next int) {
	return document.NextLine(b, start, cols)
}
func OptionsFor(pc config.PrinterConfig, pr config.PrintConfig) document.Options {
	return document.OptionsFor(pc, pr)
}
func PartialRefundSlip(o *order.Order, amount order.Fen, items []order.Item, reason string, opt document.Options) document.Document {
	return document.PartialRefundSlip(o, amount, items, reason, opt)
}
func PauseNotice(o *order.Order, reason string, opt document.Options) document.Document {
	return document.PauseNotice(o, reason, opt)
}
func ProfileFromConfig(pc config.PrinterConfig) (document.Profile, error) {
	return document.ProfileFromConfig(pc)
}
func QR(data string) document.Block { return document.QR(data) }
func RasterFromImage(img image.Image, maxW int) *document.Raster {
	return document.RasterFromImage(img, maxW)
}
func Receipt(o *order.Order, opt document.Options) document.Document { return document.Receipt(o, opt) }
func RefundSlip(o *order.Order, reason string, opt document.Options) document.Document {
	return document.RefundSlip(o, reason, opt)
}
func ReminderSlip(o *order.Order, opt document.Options) document.Document {
	return document.ReminderSlip(o, opt)
}
func ResumeNotice(o *order.Order, opt document.Options) document.Document {
	return document.ResumeNotice(o, opt)
}
func Row(left string, right string, st document.Style) document.Block {
	return document.Row(left, right, st)
}
func Separator(ch string) document.Block { return document.Separator(ch) }
func TestPage(p document.Profile, at time.Time, sandbox bool) document.Document {
	return document.TestPage(p, at, sandbox)
}
func Text(s string, st document.Style) document.Block       { return document.Text(s, st) }
func TextColumns(s string) int                              { return document.TextColumns(s) }
func UnmarshalDocument(b []byte) (document.Document, error) { return document.UnmarshalDocument(b) }
func ValidateMatch(m config.MatchConfig) error              { return document.ValidateMatch(m) }
func WrapLine(b []byte, start int, cols int, hang int) (end int, next int) {
	return document.WrapLine(b, start, cols, hang)
}

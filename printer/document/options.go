package document

import (
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
)

// Options are the per-printer choices templates follow. Templates are pure
// functions of an order and Options; nothing here is read from a clock or disk.
type Options struct {
	ShowPrices bool
	Footer     string
	Copies     int     // copies of the document; 0 = the printer's configured copies
	FontSize   int     // 1 normal, 2 large, 3 extra large (item lines)
	Logo       *Raster // receipt header image; nil = none
	StoreName  string  // used when the order carries no store name
	Station    string  // kitchen station shown on kitchen tickets (the printer's name)
	// SplitByItem prints one kitchen ticket per item instead of one per station.
	SplitByItem bool
	// Sandbox puts the 测试 mark on the document.
	Sandbox bool
	// PrintedAt is printed on slips ("" when zero); the caller passes the event time.
	PrintedAt time.Time
	// Added titles kitchen tickets 加菜: items a 围餐 table added to an order
	// the kitchen already has.
	Added bool
	// Layout is the document's layout (layouts: in the config).
	Layout Layout
}

// OptionsFor merges the shared print options with one printer's overrides.
// The logo is not loaded here (no I/O): set Options.Logo from LoadImage.
func OptionsFor(pc config.PrinterConfig, pr config.PrintConfig) Options {
	o := Options{ShowPrices: true, Footer: pr.Footer, FontSize: 1, Station: pc.Name}
	if pr.ShowPrices != nil {
		o.ShowPrices = *pr.ShowPrices
	}
	if pc.ShowPrices != nil {
		o.ShowPrices = *pc.ShowPrices
	}
	if pc.Footer != "" {
		o.Footer = pc.Footer
	}
	if strings.EqualFold(pc.Role, RoleKitchen) {
		o.FontSize = 2
	}
	if pc.FontSize > 0 {
		o.FontSize = min(pc.FontSize, 3)
	}
	o.SplitByItem = strings.EqualFold(pr.KitchenSplit, "item")
	return o
}

// Shanghai is the platform's time zone (fixed +08:00, no DST): every time on
// paper is in it, whatever the PC's zone is.
var Shanghai = time.FixedZone("CST", 8*3600)

func fmtDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Shanghai).Format("2006-01-02 15:04")
}

func fmtClock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Shanghai).Format("15:04")
}

// TextColumns is the printed width of s: one column per ASCII byte, two per other
// character. It is the same in gbk, gb2312 and gb18030, replacements included.
func TextColumns(s string) int { return MustCharset(CharsetGBK).Width(s) }

// padLeft right-aligns s in w columns.
func padLeft(s string, w int) string {
	if n := w - TextColumns(s); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}

func qty(n int) string { return "×" + strconv.Itoa(n) }

// storeName is the order's store name or the configured fallback.
func storeName(o *order.Order, opt Options) string {
	if s := strings.TrimSpace(o.StoreName); s != "" {
		return s
	}
	return strings.TrimSpace(opt.StoreName)
}

// itemOptions is spec, property and materials on one line, e.g. "大杯 / 三分糖 / +珍珠".
func itemOptions(it *order.Item) string {
	s := it.Options()
	for _, m := range it.Materials {
		name := strings.TrimSpace(m.Name)
		if name == "" {
			continue
		}
		if m.Quantity > 1 {
			name += qty(m.Quantity)
		}
		if s != "" {
			s += " / "
		}
		s += "+" + name
	}
	return s
}

func itemName(it *order.Item) string {
	if n := strings.TrimSpace(it.Name); n != "" {
		return n
	}
	if it.ProductCode != "" {
		return "商品" + it.ProductCode
	}
	return "未命名商品"
}

// typeLabel is the order type in Chinese, "" when the order carries none.
func typeLabel(o *order.Order) string {
	if o.Type == 0 {
		return ""
	}
	return o.Type.Label()
}

package document

import (
	"strings"

	"github.com/posbridge/posbridge/config"
)

// Layout is what one document prints (layouts: in the config): fields left
// out, header and footer text, the item font size. The zero Layout prints
// everything as the templates always did.
type Layout struct {
	Header   string
	Footer   string // replaces Options.Footer when set
	FontSize int    // item lines; 0 = Options.FontSize
	hide     map[string]bool
}

// LayoutFrom compiles a document's layout config.
func LayoutFrom(c config.LayoutConfig) Layout {
	l := Layout{Header: strings.TrimSpace(c.Header), Footer: strings.TrimSpace(c.Footer), FontSize: min(max(c.FontSize, 0), 3)}
	for _, f := range c.Hide {
		if l.hide == nil {
			l.hide = map[string]bool{}
		}
		l.hide[strings.TrimSpace(f)] = true
	}
	return l
}

// Shows reports whether a field prints.
func (l Layout) Shows(field string) bool { return !l.hide[field] }

// footer is the layout's footer, else the printer's.
func (l Layout) footer(opt Options) string {
	if l.Footer != "" {
		return l.Footer
	}
	return strings.TrimSpace(opt.Footer)
}

// fontSize is the layout's item font size, else the printer's.
func (l Layout) fontSize(opt Options) int {
	if l.FontSize > 0 {
		return l.FontSize
	}
	return opt.FontSize
}

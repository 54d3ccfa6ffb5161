package config

import (
	"fmt"
	"image"
	_ "image/gif" // logo formats
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path"
	"slices"
	"strings"
)

func (v *validator) printers() {
	ps := v.c.Printers
	if len(ps) == 0 {
		v.warn("printers", "no printers: orders will not be printed; add at least a receipt printer")
		return
	}
	byName := map[string]int{}
	for i, p := range ps {
		name := strings.TrimSpace(p.Name)
		key := fmt.Sprintf("printers[%d]", i)
		if v.c.broken[key] {
			continue
		}
		switch {
		case name == "":
			v.err(key+".name", "is missing: give each printer a short name, like front or kitchen1")
		case byName[name] > 0:
			v.err(key+".name", "%q is used twice (also printers[%d]): printer names must be unique", name, byName[name]-1)
		default:
			byName[name] = i + 1
		}
	}
	for i := range ps {
		if key := fmt.Sprintf("printers[%d]", i); !v.c.broken[key] {
			v.printer(key, &ps[i], byName)
		}
	}
	v.backupCycles(byName)
}

func (v *validator) printer(key string, p *PrinterConfig, byName map[string]int) {
	v.enum(key+".role", p.Role, RoleReceipt, RoleKitchen, RoleLabel)
	v.enum(key+".language", p.Language, LanguageESCPOS, LanguageTSPL)
	if p.Language == LanguageTSPL && p.Role != RoleLabel {
		v.err(key+".language", "tspl is for label printers only: use escpos for a %s printer", p.Role)
	}
	if c, err := ParseConnection(p.Connection); err != nil {
		v.err(key+".connection", "%v", err)
	} else if c.Scheme == "virtual" && v.c.Platform.Mode == ModeLive {
		v.warn(key+".connection", "%s prints nothing on paper: real orders would only be previewed in the console; "+
			"set the printer's real connection (tcp://…:9100, serial://…, usb://…, windows://…)", p.Connection)
	}
	if p.Language == LanguageESCPOS {
		v.enum(key+".paper", p.Paper, "58mm", "80mm")
		if p.Columns != 0 && (p.Columns < 24 || p.Columns > 64) {
			v.err(key+".columns", "must be from 24 to 64 (leave it out for 32 on 58mm and 48 on 80mm paper)")
		}
	}
	if p.Copies < 1 || p.Copies > 5 {
		v.err(key+".copies", "must be from 1 to 5")
	}
	v.enum(key+".charset", p.Charset, "gbk", "gb2312", "gb18030")
	v.enum(key+".status_query", p.StatusQuery, "on", "off")
	v.enum(key+".qr", p.QR, "native", "raster")
	v.enum(key+".barcode", p.Barcode, "native", "raster", "off")
	v.enum(key+".cut", p.Cut, "partial", "full", "none")
	if p.FontSize < 1 || p.FontSize > 2 {
		v.err(key+".font_size", "must be 1 (normal) or 2 (large)")
	}
	v.storeRefs(key+".stores", p.Stores)
	if p.Backup != "" {
		j, ok := byName[strings.TrimSpace(p.Backup)]
		switch {
		case strings.TrimSpace(p.Backup) == strings.TrimSpace(p.Name):
			v.err(key+".backup", "a printer cannot be its own backup: name another printer")
		case !ok:
			v.err(key+".backup", "%q is not a printer in this file: name another printer, or leave backup out", p.Backup)
		default:
			if b := v.c.Printers[j-1]; (b.Role == RoleLabel) != (p.Role == RoleLabel) {
				v.err(key+".backup", "%q is a %s printer and cannot stand in for a %s printer", p.Backup, b.Role, p.Role)
			}
		}
	}
	v.match(key+".match", p)
	if p.Role == RoleLabel {
		v.label(key+".label", p.Label)
	}
}

// idSources are the sources a product id of a route may name.
var idSources = []string{"kaigedian", "ordering"}

func (v *validator) match(key string, p *PrinterConfig) {
	m := p.Match
	if p.Role == RoleReceipt && (len(m.ProductIDs) > 0 || len(m.Names) > 0 || len(m.Categories) > 0) {
		v.warn(key, "is ignored on a receipt printer (receipts show the whole order); use it on kitchen and label printers")
	}
	for i, id := range m.ProductIDs {
		k := fmt.Sprintf("%s.product_ids[%d]", key, i)
		if strings.TrimSpace(id) == "" {
			v.err(k, "is empty: write a productId or thirdProductId")
			continue
		}
		if src, rest, ok := strings.Cut(strings.TrimSpace(id), ":"); ok && (!slices.Contains(idSources, strings.ToLower(src)) || rest == "") {
			v.err(k, "%q: an id's source is kaigedian (开个店) or ordering (扫码点餐), as in ordering:12; a bare id is 开个店's", id)
		}
	}
	for i, c := range m.Categories {
		k := fmt.Sprintf("%s.categories[%d]", key, i)
		if strings.TrimSpace(c) == "" {
			v.err(k, "is empty: write a category name of the scan-to-order menu, like 奶茶")
		} else if _, err := path.Match(c, ""); err != nil {
			v.err(k, "%q is not a valid pattern (a stray [ or \\?): write the category name, or use * and ? only", c)
		}
	}
	for i, n := range m.Names {
		k := fmt.Sprintf("%s.names[%d]", key, i)
		if strings.TrimSpace(n) == "" {
			v.err(k, "is empty: write part of a product name, or a pattern like 奶茶*")
			continue
		}
		if _, err := path.Match(n, ""); err != nil {
			v.err(k, "%q is not a valid pattern (a stray [ or \\?): write part of the name, or use * and ? only", n)
		}
	}
}

func (v *validator) label(key string, l LabelConfig) {
	if l.WidthMM < 20 || l.WidthMM > 110 {
		v.err(key+".width_mm", "must be from 20 to 110 (mm; cup labels are usually 40 or 50)")
	}
	if l.HeightMM < 10 || l.HeightMM > 100 {
		v.err(key+".height_mm", "must be from 10 to 100 (mm; cup labels are usually 30)")
	}
	if l.GapMM < 0 || l.GapMM > 10 {
		v.err(key+".gap_mm", "must be from 0 to 10 (mm between labels; 0 for a continuous roll)")
	}
	v.enum(key+".sensor", l.Sensor, "gap", "bline")
	if l.DPI != 203 && l.DPI != 300 {
		v.err(key+".dpi", "must be 203 or 300 (see the printer's label)")
	}
	for _, o := range []struct {
		k string
		n int
	}{{"offset_x", l.OffsetX}, {"offset_y", l.OffsetY}} {
		if o.n < -200 || o.n > 200 {
			v.err(key+"."+o.k, "must be from -200 to 200 dots (8 dots are 1 mm at 203 dpi)")
		}
	}
}

// backupCycles reports a chain of backups that comes back to where it started.
func (v *validator) backupCycles(byName map[string]int) {
	ps := v.c.Printers
	for i := range ps {
		seen := map[int]bool{i: true}
		chain := []string{ps[i].Name}
		for j := i; ps[j].Backup != "" && ps[j].Backup != ps[j].Name; {
			next, ok := byName[strings.TrimSpace(ps[j].Backup)]
			if !ok {
				break
			}
			j = next - 1
			chain = append(chain, ps[j].Name)
			if j == i {
				v.err(fmt.Sprintf("printers[%d].backup", i), "backups go round in a circle (%s): end the chain with a printer that has no backup", strings.Join(chain, " → "))
				break
			}
			if seen[j] {
				break // a cycle that does not include i: reported for its members
			}
			seen[j] = true
		}
	}
}

// imageFile checks that a file can be read and is an image.
func (v *validator) imageFile(key, name string) {
	f, err := os.Open(name)
	if err != nil {
		v.err(key, "cannot read the image: %v (relative paths start at the config file's folder)", unwrapPath(err))
		return
	}
	defer f.Close()
	if _, _, err := image.DecodeConfig(f); err != nil {
		v.err(key, "%s is not a PNG, JPEG or GIF image", name)
	}
}

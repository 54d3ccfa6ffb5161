package presets

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/posbridge/posbridge/config"
)

func TestLookupFindsEveryPresetByIDModelAndAlias(t *testing.T) {
	seen := map[string]string{}
	for _, p := range All() {
		names := append([]string{p.ID, p.Model, strings.ToLower(p.Model), strings.ReplaceAll(p.Model, "-", " ")}, p.Aliases...)
		for _, n := range names {
			got, ok := Lookup(n)
			if !ok || got.ID != p.ID {
				t.Errorf("Lookup(%q) = %q, %v; want %s", n, got.ID, ok, p.ID)
			}
			if other, dup := seen[squash(n)]; dup && other != p.ID {
				t.Errorf("%q names both %s and %s", n, other, p.ID)
			}
			seen[squash(n)] = p.ID
		}
	}
	for _, n := range []string{"", "  ", "XP-999", "Epson TM-T20"} {
		if p, ok := Lookup(n); ok {
			t.Errorf("Lookup(%q) found %s", n, p.ID)
		}
	}
	if p, _ := Lookup("gp l80160"); p.ID != "gprinter-gp-l80160" {
		t.Errorf("spaces instead of dashes: %q", p.ID)
	}
}

func TestTheBrandsStoresBuyAreThere(t *testing.T) {
	want := map[string][]string{
		"Xprinter": {"XP-58IIH", "XP-80C", "XP-N160II", "XP-365B"},
		"Gprinter": {"GP-58MBIII", "GP-L80160", "GP-3120TU"},
		"Sunmi":    {"T2", "V2"},
		"HPRT":     {"TP805", "HT300"},
	}
	for brand, models := range want {
		for _, m := range models {
			if p, ok := Lookup(m); !ok || p.Brand != brand {
				t.Errorf("%s %s: %+v %v", brand, m, p.ID, ok)
			}
		}
	}
}

// A preset must say where each of its facts comes from, and a yes or no
// needs a source that is not "unverified".
func TestEveryFactIsCited(t *testing.T) {
	for _, p := range All() {
		facts := []Fact{FactLanguage, FactPaper, FactCutter, FactStatus, FactQR, FactBarcode, FactDPI, FactInterfaces}
		if p.Kind == Receipt {
			facts = append(facts, FactColumns, FactCharset)
		}
		for _, f := range facts {
			if c := strings.TrimSpace(p.Sources[f]); len(c) < 20 {
				t.Errorf("%s: %s is not cited (%q)", p.ID, f, c)
			}
		}
		for f := range p.Sources {
			if !slices.Contains(facts, f) {
				t.Errorf("%s cites %s, which it does not state", p.ID, f)
			}
		}
		claims := map[Fact][]Support{
			FactCutter:  {p.Cutter},
			FactStatus:  {p.DLEEOT},
			FactQR:      {p.NativeQR},
			FactBarcode: {p.NativeBarcode},
		}
		if p.Kind == Receipt {
			claims[FactStatus] = append(claims[FactStatus], p.GSr)
		}
		for f, ss := range claims {
			for _, s := range ss {
				if s != Unknown && strings.HasPrefix(p.Sources[f], "unverified") {
					t.Errorf("%s: %s is %q but its source is unverified: %s", p.ID, f, s, p.Sources[f])
				}
				if !slices.Contains([]Support{Yes, No, Unknown}, s) {
					t.Errorf("%s: %s has support %q", p.ID, f, s)
				}
			}
		}
	}
}

// Where a fact is unconfirmed the setting is the one that prints on every unit.
func TestUnconfirmedFactsGiveConservativeSettings(t *testing.T) {
	for _, p := range All() {
		s := p.Settings()
		if p.Kind == Receipt {
			if p.PaperMM == 80 && strings.Contains(p.Sources[FactColumns], "unverified") && s.Columns > 42 {
				t.Errorf("%s: %d columns on an 80 mm printer of unconfirmed print width (64 mm ones fit 42)", p.ID, s.Columns)
			}
			if (p.DLEEOT != Yes || p.GSr != Yes) && s.StatusQuery != "off" {
				t.Errorf("%s: status_query %s without documented DLE EOT and GS r", p.ID, s.StatusQuery)
			}
			if p.NativeQR != Yes && s.QR != "raster" || p.NativeBarcode != Yes && s.Barcode != "raster" {
				t.Errorf("%s: qr %s barcode %s without documented native support", p.ID, s.QR, s.Barcode)
			}
			if strings.HasPrefix(p.Sources[FactCharset], "unverified") && s.Charset != "gb2312" {
				t.Errorf("%s: charset %s unconfirmed", p.ID, s.Charset)
			}
			if p.Cutter != No && s.Cut != "partial" {
				t.Errorf("%s: cut %s", p.ID, s.Cut)
			}
		} else if s.Cut != "none" || s.Label == nil || s.Label.DPI == 0 || s.QR != "" || s.Barcode != "" {
			t.Errorf("%s label settings: %+v", p.ID, s)
		}
	}
}

// Every preset's settings, written into a printer of a config file, load
// without an unknown key and validate without a printer problem.
func TestEveryPresetsSettingsAreAValidPrinterConfig(t *testing.T) {
	for _, p := range All() {
		s := p.Settings()
		raw, err := yaml.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var printer map[string]any
		if err := yaml.Unmarshal(raw, &printer); err != nil {
			t.Fatal(err)
		}
		role := "receipt"
		if p.Kind == Label {
			role = "label"
		}
		printer["name"], printer["role"], printer["connection"] = "p", role, "tcp://192.0.2.10:9100"
		file, err := yaml.Marshal(map[string]any{
			"stores":   []map[string]any{{"id": "1862", "name": "南翔一店"}},
			"printers": []any{printer},
		})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "posbridge.yaml")
		if err := os.WriteFile(path, file, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := config.Load(config.LoadOptions{Path: path, Env: []string{}})
		if err != nil {
			t.Fatalf("%s: %v\n%s", p.ID, err, file)
		}
		for _, pr := range c.Validate() {
			if strings.HasPrefix(pr.Key, "printers") {
				t.Errorf("%s: %s\n%s", p.ID, pr, file)
			}
		}
		got := c.Printers[0]
		if got.Language != s.Language || got.Cut != s.Cut || got.StatusQuery != s.StatusQuery ||
			(s.Charset != "" && got.Charset != s.Charset) || (s.Columns != 0 && got.Columns != s.Columns) ||
			(s.QR != "" && got.QR != s.QR) || (s.Label != nil && got.Label.DPI != s.Label.DPI) {
			t.Errorf("%s: the config read %+v from %+v", p.ID, got, s)
		}
	}
}

func TestPresetValuesAreInRange(t *testing.T) {
	id := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)
	ids := map[string]bool{}
	for _, p := range All() {
		if !id.MatchString(p.ID) || ids[p.ID] {
			t.Errorf("id %q is malformed or used twice", p.ID)
		}
		ids[p.ID] = true
		if p.Brand == "" || p.BrandZH == "" || p.Model == "" || len(p.Interfaces) == 0 {
			t.Errorf("%s: missing names or interfaces: %+v", p.ID, p)
		}
		switch p.Kind {
		case Receipt:
			if p.Language != "escpos" || (p.PaperMM != 58 && p.PaperMM != 80) || p.Columns < 24 || p.Columns > 64 ||
				!slices.Contains([]string{"gbk", "gb2312", "gb18030"}, p.Charset) {
				t.Errorf("%s: receipt values %+v", p.ID, p)
			}
			if max := map[int]int{58: 32, 80: 48}[p.PaperMM]; p.Columns > max {
				t.Errorf("%s: %d columns do not fit %d mm paper", p.ID, p.Columns, p.PaperMM)
			}
		case Label:
			if p.Language != "tspl" || p.PaperMM < 20 || p.PaperMM > 110 || p.Columns != 0 {
				t.Errorf("%s: label values %+v", p.ID, p)
			}
		default:
			t.Errorf("%s: kind %q", p.ID, p.Kind)
		}
		if p.DPI != 203 && p.DPI != 300 {
			t.Errorf("%s: dpi %d", p.ID, p.DPI)
		}
		for _, i := range p.Interfaces {
			if !slices.Contains([]string{"usb", "serial", "lan", "wifi", "bluetooth", "builtin"}, i) {
				t.Errorf("%s: interface %q", p.ID, i)
			}
		}
	}
}

func TestUSBIDsAreCitedPairsOfKnownBrands(t *testing.T) {
	hex4 := regexp.MustCompile(`^[0-9a-f]{4}$`)
	brands := map[string]bool{}
	for _, p := range All() {
		brands[p.Brand] = true
	}
	seen := map[string]bool{}
	for _, id := range USBIDs() {
		k := id.VendorID + ":" + id.ProductID
		if !hex4.MatchString(id.VendorID) || !hex4.MatchString(id.ProductID) || seen[k] {
			t.Errorf("%s: malformed or listed twice", k)
		}
		seen[k] = true
		if !brands[id.Brand] || id.Product == "" || len(id.Source) < 20 || (id.Kind != Receipt && id.Kind != Label) {
			t.Errorf("%s: %+v", k, id)
		}
	}
}

func TestMatchDiscoveredDevices(t *testing.T) {
	cases := []struct {
		vid, pid, model string
		first           string
		brandOnly       string // every match is of this brand
	}{
		{"0483", "5743", "USB Printer P", "", "Xprinter"},
		{"0483", "5743", "XP-80C", "xprinter-xp-80c", ""},
		{"", "", "Gprinter GP-L80160 Series", "gprinter-gp-l80160", ""},
		{"", "", "MDL:XP-365B", "xprinter-xp-365b", ""},
		{"6868", "0200", "GP-58", "gprinter-gp-58mbiii", ""},
		{"0471", "0055", "Gprinter USB Printer", "gprinter-gp-3120tu", "Gprinter"},
		{"20D1", "7007", "", "hprt-ht300", "HPRT"},
		{"", "", "POS-58 (copy 1)", "", ""},
	}
	for _, c := range cases {
		got := Match(c.vid, c.pid, c.model)
		if c.first == "" && c.brandOnly == "" {
			if len(got) != 0 {
				t.Errorf("%s:%s %q matched %s", c.vid, c.pid, c.model, got[0].ID)
			}
			continue
		}
		if len(got) == 0 {
			t.Errorf("%s:%s %q matched nothing", c.vid, c.pid, c.model)
			continue
		}
		if c.first != "" && got[0].ID != c.first {
			t.Errorf("%s:%s %q: first %s, want %s", c.vid, c.pid, c.model, got[0].ID, c.first)
		}
		for _, p := range got {
			if c.brandOnly != "" && p.Brand != c.brandOnly {
				t.Errorf("%s:%s %q matched %s of another brand", c.vid, c.pid, c.model, p.ID)
			}
		}
	}
	// A label printer's ids put the brand's label models before its receipt ones.
	if got := Match("0471", "0055", ""); len(got) < 2 || got[0].Kind != Label {
		t.Errorf("label ids: %v", got)
	}
}

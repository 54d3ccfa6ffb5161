package picture_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/zbar"
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/picture"
	"github.com/posbridge/posbridge/printer/preview"
	encode "github.com/posbridge/posbridge/printer/render"
)

// scan reads every code of a picture (and keeps it for people to look at
// when POSBRIDGE_PICTURES names a folder).
func scan(t *testing.T, img image.Image, name string) []string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("POSBRIDGE_PICTURES"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), b.Bytes(), 0o644)
	}
	return zbar.Codes(t, b.Bytes())
}

func profile(t *testing.T, pc config.PrinterConfig) document.Profile {
	t.Helper()
	if pc.Connection == "" {
		pc.Connection = "virtual://" + pc.Name
	}
	p, err := document.ProfileFromConfig(pc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// logo is a 96×48 black frame with a bar: a raster image block.
func logo() *document.Raster {
	r := document.NewRaster(96, 48)
	for x := 0; x < 96; x++ {
		for _, y := range []int{0, 1, 46, 47, 20, 21, 22} {
			r.Set(x, y)
		}
	}
	return r
}

func receipt() document.Document {
	return document.Document{Kind: document.KindReceipt, Blocks: []document.Block{
		document.Image(logo(), document.AlignCenter),
		document.Text("南翔一店", document.Style{Width: 2, Height: 2, Bold: true, Align: document.AlignCenter}),
		document.Text("取餐号 1003", document.Style{Invert: true, Align: document.AlignCenter}),
		document.Row("珍珠奶茶（大杯）×2", "￥30.00", document.Style{}),
		document.Separator(""),
		document.QR("https://m.example.com/o/3200412345678"),
		document.Barcode("3200412345678"),
		document.Cut(),
	}}
}

func render(t *testing.T, p document.Profile, doc document.Document, scale int) *image.Gray {
	t.Helper()
	raw, err := encode.Render(doc, p)
	if err != nil {
		t.Fatal(err)
	}
	img, err := picture.Render(preview.DecodeFor(p, raw), picture.Options{Dots: p.Dots, DPI: p.Label.DPI, Scale: scale})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// The picture of a receipt is as wide as the paper's printable dots at
// scale 1 (and twice at scale 2), and its QR code and barcode — drawn from
// the module sizes in the bytes — read back as the data that was sent,
// whether the printer draws them (native) or posbridge sends them as images.
func TestReceiptPictureReadsBack(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pc    config.PrinterConfig
		dots  int
		scale int
	}{
		{"80mm-native", config.PrinterConfig{Name: "front", Role: "receipt", Paper: "80mm"}, 576, 1},
		{"58mm-native-x2", config.PrinterConfig{Name: "small", Role: "receipt", Paper: "58mm"}, 384, 2},
		{"80mm-raster", config.PrinterConfig{Name: "clone", Role: "receipt", Paper: "80mm", QR: "raster", Barcode: "raster"}, 576, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := render(t, profile(t, tc.pc), receipt(), tc.scale)
			if w := img.Bounds().Dx(); w != tc.dots*tc.scale {
				t.Fatalf("picture is %d px wide, want %d (paper %d dots × %d)", w, tc.dots*tc.scale, tc.dots, tc.scale)
			}
			codes := scan(t, img, "receipt-"+tc.name)
			want := []string{"CODE-128:3200412345678", "QR-Code:https://m.example.com/o/3200412345678"}
			if strings.Join(codes, "|") != strings.Join(want, "|") {
				t.Fatalf("codes read back %q, want %q", codes, want)
			}
			// the logo's frame is ink at its top left corner (centred on the roll)
			x0 := (tc.dots - 96) / 2 * tc.scale
			if img.GrayAt(x0+tc.scale*48, 0).Y != 0 {
				t.Error("no logo at the top of the receipt")
			}
		})
	}
}

// A cup label is drawn at its stock's size in dots (40×30 mm at 203 dpi is
// 320×240) with its QR code readable.
func TestLabelPicture(t *testing.T) {
	p := profile(t, config.PrinterConfig{Name: "label", Role: "label", Language: "tspl", Label: config.LabelConfig{WidthMM: 40, HeightMM: 30, GapMM: 2, DPI: 203}})
	doc := document.Document{Kind: document.KindLabel, Media: document.MediaLabel, Blocks: []document.Block{
		document.Text("1003 珍珠奶茶", document.Style{Bold: true}),
		document.Text("大杯 / 三分糖", document.Style{}),
		{Type: document.BlockQR, Data: "3200412345678", Size: 4},
		document.Cut(),
	}}
	img := render(t, p, doc, 1)
	if b := img.Bounds(); b.Dx() != 320 || b.Dy() < 240 {
		t.Fatalf("label picture %v, want 320 wide and a 240-dot label", b)
	}
	if codes := scan(t, img, "label"); len(codes) != 1 || codes[0] != "QR-Code:3200412345678" {
		t.Fatalf("label codes %q", codes)
	}
	ink := 0
	for y := 0; y < 60; y++ {
		for x := 0; x < 320; x++ {
			if img.GrayAt(x, y).Y == 0 {
				ink++
			}
		}
	}
	if ink < 200 {
		t.Fatalf("the label's text drew only %d dots", ink)
	}
}

// Garbage decodes to something drawable: the picture never panics.
func TestPictureOfGarbage(t *testing.T) {
	for _, lang := range []string{"escpos", "tspl"} {
		data := bytes.Repeat([]byte{0x1D, 0x28, 0x6B, 0xFF, 0x1B, 0x21, 0xFF, 0xB0, 0xA1, '\n', 'B', 'I', 'T', 'M', 'A', 'P', ' ', '9', ','}, 50)
		if _, err := picture.Render(preview.Decode(lang, data), picture.Options{}); err != nil {
			t.Logf("%s: %v", lang, err)
		}
	}
}

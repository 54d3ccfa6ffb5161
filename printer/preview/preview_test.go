package preview

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/printer/document"
)

func TestPreviewOfReceipt(t *testing.T) {
	p := profile(t, testProfiles["80mm"])
	pv := DecodeFor(p, mustRender(t, document.Receipt(sampleOrder(), document.OptionsFor(testProfiles["80mm"], testPrintConfig())), p))
	text := pv.Text()
	for _, want := range []string{"茶颜悦色 五一广场店", "A023", "珍珠奶茶", "￥24.00", "￥43.00",
		"▌备注: 少冰 不要吸管 谢谢□", "136****9227", "[二维码: 202405011230001234]", "[条码: 202405011230001234]", "谢谢惠顾", "✂"} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "13612349227") {
		t.Error("the full phone number was printed")
	}
	var pickup PreviewLine
	for _, l := range pv.Lines {
		if l.Text == "A023" {
			pickup = l
		}
	}
	if pickup.Style.W() != 3 || pickup.Style.H() != 3 || pickup.Style.Align != document.AlignCenter {
		t.Errorf("pickup number style %+v, want 3×3 centred", pickup.Style)
	}
	if pv.Skipped != 0 {
		t.Errorf("decoder skipped %d unknown commands in our own output", pv.Skipped)
	}
}

func TestPreviewNeedsKanjiMode(t *testing.T) {
	// the same text without FS & decodes as junk on a strict printer
	enc := document.MustCharset("gbk").Encode("奶茶")
	pv := Decode(document.LangESCPOS, append(append([]byte{0x1B, 0x40}, enc...), '\n'))
	if got := pv.Texts(); len(got) != 1 || got[0] != "????" {
		t.Fatalf("without FS &: %q", got)
	}
}

func TestPreviewHidesPricesWhenOff(t *testing.T) {
	pc := testProfiles["80mm"]
	off := false
	pc.ShowPrices = &off
	p := profile(t, pc)
	text := DecodeFor(p, mustRender(t, document.Receipt(sampleOrder(), document.OptionsFor(pc, testPrintConfig())), p)).Text()
	if strings.Contains(text, "￥") {
		t.Fatalf("prices printed with show_prices off:\n%s", text)
	}
}

func TestPreviewOfLabels(t *testing.T) {
	p := profile(t, testProfiles["tspl40"])
	d := document.CupLabels(sampleOrder(), document.Matcher{}, document.Options{})[0]
	d.Reprint = true
	pv := Decode(document.LangTSPL, mustRender(t, d, p))
	if len(pv.Labels) != 4 {
		t.Fatalf("%d labels, want 4:\n%s", len(pv.Labels), pv.Text())
	}
	l := pv.Labels[1]
	want := []string{"▌补打▐", "A023                 2/4", "珍珠奶茶", "大杯 少冰·半糖 +椰果", "自取 12:30", "[二维码: 202405011230001234]"}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(pv.Text()), "\n") {
		got = append(got, line)
	}
	joined := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("label preview lacks %q:\n%s", w, joined)
		}
	}
	if l.WidthMM != 40 || l.HeightMM != 30 || l.Copies != 1 {
		t.Errorf("label %+v", l)
	}
}

func TestPreviewOfEveryGoldenHasNoUnknownCommands(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "printer", "*.golden"))
	if len(files) < 10 {
		t.Fatalf("only %d golden files", len(files))
	}
	// rebuild from documents rather than parsing golden text
	for key, pc := range testProfiles {
		p := profile(t, pc)
		out := mustRender(t, document.TestPage(p, fixedTime, true), p)
		pv := DecodeFor(p, out)
		if pv.Skipped != 0 || !strings.Contains(pv.Text(), "测试") {
			t.Errorf("%s: skipped %d\n%s", key, pv.Skipped, pv.Text())
		}
	}
}

// The raster QR fallback must scan: decode it back with zbarimg.
func TestRasterQRScans(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("zbarimg (zbar-tools) is required under CI")
		}
		t.Skip("zbarimg not installed")
	}
	url := "https://m.example.com/order/202405011230001234"
	for _, key := range []string{"58raster", "80mm"} {
		pc := testProfiles[key]
		pc.QR = "raster"
		p := profile(t, pc)
		pv := DecodeFor(p, mustRender(t, document.Document{Blocks: []document.Block{document.QR(url)}}, p))
		var img *document.Raster
		for _, l := range pv.Lines {
			if l.Kind == LineImage {
				img = l.Image
			}
		}
		if img == nil {
			t.Fatalf("%s: no raster image in %s", key, pv.Text())
		}
		file := filepath.Join(t.TempDir(), "qr.png")
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img.Image()); err != nil {
			t.Fatal(err)
		}
		f.Close()
		out, err := exec.Command(zbar, "-q", "--raw", file).Output()
		if err != nil {
			t.Fatalf("%s: zbarimg: %v", key, err)
		}
		if got := string(bytes.TrimSpace(out)); got != url {
			t.Fatalf("%s: scanned %q, want %q", key, got, url)
		}
	}
}

func FuzzDecode(f *testing.F) {
	p := profile(f, testProfiles["80mm"])
	lp := profile(f, testProfiles["tspl40"])
	f.Add([]byte(nil), false)
	f.Add(mustRender(f, document.Receipt(sampleOrder(), document.Options{ShowPrices: true, Logo: testLogo()}), p), false)
	f.Add(mustRender(f, document.CupLabels(sampleOrder(), document.Matcher{}, document.Options{})[0], lp), true)
	f.Add([]byte{0x1D, 0x76, 0x30, 0x00, 0xFF, 0xFF, 0xFF, 0xFF}, false)
	f.Add([]byte{0x1D, 0x28, 0x6B, 0xFF, 0xFF, 0x31, 0x51}, false)
	f.Add([]byte("BITMAP 1,2,99999,99999,0,"), true)
	f.Fuzz(func(t *testing.T, data []byte, tspl bool) {
		lang := document.LangESCPOS
		if tspl {
			lang = document.LangTSPL
		}
		pv := Decode(lang, data)
		_ = pv.Text()
	})
}

// The raster Code128 fallback must scan too (set C pairs drawn by boombuler).
func TestRasterBarcodeScans(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("zbarimg (zbar-tools) is required under CI")
		}
		t.Skip("zbarimg not installed")
	}
	code := "202405011230001234"
	p := profile(t, testProfiles["58raster"])
	pv := DecodeFor(p, mustRender(t, document.Document{Blocks: []document.Block{document.Barcode(code)}}, p))
	if len(pv.Lines) < 2 || pv.Lines[0].Kind != LineImage || pv.Lines[1].Text != code {
		t.Fatalf("want an image and the code under it:\n%s", pv.Text())
	}
	img := pv.Lines[0].Image
	// a white margin above and below, as paper has
	framed := document.NewRaster(img.Width, img.Height+40)
	for y := 0; y < img.Height; y++ {
		for x := 0; x < img.Width; x++ {
			if img.At(x, y) {
				framed.Set(x, y+20)
			}
		}
	}
	file := filepath.Join(t.TempDir(), "code.png")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, framed.Image()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command(zbar, "-q", "--raw", file).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got := string(bytes.TrimSpace(out)); got != code {
		t.Fatalf("scanned %q, want %q", got, code)
	}
}

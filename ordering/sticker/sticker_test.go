package sticker

import (
	"bytes"
	"compress/zlib"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/ordering/menu"
)

func TestURL(t *testing.T) {
	for _, c := range []struct {
		base string
		tid  int64
		want string
	}{
		{"https://order.example.com", 2, "https://order.example.com/?rid=1&tid=2&ver=3"},
		{"https://order.example.com/", -99, "https://order.example.com/?rid=1&tid=-99&ver=3"},
		{"http://192.168.1.20:8688", -1, "http://192.168.1.20:8688/?rid=1&tid=-1&ver=3"},
		{"https://example.com/shop/", -2, "https://example.com/shop/?rid=1&tid=-2&ver=3"},
		{" https://example.com/shop ", 5, "https://example.com/shop/?rid=1&tid=5&ver=3"},
	} {
		if got, err := URL(c.base, 1, c.tid, 3); err != nil || got != c.want {
			t.Errorf("URL(%q) = %q, %v; want %q", c.base, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "order.example.com", "ftp://x.com", "https://x.com/?a=1", "https://x.com/#top", "https://user:pw@x.com", "https://"} {
		if _, err := URL(bad, 1, 1, 1); err == nil {
			t.Errorf("URL(%q) accepted", bad)
		}
	}
}

func exampleStickers(t *testing.T) []Sticker {
	t.Helper()
	src := strings.Replace(string(menu.Example()), "    - {table_id: -2, table_name: 吧台等取, qrcode_version: 1}\n",
		"    - {table_id: -2, table_name: 吧台等取, qrcode_version: 1}\n    - {table_id: -99, qrcode_version: 4}\n", 1)
	m, err := menu.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ss, err := ForMenu(m, 1862, "https://order.example.com")
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

// zbar decodes the QR codes of an image.
func zbar(t *testing.T, img image.Image) []string {
	t.Helper()
	path, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("zbarimg is missing (scripts/ci-deps.sh installs zbar-tools)")
		}
		t.Skip("zbarimg not installed")
	}
	file := filepath.Join(t.TempDir(), "qr.png")
	var b bytes.Buffer
	png.Encode(&b, img)
	os.WriteFile(file, b.Bytes(), 0o644)
	out, err := exec.Command(path, "-q", "--raw", file).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	codes := strings.Fields(string(out))
	sort.Strings(codes)
	return codes
}

// Each PNG's QR decodes to its table's URL; the texts are all drawable.
func TestPNG(t *testing.T) {
	for _, s := range exampleStickers(t) {
		t.Run(s.FileName(), func(t *testing.T) {
			t.Parallel()
			data, err := PNG(s)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != Width || b.Dy() != Width*4/3 {
				t.Fatalf("size %v", b)
			}
			if got := zbar(t, img); len(got) != 1 || got[0] != s.URL {
				t.Fatalf("decoded %q, want %q", got, s.URL)
			}
			if missing, err := Missing(s.StoreName, s.Title, s.Caption, s.Footer()); err != nil || len(missing) > 0 {
				t.Fatalf("missing glyphs %q %v", string(missing), err)
			}
		})
	}
	// A receipt printer's width still scans.
	img, err := Image(exampleStickers(t)[0], 384)
	if err != nil {
		t.Fatal(err)
	}
	if got := zbar(t, img); len(got) != 1 {
		t.Fatalf("384 dots: %q", got)
	}
}

func TestFileNames(t *testing.T) {
	var names []string
	for _, s := range exampleStickers(t) {
		names = append(names, s.FileName())
	}
	if got := strings.Join(names, " "); got != "table-1.png table-2.png table-3.png table-4.png takeout.png wait-pickup.png self-select.png" {
		t.Fatal(got)
	}
}

// The font covers GB2312; what it lacks is named, not printed as boxes.
func TestMissing(t *testing.T) {
	missing, err := Missing("茗茶·小馆", "喆𠀀")
	if err != nil {
		t.Fatal(err)
	}
	if string(missing) != "·喆𠀀" { // 喆 is outside GB2312
		t.Fatalf("%q", string(missing))
	}
}

var rectFill = regexp.MustCompile(`(?m)^([\d.]+) ([\d.]+) ([\d.]+) (-?[\d.]+) re f$`)

// The sheet: one A4 page per nine stickers, the font embedded, and on each
// page QR codes (drawn back from the PDF's own rectangles) that decode to
// the URLs of its stickers.
func TestPDF(t *testing.T) {
	ss := exampleStickers(t)
	ss = append(ss, ss[:4]...) // 11 stickers: two pages
	data, err := PDF(ss)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data, []byte("%%EOF")) {
		t.Fatal("not a PDF")
	}
	pages := regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(data, -1)
	if len(pages) != 2 || !bytes.Contains(data, []byte("/Count 2")) {
		t.Fatalf("%d pages", len(pages))
	}
	if !bytes.Contains(data, []byte("/FontFile2")) || !bytes.Contains(data, []byte("/CIDFontType2")) {
		t.Fatal("the CJK font is not embedded")
	}
	var pageCodes [][]string
	for _, stream := range streams(t, data) {
		rects := rectFill.FindAllStringSubmatch(stream, -1)
		if len(rects) == 0 {
			continue
		}
		pageCodes = append(pageCodes, zbar(t, paint(rects)))
	}
	if len(pageCodes) != 2 {
		t.Fatalf("QR drawings on %d pages", len(pageCodes))
	}
	for p, codes := range pageCodes {
		var want []string
		for i := p * PerPage; i < min(len(ss), (p+1)*PerPage); i++ {
			want = append(want, ss[i].URL)
		}
		sort.Strings(want)
		if strings.Join(codes, " ") != strings.Join(want, " ") {
			t.Fatalf("page %d decodes %q, want %q", p+1, codes, want)
		}
	}
	if _, err := PDF(nil); err == nil {
		t.Fatal("an empty sheet")
	}
}

// streams are the PDF's compressed streams, inflated.
func streams(t *testing.T, pdf []byte) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		b, err := io.ReadAll(r)
		if err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

// paint draws filled rectangles given in PDF points (origin bottom left)
// onto an A4 page image at 3 px per point.
func paint(rects [][]string) image.Image {
	const k = 3.0
	img := image.NewGray(image.Rect(0, 0, 1786, 2526))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for _, r := range rects {
		x, _ := strconv.ParseFloat(r[1], 64)
		y, _ := strconv.ParseFloat(r[2], 64)
		w, _ := strconv.ParseFloat(r[3], 64)
		h, _ := strconv.ParseFloat(r[4], 64)
		x0, x1 := x*k, (x+w)*k
		y0, y1 := (841.89-y)*k, (841.89-y-h)*k
		if y1 < y0 {
			y0, y1 = y1, y0
		}
		draw.Draw(img, image.Rect(int(x0+0.5), int(y0+0.5), int(x1+0.5), int(y1+0.5)), image.Black, image.Point{}, draw.Src)
	}
	return img
}

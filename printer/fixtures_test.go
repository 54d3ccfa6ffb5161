package printer

import (
	"bytes"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/internal/printtest"
)

var (
	fixedTime       = printtest.FixedTime
	sampleOrder     = printtest.SampleOrder
	deliveryOrder   = printtest.DeliveryOrder
	emptyOrder      = printtest.EmptyOrder
	testProfiles    = printtest.Profiles
	testPrintConfig = printtest.PrintConfig
)

// testLogo is a small checkered logo.
func testLogo() *Raster {
	r := NewRaster(64, 16)
	for y := 0; y < 16; y++ {
		for x := 0; x < 64; x++ {
			if (x/8+y/8)%2 == 0 {
				r.Set(x, y)
			}
		}
	}
	return r
}
func assertPrintable(t *testing.T, b []byte) {
	t.Helper()
	if bytes.IndexByte(b, 0x1A) >= 0 {
		t.Fatalf("0x1A in % X", b)
	}
	for i := 0; i < len(b); i++ {
		if b[i] < 0x20 || b[i] == 0x7F || b[i] == 0x80 || b[i] == 0xFF {
			t.Fatalf("stray byte %02X at %d in % X", b[i], i, b)
		}
		if b[i] >= 0x81 {
			if i+1 >= len(b) {
				t.Fatalf("lead byte at end of % X", b)
			}
			if _, ok := DecodeGB(b[i], b[i+1]); !ok {
				t.Fatalf("% X at %d is not a two-byte character", b[i:i+2], i)
			}
			i++
		}
	}
}

func decodeForTest(b []byte) string {
	var out []rune
	for i := 0; i < len(b); i++ {
		if b[i] < 0x80 {
			out = append(out, rune(b[i]))
			continue
		}
		r, _ := DecodeGB(b[i], b[i+1])
		out = append(out, r)
		i++
	}
	return string(out)
}

func profile(t testing.TB, pc config.PrinterConfig) Profile {
	t.Helper()
	if pc.Name == "" {
		pc.Name = "test"
	}
	p, err := ProfileFromConfig(pc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func render(t testing.TB, d Document, p Profile) []byte {
	t.Helper()
	b, err := Render(d, p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

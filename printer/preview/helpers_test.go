package preview

import (
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/internal/printtest"
	"github.com/posbridge/posbridge/printer/render"
)

var (
	fixedTime       = printtest.FixedTime
	sampleOrder     = printtest.SampleOrder
	testProfiles    = printtest.Profiles
	testPrintConfig = printtest.PrintConfig
)

func profile(t testing.TB, pc config.PrinterConfig) document.Profile {
	t.Helper()
	if pc.Name == "" {
		pc.Name = "test"
	}
	p, err := document.ProfileFromConfig(pc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustRender(t testing.TB, d document.Document, p document.Profile) []byte {
	t.Helper()
	b, err := render.Render(d, p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testLogo is a small checkered logo.
func testLogo() *document.Raster {
	r := document.NewRaster(64, 16)
	for y := 0; y < 16; y++ {
		for x := 0; x < 64; x++ {
			if (x/8+y/8)%2 == 0 {
				r.Set(x, y)
			}
		}
	}
	return r
}

package picture

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"io"
	"sort"
	"sync"
)

// glyphsGz holds GNU Unifont's bitmaps of ASCII and GB2312 (FONT-LICENSE,
// gen_font.go): 8×16 for narrow characters, 16×16 for wide ones.
//
//go:embed glyphs.bin.gz
var glyphsGz []byte

type glyph struct {
	wide bool
	rows [16]uint16 // bit 15 = leftmost dot
}

type fontTable struct {
	runes  []rune
	glyphs []glyph
}

var (
	fontOnce sync.Once
	font     fontTable
)

func loadFont() {
	zr, err := gzip.NewReader(bytes.NewReader(glyphsGz))
	if err != nil {
		panic("picture: embedded font: " + err.Error()) // embedded at build time: cannot happen
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		panic("picture: embedded font: " + err.Error())
	}
	for len(data) >= 3 {
		r := rune(binary.BigEndian.Uint16(data))
		wide := data[2] == 16
		n := 16
		if wide {
			n = 32
		}
		if len(data) < 3+n {
			break
		}
		var g glyph
		g.wide = wide
		for y := 0; y < 16; y++ {
			if wide {
				g.rows[y] = uint16(data[3+2*y])<<8 | uint16(data[4+2*y])
			} else {
				g.rows[y] = uint16(data[3+y]) << 8
			}
		}
		font.runes = append(font.runes, r)
		font.glyphs = append(font.glyphs, g)
		data = data[3+n:]
	}
}

// glyphOf is the bitmap of r; ok is false for a character outside the set
// (drawn as a box, as a printer draws a character its font lacks).
func glyphOf(r rune) (glyph, bool) {
	fontOnce.Do(loadFont)
	i := sort.Search(len(font.runes), func(i int) bool { return font.runes[i] >= r })
	if i < len(font.runes) && font.runes[i] == r {
		return font.glyphs[i], true
	}
	return glyph{wide: r >= 0x80}, false
}

// set reports whether the glyph's dot at x, y (in 16ths of its cell) is black.
func (g glyph) set(x, y int) bool {
	w := 8
	if g.wide {
		w = 16
	}
	if x < 0 || y < 0 || x >= w || y >= 16 {
		return false
	}
	return g.rows[y]&(0x8000>>uint(x)) != 0
}

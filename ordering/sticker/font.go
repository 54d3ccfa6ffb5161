package sticker

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sync"

	"golang.org/x/image/font/sfnt"
)

//go:embed font/wqy-microhei-gb2312.ttf.gz
var fontGz []byte

// fontTTF is the sticker font, unpacked once on first use.
var fontTTF = sync.OnceValues(func() ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(fontGz))
	if err != nil {
		return nil, fmt.Errorf("sticker font: %w", err)
	}
	return io.ReadAll(r)
})

var parsedFont = sync.OnceValues(func() (*sfnt.Font, error) {
	data, err := fontTTF()
	if err != nil {
		return nil, err
	}
	return sfnt.Parse(data)
})

// Missing lists the characters of texts the font cannot draw (they would
// print as boxes), each once.
func Missing(texts ...string) ([]rune, error) {
	f, err := parsedFont()
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	seen := map[rune]bool{}
	var out []rune
	for _, t := range texts {
		for _, r := range t {
			if r == ' ' || seen[r] {
				continue
			}
			seen[r] = true
			if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

//go:build ignore

// gen_font writes glyphs.bin.gz, the glyphs the picture renderer draws text
// with: GNU Unifont's 8×16 and 16×16 bitmaps of printable ASCII and of every
// character of GB2312, the set every Chinese receipt printer's font holds.
// Run once, from this folder, with Debian's unifont package installed:
//
//	go run gen_font.go /usr/share/unifont/unifont.hex
//
// The build embeds the output; it does not need Unifont. See FONT-LICENSE.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run gen_font.go /usr/share/unifont/unifont.hex")
		os.Exit(2)
	}
	want := map[rune]bool{}
	for r := rune(0x20); r < 0x7F; r++ {
		want[r] = true
	}
	dec := simplifiedchinese.GBK.NewDecoder()
	for hi := 0xA1; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			s, err := dec.Bytes([]byte{byte(hi), byte(lo)})
			if err != nil {
				continue
			}
			for _, r := range string(s) {
				if r != 0xFFFD {
					want[r] = true
				}
			}
		}
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	glyphs := map[rune][]byte{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		code, bits, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(code, 16, 32)
		if err != nil || !want[rune(n)] {
			continue
		}
		b, err := hex.DecodeString(bits)
		if err != nil || (len(b) != 16 && len(b) != 32) {
			continue
		}
		glyphs[rune(n)] = b
	}
	runes := make([]rune, 0, len(glyphs))
	for r := range glyphs {
		runes = append(runes, r)
	}
	sort.Slice(runes, func(i, j int) bool { return runes[i] < runes[j] })
	out, err := os.Create("glyphs.bin.gz")
	if err != nil {
		panic(err)
	}
	zw, _ := gzip.NewWriterLevel(out, gzip.BestCompression)
	// each glyph: rune (uint16, big endian), width (8 or 16), 16 rows of bits
	for _, r := range runes {
		b := glyphs[r]
		_ = binary.Write(zw, binary.BigEndian, uint16(r))
		_, _ = zw.Write([]byte{byte(len(b) / 2)})
		_, _ = zw.Write(b)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	if err := out.Close(); err != nil {
		panic(err)
	}
	fmt.Printf("%d glyphs of %d wanted\n", len(runes), len(want))
}

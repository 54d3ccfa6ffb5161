// Package ui holds the console's page files; this test checks the embedded
// alert clips and their sound plan (assets/audio/).
package ui

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const audioDir = "assets/audio"

// Size limits: a clip is a short phrase; a WAV or a long recording
// committed by mistake (a second of 16 kHz WAV is 32 KB) fails here.
const (
	maxClipBytes  = 12 << 10
	maxTotalBytes = 80 << 10
)

var clipEntry = regexp.MustCompile(`(?m)^\s*(\w+): \{ file: '([^']+)', says: '([^']*)' \},?$`)

// planClips reads the CLIPS table of plan.js: clip name → file.
func planClips(t *testing.T) map[string]string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(audioDir, "plan.js"))
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(src, []byte("export const CLIPS"))
	end := bytes.Index(src[max(start, 0):], []byte("});"))
	if start < 0 || end < 0 {
		t.Fatal("plan.js has no CLIPS table")
	}
	clips := map[string]string{}
	for _, m := range clipEntry.FindAllSubmatch(src[start:start+end], -1) {
		clips[string(m[1])] = string(m[2])
	}
	if len(clips) < 20 {
		t.Fatalf("read %d clips from plan.js: the table's format changed", len(clips))
	}
	return clips
}

func TestEveryClipOfThePlanIsASmallOggOpusFile(t *testing.T) {
	clips := planClips(t)
	total := 0
	for name, file := range clips {
		b, err := os.ReadFile(filepath.Join(audioDir, file))
		if err != nil {
			t.Errorf("clip %s: %v", name, err)
			continue
		}
		total += len(b)
		if len(b) > maxClipBytes {
			t.Errorf("%s is %d bytes, more than %d for a short phrase", file, len(b), maxClipBytes)
		}
		info, err := readOggOpus(b)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if info.channels != 1 || info.inputRate != 16000 {
			t.Errorf("%s: %d channels at %d Hz, want mono 16 kHz", file, info.channels, info.inputRate)
		}
		if info.seconds < 0.1 || info.seconds > 4 {
			t.Errorf("%s plays %.2f s: a clip is a word or a short phrase", file, info.seconds)
		}
		if info.title != name {
			t.Errorf("%s is tagged TITLE=%q, want %q (regenerate with scripts/make-alert-audio.sh)", file, info.title, name)
		}
	}
	if total > maxTotalBytes {
		t.Errorf("clips total %d bytes, more than %d", total, maxTotalBytes)
	}
	t.Logf("%d clips, %d bytes", len(clips), total)
}

func TestNoClipIsLeftOutOfThePlan(t *testing.T) {
	files := map[string]bool{}
	for _, f := range planClips(t) {
		files[f] = true
	}
	entries, err := os.ReadDir(audioDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch name := e.Name(); {
		case name == "plan.js" || name == "README.md":
		case !files[name]:
			t.Errorf("%s is in %s but plan.js does not name it: add it to CLIPS or delete it", name, audioDir)
		}
	}
}

// The README promises the digit clips and the phrases by name.
func TestReadmeListsEveryClip(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(audioDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range planClips(t) {
		if strings.HasPrefix(f, "d") && len(f) == len("d0.ogg") {
			continue // listed as d0.ogg … d9.ogg
		}
		if !bytes.Contains(readme, []byte(f)) {
			t.Errorf("README.md does not list %s", f)
		}
	}
}

type oggOpusInfo struct {
	channels  int
	inputRate uint32
	seconds   float64
	title     string
}

// readOggOpus checks an Ogg/Opus stream as a player would: every page's
// capture pattern, version, serial, sequence and CRC, the OpusHead and
// OpusTags headers, at least one audio packet and the end-of-stream page; it
// returns what the headers say and the duration from the last granule.
func readOggOpus(b []byte) (oggOpusInfo, error) {
	var info oggOpusInfo
	var packets [][]byte
	var partial []byte
	var serial, seq uint32
	var granule uint64
	eos := false
	for page := 0; len(b) > 0; page++ {
		if eos {
			return info, errors.New("data after the end-of-stream page")
		}
		if len(b) < 27 || string(b[:4]) != "OggS" || b[4] != 0 {
			return info, fmt.Errorf("page %d: not an Ogg page", page)
		}
		flags := b[5]
		n := int(b[26])
		if len(b) < 27+n {
			return info, fmt.Errorf("page %d: truncated segment table", page)
		}
		size := 0
		for _, s := range b[27 : 27+n] {
			size += int(s)
		}
		end := 27 + n + size
		if len(b) < end {
			return info, fmt.Errorf("page %d: truncated (%d of %d bytes)", page, len(b), end)
		}
		raw := slices.Clone(b[:end])
		want := binary.LittleEndian.Uint32(raw[22:26])
		clear(raw[22:26])
		if got := oggCRC(raw); got != want {
			return info, fmt.Errorf("page %d: CRC %08x, header says %08x", page, got, want)
		}
		s, q := binary.LittleEndian.Uint32(b[14:18]), binary.LittleEndian.Uint32(b[18:22])
		switch {
		case page == 0 && flags&0x02 == 0:
			return info, errors.New("first page is not marked beginning-of-stream")
		case page == 0:
			serial = s
		case s != serial || q != seq+1:
			return info, fmt.Errorf("page %d: serial %d sequence %d after %d sequence %d", page, s, q, serial, seq)
		}
		seq = q
		if g := binary.LittleEndian.Uint64(b[6:14]); g != ^uint64(0) {
			granule = g
		}
		eos = flags&0x04 != 0
		data := b[27+n : end]
		for _, s := range b[27 : 27+n] {
			partial = append(partial, data[:s]...)
			data = data[s:]
			if s < 255 {
				packets = append(packets, partial)
				partial = nil
			}
		}
		b = b[end:]
	}
	if !eos {
		return info, errors.New("no end-of-stream page")
	}
	if len(packets) < 3 {
		return info, fmt.Errorf("%d packets: want OpusHead, OpusTags and audio", len(packets))
	}
	head := packets[0]
	if len(head) < 19 || string(head[:8]) != "OpusHead" || head[8] != 1 || head[18] != 0 {
		return info, errors.New("first packet is not an OpusHead of version 1, mapping family 0")
	}
	info.channels = int(head[9])
	preSkip := binary.LittleEndian.Uint16(head[10:12])
	info.inputRate = binary.LittleEndian.Uint32(head[12:16])
	title, err := opusTitle(packets[1])
	if err != nil {
		return info, err
	}
	info.title = title
	if granule <= uint64(preSkip) {
		return info, errors.New("no audio after the pre-skip")
	}
	info.seconds = float64(granule-uint64(preSkip)) / 48000 // Opus granules count 48 kHz samples
	return info, nil
}

// opusTitle reads the TITLE comment of an OpusTags packet.
func opusTitle(p []byte) (string, error) {
	bad := errors.New("second packet is not a well-formed OpusTags")
	if len(p) < 16 || string(p[:8]) != "OpusTags" {
		return "", bad
	}
	p = p[8:]
	next := func() ([]byte, bool) {
		if len(p) < 4 {
			return nil, false
		}
		n := binary.LittleEndian.Uint32(p)
		if uint64(len(p)-4) < uint64(n) {
			return nil, false
		}
		s := p[4 : 4+n]
		p = p[4+n:]
		return s, true
	}
	if _, ok := next(); !ok { // vendor
		return "", bad
	}
	if len(p) < 4 {
		return "", bad
	}
	count := binary.LittleEndian.Uint32(p)
	p = p[4:]
	title := ""
	for range count {
		c, ok := next()
		if !ok {
			return "", bad
		}
		if k, v, _ := strings.Cut(string(c), "="); strings.EqualFold(k, "TITLE") {
			title = v
		}
	}
	return title, nil
}

// oggTable is for Ogg's CRC-32: polynomial 0x04c11db7, not reflected,
// initial 0 (not the IEEE CRC of hash/crc32).
var oggTable = func() *[256]uint32 {
	var t [256]uint32
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return &t
}()

func oggCRC(b []byte) uint32 {
	var c uint32
	for _, x := range b {
		c = c<<8 ^ oggTable[byte(c>>24)^x]
	}
	return c
}

// The checker itself must catch a damaged or cut file.
func TestOggCheckRefusesDamagedFiles(t *testing.T) {
	good, err := os.ReadFile(filepath.Join(audioDir, "chime.ogg"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readOggOpus(good); err != nil {
		t.Fatalf("chime.ogg: %v", err)
	}
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	cases := map[string][]byte{
		"one bit flipped": flipped,
		"cut short":       good[:len(good)-10],
		"last page gone":  good[:bytes.LastIndex(good, []byte("OggS"))],
		"a WAV file":      append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 40)...),
	}
	for name, b := range cases {
		if _, err := readOggOpus(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

package preview

import (
	"bytes"
	"sort"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/printer/document"
)

// decodeTSPL interprets TSPL command lines. BITMAP carries raw bytes (which
// may contain CR and LF) after its fifth comma; everything else is a line.
func decodeTSPL(data []byte) Preview {
	pv := Preview{Language: document.LangTSPL}
	var cur *LabelView
	w, h := 0, 0
	for i := 0; i < len(data); {
		if data[i] == 0x1B { // <ESC>!? and friends: status queries, not drawing
			i = min(len(data), i+3)
			continue
		}
		end := bytes.IndexByte(data[i:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += i
		}
		line := bytes.TrimRight(data[i:end], "\r")
		next := end + 1
		word, rest := splitWord(line)
		switch word {
		case "SIZE":
			w, h = parseMM(rest)
		case "CLS":
			pv.Labels = append(pv.Labels, LabelView{WidthMM: w, HeightMM: h})
			cur = &pv.Labels[len(pv.Labels)-1]
		case "TEXT":
			args := tsplArgs(rest)
			if cur != nil && len(args) >= 7 {
				cur.Items = append(cur.Items, LabelItem{Kind: "text", X: atoi(args[0]), Y: atoi(args[1]),
					XMul: atoi(args[4]), YMul: atoi(args[5]), Text: decodeGBText(args[6])})
			}
		case "QRCODE":
			args := tsplArgs(rest)
			if cur != nil && len(args) >= 7 {
				cur.Items = append(cur.Items, LabelItem{Kind: "qr", X: atoi(args[0]), Y: atoi(args[1]), W: atoi(args[3]), Text: args[len(args)-1]})
			}
		case "BARCODE":
			args := tsplArgs(rest)
			if cur != nil && len(args) >= 9 {
				cur.Items = append(cur.Items, LabelItem{Kind: "barcode", X: atoi(args[0]), Y: atoi(args[1]), Text: args[8], H: atoi(args[3]), W: atoi(args[6])})
			}
		case "BAR":
			args := tsplArgs(rest)
			if cur != nil && len(args) >= 4 {
				cur.Items = append(cur.Items, LabelItem{Kind: "bar", X: atoi(args[0]), Y: atoi(args[1]), W: atoi(args[2]), H: atoi(args[3])})
			}
		case "REVERSE":
			args := tsplArgs(rest)
			if cur != nil && len(args) >= 4 {
				x0, y0, rw, rh := atoi(args[0]), atoi(args[1]), atoi(args[2]), atoi(args[3])
				for k := range cur.Items {
					it := &cur.Items[k]
					if it.Kind == "text" && it.X >= x0 && it.X < x0+rw && it.Y >= y0 && it.Y < y0+rh {
						it.Invert = true
					}
				}
			}
		case "BITMAP":
			next = skipBitmap(data, i+len("BITMAP"), cur)
		case "PRINT":
			args := tsplArgs(rest)
			if cur != nil {
				cur.Copies = 1
				if len(args) >= 2 {
					cur.Copies = max(1, atoi(args[0])*atoi(args[1]))
				} else if len(args) == 1 {
					cur.Copies = max(1, atoi(args[0]))
				}
				cur.Lines = labelLines(cur.Items)
				cur = nil
			}
		case "SOUND":
			pv.Lines = append(pv.Lines, PreviewLine{Kind: LineBeep, Count: 1})
		case "", "GAP", "BLINE", "DIRECTION", "REFERENCE", "DENSITY", "SPEED", "CODEPAGE", "SET", "OFFSET", "BOX":
		default:
			pv.Skipped++
		}
		i = next
	}
	// a label drawn but never printed is not shown as printed
	for len(pv.Labels) > 0 && pv.Labels[len(pv.Labels)-1].Copies == 0 {
		pv.Labels = pv.Labels[:len(pv.Labels)-1]
	}
	return pv
}

func splitWord(line []byte) (string, string) {
	s := strings.TrimSpace(string(line))
	if k := strings.IndexByte(s, ' '); k >= 0 {
		return strings.ToUpper(s[:k]), s[k+1:]
	}
	return strings.ToUpper(s), ""
}

// tsplArgs splits comma-separated arguments, keeping quoted strings whole
// (with `\["]` standing for a quote) and returning them unquoted.
func tsplArgs(s string) []string {
	var out []string
	var cur strings.Builder
	inQ := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQ && strings.HasPrefix(s[i:], `\["]`):
			cur.WriteByte('"')
			i += 3
		case c == '"':
			inQ = !inQ
		case c == ',' && !inQ:
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(out, strings.TrimSpace(cur.String()))
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

func parseMM(s string) (int, int) {
	args := tsplArgs(s)
	if len(args) < 2 {
		return 0, 0
	}
	num := func(a string) int { return atoi(strings.TrimSuffix(strings.TrimSpace(a), "mm")) }
	return num(args[0]), num(args[1])
}

// decodeGBText decodes TEXT content (GBK bytes) for the preview.
func decodeGBText(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			sb.WriteByte(c)
			continue
		}
		if i+1 < len(s) {
			if r, ok := document.DecodeGB(c, s[i+1]); ok {
				sb.WriteRune(r)
				i++
				continue
			}
		}
		sb.WriteByte('?')
	}
	return sb.String()
}

// skipBitmap parses "BITMAP x,y,widthBytes,height,mode," and the raw data
// after it, returning the index after the command.
func skipBitmap(data []byte, i int, cur *LabelView) int {
	var args []int
	j := i
	for len(args) < 5 && j < len(data) {
		k := bytes.IndexByte(data[j:], ',')
		if k < 0 {
			return len(data)
		}
		args = append(args, atoi(string(data[j:j+k])))
		j += k + 1
	}
	if len(args) < 5 || args[2] < 0 || args[3] < 0 {
		return len(data)
	}
	n := args[2] * args[3]
	if n > len(data)-j || n < 0 {
		return len(data)
	}
	if cur != nil {
		it := LabelItem{Kind: "bitmap", X: args[0], Y: args[1], W: args[2] * 8, H: args[3]}
		if it.W > 0 && it.H > 0 && it.W <= document.MaxRasterDots && it.H <= document.MaxRasterDots {
			// TSC's bit 0 is black, the inverse of a Raster
			r := &document.Raster{Width: it.W, Height: it.H, Bits: make([]byte, n)}
			for k, c := range data[j : j+n] {
				r.Bits[k] = ^c
			}
			it.Image = r
		}
		cur.Items = append(cur.Items, it)
	}
	j += n
	for j < len(data) && (data[j] == '\r' || data[j] == '\n') {
		j++
	}
	return j
}

// labelLines groups a label's items into lines by their y, left to right.
func labelLines(items []LabelItem) []PreviewLine {
	sorted := append([]LabelItem(nil), items...)
	sort.SliceStable(sorted, func(a, b int) bool {
		if abs(sorted[a].Y-sorted[b].Y) > 8 {
			return sorted[a].Y < sorted[b].Y
		}
		return sorted[a].X < sorted[b].X
	})
	var out []PreviewLine
	var text strings.Builder
	lineY, col, open, inv := -1000, 0, false, false
	end := func() {
		if open {
			out = append(out, PreviewLine{Kind: LineText, Text: text.String(), Style: document.Style{Invert: inv}})
			text.Reset()
			open, inv = false, false
		}
	}
	for _, it := range sorted {
		switch it.Kind {
		case "text":
			if !open || abs(it.Y-lineY) > 8 {
				end()
				lineY, col, open = it.Y, 0, true
			}
			// place the text at its column (12 dots per ASCII column)
			want := min(max(0, (it.X-16)/12), 120) // coordinates from garbage stay bounded
			if want > col {
				text.WriteString(strings.Repeat(" ", want-col))
				col = want
			} else if col > 0 {
				text.WriteByte(' ')
				col++
			}
			text.WriteString(it.Text)
			col += document.TextColumns(it.Text) * min(max(1, it.XMul), 10)
			inv = inv || it.Invert
		case "qr":
			end()
			out = append(out, PreviewLine{Kind: LineQR, Data: it.Text})
		case "barcode":
			end()
			out = append(out, PreviewLine{Kind: LineBarcode, Data: it.Text})
		case "bitmap":
			end()
			out = append(out, PreviewLine{Kind: LineImage, W: it.W, H: it.H})
		case "bar":
			end()
			out = append(out, PreviewLine{Kind: LineText, Text: strings.Repeat("-", min(max(1, it.W/12), 120))})
		}
	}
	end()
	return out
}

// abs is |v|, for the line-grouping tolerance.
func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

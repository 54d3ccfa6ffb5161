package render

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/printer/document"
)

var update = flag.Bool("update", false, "rewrite testdata/printer/*.golden")

// goldenFormat shows printer bytes reviewably and losslessly: printable ASCII
// as is, two-byte GB characters decoded, other bytes as <XX>, a line break
// after each LF, and GS v 0 raster data drawn as rows of # and . (bits).
func goldenFormat(b []byte) string {
	var sb strings.Builder
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == 0x1D && i+7 < len(b) && b[i+1] == 0x76 && b[i+2] == 0x30 {
			stride := int(b[i+4]) | int(b[i+5])<<8
			rows := int(b[i+6]) | int(b[i+7])<<8
			fmt.Fprintf(&sb, "<GS v 0 %02X %d×%d>\n", b[i+3], stride, rows)
			i += 8
			for r := 0; r < rows && i < len(b); r++ {
				for k := 0; k < stride && i < len(b); k++ {
					for bit := 7; bit >= 0; bit-- {
						if b[i]>>uint(bit)&1 == 1 {
							sb.WriteByte('#')
						} else {
							sb.WriteByte('.')
						}
					}
					i++
				}
				sb.WriteByte('\n')
			}
			i--
			continue
		}
		switch {
		case c == '\n':
			sb.WriteString("<0A>\n")
		case c >= 0x20 && c < 0x7F && c != '<':
			sb.WriteByte(c)
		case c >= 0x81 && i+1 < len(b):
			if r, ok := document.DecodeGB(c, b[i+1]); ok {
				sb.WriteRune(r)
				i++
				continue
			}
			fmt.Fprintf(&sb, "<%02X>", c)
		default:
			fmt.Fprintf(&sb, "<%02X>", c)
		}
	}
	return sb.String()
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "printer", name+".golden")
	text := goldenFormat(got)
	if *update {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./printer/render -run Golden -update to create it)", err)
	}
	if string(want) != text {
		t.Errorf("%s: bytes changed; diff the output of -update and review it.\n--- got ---\n%s", name, text)
	}
}

// TestGoldenDocuments pins the bytes of every document type on the printers
// that print it.
func TestGoldenDocuments(t *testing.T) {
	prof := func(key string) document.Profile { return profile(t, testProfiles[key]) }
	optsFor := func(key string) document.Options {
		o := document.OptionsFor(testProfiles[key], testPrintConfig())
		o.PrintedAt = fixedTime
		return o
	}
	type job struct {
		name, printer string
		docs          []document.Document
	}
	kitchen := document.NewMatcher(testProfiles["kitchen"].Match)
	receiptOpts := optsFor("80mm")
	receiptOpts.Logo = testLogo()
	sandbox := optsFor("80mm")
	sandbox.Sandbox = true
	itemOpts := optsFor("kitchen")
	itemOpts.SplitByItem = true
	reprint := document.Receipt(sampleOrder(), optsFor("80mm"))
	reprint.Reprint = true
	labels := document.CupLabels(sampleOrder(), document.Matcher{}, optsFor("tspl40"))
	relabel := document.CupLabels(sampleOrder(), document.Matcher{}, optsFor("tspl40"))
	relabel[0].Reprint = true
	jobs := []job{
		{"receipt_80mm", "80mm", []document.Document{document.Receipt(sampleOrder(), receiptOpts)}},
		{"receipt_58mm_raster", "58raster", []document.Document{document.Receipt(sampleOrder(), optsFor("58raster"))}},
		{"receipt_delivery_58mm", "58raster", []document.Document{document.Receipt(deliveryOrder(), optsFor("58raster"))}},
		{"receipt_reprint", "80mm", []document.Document{reprint}},
		{"receipt_sandbox", "80mm", []document.Document{document.Receipt(sampleOrder(), sandbox)}},
		{"receipt_empty", "80mm", []document.Document{document.Receipt(emptyOrder(), optsFor("80mm"))}},
		{"kitchen_station", "kitchen", document.KitchenTickets(sampleOrder(), kitchen, optsFor("kitchen"))},
		{"kitchen_per_item", "kitchen", document.KitchenTickets(sampleOrder(), kitchen, itemOpts)},
		{"labels_tspl40", "tspl40", labels},
		{"labels_tspl50_bline_offset", "tspl50", document.CupLabels(sampleOrder(), document.Matcher{}, optsFor("tspl50"))},
		{"labels_reprint", "tspl40", relabel},
		{"labels_escpos", "escposlbl", document.CupLabels(sampleOrder(), document.Matcher{}, optsFor("escposlbl"))},
		{"cancel", "80mm", []document.Document{document.CancelSlip(sampleOrder(), "用户取消", optsFor("80mm"))}},
		{"refund", "80mm", []document.Document{document.RefundSlip(sampleOrder(), "商品缺货", optsFor("80mm"))}},
		{"pause", "kitchen", []document.Document{document.PauseNotice(sampleOrder(), "不想要了", optsFor("kitchen"))}},
		{"resume", "kitchen", []document.Document{document.ResumeNotice(sampleOrder(), optsFor("kitchen"))}},
		{"testpage_80mm", "80mm", []document.Document{document.TestPage(prof("80mm"), fixedTime, false)}},
		{"testpage_label", "tspl40", []document.Document{document.TestPage(prof("tspl40"), fixedTime, false)}},
		{"beep", "80mm", []document.Document{document.BeepDocument(3)}},
	}
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) {
			if len(j.docs) == 0 {
				t.Fatal("no document")
			}
			var all []byte
			for _, d := range j.docs {
				// what the job table stores is what gets printed
				raw, err := d.Marshal()
				if err != nil {
					t.Fatal(err)
				}
				back, err := document.UnmarshalDocument(raw)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, render(t, back, prof(j.printer))...)
			}
			checkGolden(t, j.name, all)
		})
	}
}

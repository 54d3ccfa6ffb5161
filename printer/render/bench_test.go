package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer/document"
)

// benchReceipt is the benchmark receipt of the issue: a double-size header,
// 30 Chinese item lines, a total, Code128 of an 18-digit order code, a QR
// code of a 44-byte URL and a cut.
func benchReceipt() document.Document {
	d := document.Document{Kind: document.KindReceipt, Blocks: []document.Block{
		document.Text("茶颜悦色 五一广场店", document.Style{Width: 2, Height: 2, Bold: true, Align: document.AlignCenter}),
		document.Separator(""),
	}}
	for i := 0; i < 30; i++ {
		d.Blocks = append(d.Blocks, document.Row(fmt.Sprintf("珍珠奶茶（大杯）少冰半糖 %d", i+1), "×2"+padLeft(order.Fen(2400).String(), amountCols), document.Style{}))
	}
	url := "https://m.example.com/order/2024050112300012" // 44 bytes
	d.Blocks = append(d.Blocks,
		document.Separator(""),
		document.Row("实付", order.Fen(72000).String(), document.Style{Height: 2, Bold: true}),
		document.Barcode("202405011230001234"),
		document.QR(url),
		document.Cut(),
	)
	return d
}

func BenchmarkReceipt80mm(b *testing.B) {
	p := profile(b, config.PrinterConfig{Name: "front", Paper: "80mm"})
	d := benchReceipt()
	if n := len(d.Blocks[len(d.Blocks)-2].Data); n != 44 {
		b.Fatalf("URL is %d bytes", n)
	}
	out, err := Render(d, p)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var buf []byte
	for b.Loop() {
		buf, _ = Append(buf[:0], d, p)
	}
	b.ReportMetric(float64(len(out)), "bytes_out")
}

// BenchmarkReceiptTemplate adds building the document from an order.
func BenchmarkReceiptTemplate80mm(b *testing.B) {
	p := profile(b, config.PrinterConfig{Name: "front", Paper: "80mm"})
	o := sampleOrder()
	for i := 0; i < 27; i++ {
		o.Items = append(o.Items, o.Items[0])
	}
	opt := document.Options{ShowPrices: true, Footer: "谢谢惠顾"}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		out, _ := Render(document.Receipt(o, opt), p)
		n = len(out)
	}
	b.ReportMetric(float64(n), "bytes_out")
}

func BenchmarkTenCupLabels(b *testing.B) {
	p := profile(b, testProfiles["tspl40"])
	o := sampleOrder()
	o.Items = o.Items[:1]
	o.Items[0].Quantity = 10
	b.ReportAllocs()
	var n int
	for b.Loop() {
		out, _ := Render(document.CupLabels(o, document.Matcher{}, document.Options{})[0], p)
		n = len(out)
	}
	b.ReportMetric(float64(n), "bytes_out")
}

// amountCols and padLeft line the benchmark's amounts up as the receipt does.
const amountCols = 10

func padLeft(s string, w int) string {
	if n := w - document.TextColumns(s); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}

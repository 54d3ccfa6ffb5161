package preview

import (
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/render"
)

// A dish's options wrap between options, never inside one ("+珍 / 珠"),
// and a continuation line is indented under the line it continues.
func TestKitchenTicketWrapsAtSeparatorsWithIndent(t *testing.T) {
	for _, paper := range []string{"58mm", "80mm"} {
		p, err := document.ProfileFromConfig(config.PrinterConfig{Name: "k", Role: "kitchen", Paper: paper, Columns: map[string]int{"58mm": 32, "80mm": 48}[paper], Charset: "gbk"})
		if err != nil {
			t.Fatal(err)
		}
		o := &order.Order{Code: "A1", Items: []order.Item{{Name: "珍珠奶茶", Quantity: 1, Spec: "大杯", Property: "少冰 / 半糖",
			Materials: []order.Item{{Name: "珍珠", Quantity: 1}, {Name: "芋圆", Quantity: 2}, {Name: "芝士奶盖", Quantity: 1}}}}}
		docs := document.KitchenTickets(o, document.Matcher{}, document.Options{FontSize: 2})
		b, err := render.Render(docs[0], p)
		if err != nil {
			t.Fatal(err)
		}
		lines := Decode("escpos", b).Texts()
		var opts []string
		for i, l := range lines {
			if strings.HasPrefix(l, "  大杯") {
				opts = lines[i:]
				break
			}
		}
		if len(opts) < 2 {
			t.Fatalf("%s: options fit on one line or are missing; the test must wrap them: %q", paper, lines)
		}
		joined := ""
		for i, l := range opts {
			if i > 0 && !strings.HasPrefix(l, "    ") {
				break
			}
			joined += " " + strings.TrimSpace(l)
		}
		for _, want := range []string{"大杯", "少冰", "半糖", "+珍珠", "+芋圆×2", "+芝士奶盖"} {
			if !strings.Contains(joined, want) {
				t.Errorf("%s: option %s split across lines: %q", paper, want, opts)
			}
		}
	}
}

package report

import (
	"strconv"

	"github.com/posbridge/posbridge/printer"
)

// KindReport is the print job kind of a 日结单 or 交班单.
const KindReport printer.Kind = "report"

// slipItems is how many of the ranking a slip prints: a receipt roll is no
// spreadsheet (the CSV has them all).
const slipItems = 10

// Slip is the report as a receipt-printer document.
func Slip(r Report, sandbox bool) printer.Document {
	big := printer.Style{Width: 2, Height: 2, Bold: true, Align: printer.AlignCenter}
	b := []printer.Block{printer.Text(Title(r), big)}
	if r.Staff != "" {
		b = append(b, printer.Row("交班人", r.Staff, printer.Style{}))
	}
	b = append(b,
		printer.Row("开始", r.From.Format("2006-01-02 15:04"), printer.Style{}),
		printer.Row("结束", r.To.Format("2006-01-02 15:04"), printer.Style{}),
		printer.Separator(""))
	for _, l := range SummaryLines(r.Totals) {
		right := ""
		if l.HasCount {
			right = strconv.Itoa(l.Count) + "单"
		}
		if l.HasMoney {
			if right != "" {
				right += " "
			}
			right += l.Amount.String()
		}
		st := printer.Style{}
		if l.Label == "实收" || l.Label == "净收入" {
			st.Bold = true
		}
		b = append(b, printer.Row(l.Label, right, st))
	}
	if r.Totals.Unpriced > 0 {
		b = append(b, printer.Text("注意："+strconv.Itoa(r.Totals.Unpriced)+" 单尚无明细，金额未计入", printer.Style{}))
	}
	for _, sec := range []struct {
		title string
		list  []Group
	}{{"按来源", r.BySource}, {"按渠道", r.ByChannel}, {"按门店", r.ByStore}} {
		if len(sec.list) == 0 {
			continue
		}
		b = append(b, printer.Separator(""), printer.Text(sec.title, printer.Style{Bold: true}))
		for _, g := range sec.list {
			b = append(b, printer.Row(g.Label+" "+strconv.Itoa(g.Orders)+"单", g.Revenue.String(), printer.Style{}))
			if g.Refunds > 0 {
				b = append(b, printer.Row("  退款 "+strconv.Itoa(g.Refunds)+"单", "-"+g.RefundAmount.String(), printer.Style{}))
			}
		}
	}
	if len(r.Items) > 0 {
		b = append(b, printer.Separator(""), printer.Text("商品排行", printer.Style{Bold: true}))
		for i, it := range r.Items {
			if i == slipItems {
				b = append(b, printer.Text("……共 "+strconv.Itoa(len(r.Items))+" 种商品", printer.Style{}))
				break
			}
			name := it.Name
			if it.Spec != "" {
				name += "（" + it.Spec + "）"
			}
			b = append(b, printer.Row(strconv.Itoa(i+1)+". "+name+" ×"+strconv.Itoa(it.Quantity), it.Amount.String(), printer.Style{}))
		}
	}
	b = append(b, printer.Separator(""), printer.Text("打印时间 "+r.MadeAt.Format("2006-01-02 15:04"), printer.Style{}),
		printer.Feed(2), printer.Cut())
	return printer.Document{Kind: KindReport, Sandbox: sandbox, Blocks: b}
}

package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/order"
)

// WriteCSV writes the report as sections of a spreadsheet: summary, the
// breakdowns, the items and the hours. It starts with a UTF-8 byte order
// mark because Excel on a Chinese Windows reads CSV as GBK without one.
func WriteCSV(w io.Writer, r Report) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	rows := [][]string{{Title(r)}, {"开始", r.From.Format("2006-01-02 15:04")}, {"结束", r.To.Format("2006-01-02 15:04")}}
	if r.Staff != "" {
		rows = append(rows, []string{"交班人", textCell(r.Staff)})
	}
	rows = append(rows, nil, []string{"项目", "金额(元)", "单数"})
	for _, l := range SummaryLines(r.Totals) {
		rows = append(rows, []string{l.Label, yuanOrEmpty(l), countOrEmpty(l)})
	}
	for _, sec := range []struct {
		title string
		list  []Group
	}{{"按来源", r.BySource}, {"按渠道", r.ByChannel}, {"按门店", r.ByStore}} {
		rows = append(rows, nil, []string{sec.title, "单数", "实收(元)", "退款单数", "退款(元)"})
		for _, g := range sec.list {
			rows = append(rows, []string{textCell(g.Label), strconv.Itoa(g.Orders), g.Revenue.Yuan(), strconv.Itoa(g.Refunds), g.RefundAmount.Yuan()})
		}
	}
	rows = append(rows, nil, []string{"商品", "规格", "数量", "金额(元)"})
	for _, it := range r.Items {
		rows = append(rows, []string{textCell(it.Name), textCell(it.Spec), strconv.Itoa(it.Quantity), it.Amount.Yuan()})
	}
	rows = append(rows, nil, []string{"时段", "单数", "实收(元)"})
	for _, h := range r.Hours {
		rows = append(rows, []string{h.Label, strconv.Itoa(h.Orders), h.Revenue.Yuan()})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// Line is one line of the summary: an amount, a count, or both.
type Line struct {
	Label    string
	Amount   order.Fen
	Count    int
	HasMoney bool
	HasCount bool
}

// SummaryLines are the summary in the order the slip, the CSV and the
// console show it.
func SummaryLines(t Totals) []Line {
	return []Line{
		{Label: "有效订单", Count: t.Orders, HasCount: true},
		{Label: "原价合计", Amount: t.Original, HasMoney: true},
		{Label: "优惠", Amount: t.Discount, HasMoney: true},
		{Label: "打包费", Amount: t.PackageFee, HasMoney: true},
		{Label: "配送费", Amount: t.DeliverFee, HasMoney: true},
		{Label: "实收", Amount: t.Revenue, HasMoney: true},
		{Label: "退款", Amount: t.RefundAmount, Count: t.Refunds, HasMoney: true, HasCount: true},
		{Label: "取消/拒单", Amount: t.CancelledAmount, Count: t.Cancelled, HasMoney: true, HasCount: true},
		{Label: "净收入", Amount: t.Net, HasMoney: true},
	}
}

func yuanOrEmpty(l Line) string {
	if !l.HasMoney {
		return ""
	}
	return l.Amount.Yuan()
}

func countOrEmpty(l Line) string {
	if !l.HasCount {
		return ""
	}
	return strconv.Itoa(l.Count)
}

// Title is the report's heading: 日结单 2026-12-01 or 交班单.
func Title(r Report) string {
	if r.Kind == KindShift {
		return "交班单"
	}
	return "日结单 " + r.Day
}

// textCell keeps a name from outside (a product, a store, a member of
// staff) from being read as a formula by a spreadsheet: a leading = + - @
// or control character gets a ' in front (OWASP's CSV injection advice).
func textCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

package document

import (
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
)

// CancelSlip (取消单) tells the staff to stop an order that was cancelled after
// its receipt or kitchen ticket printed. reason may be empty.
func CancelSlip(o *order.Order, reason string, opt Options) Document {
	return slip(o, KindCancel, "取消单", "订单已取消 请停止制作", "取消原因", reason, opt, opt.ShowPrices)
}

// RefundSlip (退单) records an approved refund of the order.
func RefundSlip(o *order.Order, reason string, opt Options) Document {
	d := slip(o, KindRefund, "退单", "订单已退款 请停止制作", "退款原因", reason, opt, opt.ShowPrices)
	if opt.ShowPrices {
		// the amount goes before the trailing feed and cut
		n := len(d.Blocks) - 2
		tail := append([]Block{}, d.Blocks[n:]...)
		d.Blocks = append(d.Blocks[:n], Row("退款金额", o.ActualPay.String(), stTall))
		d.Blocks = append(d.Blocks, tail...)
	}
	return d
}

// PauseNotice (暂停制作) goes to the kitchens that printed an order whose
// customer asked for a refund: stop until the staff decide.
func PauseNotice(o *order.Order, reason string, opt Options) Document {
	return slip(o, KindPause, "暂停制作", "顾客申请退款 请暂停制作 等待处理", "退款原因", reason, opt, false)
}

// ResumeNotice (恢复制作) follows a refused refund: the paused order goes on.
func ResumeNotice(o *order.Order, opt Options) Document {
	return slip(o, KindResume, "恢复制作", "退款已拒绝 请继续制作", "", "", opt, false)
}

// slip is the common layout of cancel, refund, pause and resume slips: the
// big inverted title, the pickup number, what to do, and the items so the
// staff can find the cups and plates.
func slip(o *order.Order, kind Kind, title, action, reasonLabel, reason string, opt Options, prices bool) Document {
	d := Document{Kind: kind, OrderCode: o.Code, Copies: opt.Copies, Sandbox: opt.Sandbox}
	add := func(b ...Block) { d.Blocks = append(d.Blocks, b...) }
	add(Beep(3))
	add(Text(title, Style{Width: 2, Height: 2, Bold: true, Invert: true, Align: AlignCenter}))
	if name := storeName(o, opt); name != "" {
		add(Text(name, stCenter))
	}
	addPickupHeader(&d, o, Layout{})
	add(Text(action, Style{Height: 2, Bold: true, Align: AlignCenter}))
	add(Separator(""))
	if t := typeLabel(o); t != "" {
		add(Text("类型: "+t, Style{}))
	}
	addOrderFacts(&d, o, slipFacts)
	if r := strings.TrimSpace(reason); r != "" && reasonLabel != "" {
		add(Text(reasonLabel+": "+r, stTall))
	}
	if t := fmtDateTime(opt.PrintedAt); t != "" {
		add(Text("时间: "+t, Style{}))
	}
	add(Separator(""))
	addItems(&d, o.Items, prices, Style{}, false, true)
	add(Feed(1), Cut())
	return d
}

// TestPage is the page `posbridge print test` prints: Chinese text, a column
// ruler to check the width, a QR code, a barcode and a cut — or a test label
// on label printers.
func TestPage(p Profile, at time.Time, sandbox bool) Document {
	if p.Role == RoleLabel || p.Language == LangTSPL {
		return Document{Kind: KindTest, Media: MediaLabel, Sandbox: sandbox, Blocks: []Block{
			Row("测试标签", "1/1", Style{}),
			Text("打印机: "+p.Name, Style{}),
			Text("中文：珍珠奶茶 ￥12.50", Style{}),
			Text(fmtClock(at), Style{}),
			QR("posbridge test " + p.Name),
			Cut(),
		}}
	}
	ruler := strings.Repeat("1234567890", p.Columns/10+1)[:p.Columns]
	d := Document{Kind: KindTest, Sandbox: sandbox, Blocks: []Block{
		Text("打印测试页", stBigCenter),
		Text("打印机: "+p.Name, Style{}),
		Text("用途: "+roleLabel(p.Role)+"  字符集: "+p.Charset.Name(), Style{}),
		Text("纸宽: "+strconv.Itoa(p.Columns)+" 列 / "+strconv.Itoa(p.Dots)+" 点", Style{}),
		Text(ruler, Style{}),
		Text("中文：珍珠奶茶（大杯）少冰·半糖 ×2 ￥12.50", Style{}),
		Text("大字 取餐号 A023", stBig),
		Text("反白 备注: 不要吸管", stNote),
		Row("左对齐", "右对齐", Style{}),
		Text("居中", stCenter),
		Separator(""),
		QR("posbridge test " + p.Name),
		Barcode("20240501"),
		Text(fmtDateTime(at), stCenter),
		Text("看到此页说明打印机连接正常", stCenter),
		Feed(1),
		Cut(),
	}}
	return d
}

func roleLabel(role string) string {
	switch role {
	case RoleKitchen:
		return "厨打"
	case RoleLabel:
		return "杯贴"
	}
	return "小票"
}

// BeepDocument only sounds the buzzer (an order waits and no console is open).
func BeepDocument(times int) Document {
	return Document{Kind: KindBeep, Blocks: []Block{Beep(times)}}
}

// slipFacts are the order facts a slip prints: no payment.
var slipFacts = Layout{hide: map[string]bool{"payment": true}}

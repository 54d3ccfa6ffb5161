package bridge

import "testing"

// Staff read a reporter's row by the status it reports, not its raw name
// ("new 被微信支付拒绝" was what an alert said); actions keep their words.
func TestActionLabelNamesReportedStatuses(t *testing.T) {
	for op, want := range map[string]string{
		"new":      "报告「待接单」",
		"accepted": "报告「制作中」",
		"accept":   "接单",
		"submit":   "上传线下订单",
		"unknown":  "unknown",
	} {
		if got := ActionLabel(op); got != want {
			t.Errorf("ActionLabel(%q) = %q, want %q", op, got, want)
		}
	}
}

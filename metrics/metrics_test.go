package metrics

import (
	"strings"
	"testing"
	"time"
)

func TestTextFormat(t *testing.T) {
	r := New()
	r.PushAck.Observe(Labels{{"kind", "order"}}, 3*time.Millisecond)
	r.PushAck.Observe(Labels{{"kind", "order"}}, 40*time.Millisecond)
	r.PushAck.Observe(Labels{{"kind", "order"}}, 9*time.Second)
	r.Pushes.Inc(Labels{{"kind", "order"}, {"code", "200"}})
	var sb strings.Builder
	w := NewWriter(&sb)
	r.PushAck.Write(w, "ack_seconds", "help with a \\ and\na newline")
	r.Pushes.Write(w, "pushes_total", "pushes")
	w.Family("g", "gauge", "labels escaped")
	w.Sample("g", Labels{{"printer", `前台 "A"\n`}}, 1)
	got := sb.String()
	for _, want := range []string{
		"# HELP ack_seconds help with a \\\\ and\\na newline\n# TYPE ack_seconds histogram\n",
		`ack_seconds_bucket{kind="order",le="0.005"} 1`,
		`ack_seconds_bucket{kind="order",le="0.025"} 1`,
		`ack_seconds_bucket{kind="order",le="0.05"} 2`,
		`ack_seconds_bucket{kind="order",le="5"} 2`,
		`ack_seconds_bucket{kind="order",le="+Inf"} 3`,
		`ack_seconds_count{kind="order"} 3`,
		`pushes_total{kind="order",code="200"} 1`,
		`g{printer="前台 \"A\"\\n"} 1`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if pushKind("/kaigedian/push/order") != "order" || pushKind("/kaigedian/push/x%00y") != "other" {
		t.Error("push kinds are not bounded to the known ones")
	}
}

package loadtest

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// Targets are the numbers a run must meet on 2 cores (issue 7).
type Targets struct {
	OrderToPrintP99Ms float64 `json:"order_to_print_p99_ms"`
	PeakRSSMB         float64 `json:"peak_rss_mb"`
	PushAckP99Ms      float64 `json:"push_ack_p99_ms"`
	// The phones' (scan-to-order) targets, when phones ran.
	ProductsP99Ms        float64 `json:"products_p99_ms"`
	CreateP99Ms          float64 `json:"create_p99_ms"`
	CreateToKitchenP99Ms float64 `json:"create_to_kitchen_p99_ms"`
}

// DefaultTargets: order-to-print p99 ≤ 250 ms, peak RSS ≤ 100 MB, push
// ack p99 ≤ 10 ms; with phones, products list p99 ≤ 20 ms, create p99 ≤
// 50 ms, create → first kitchen-ticket byte p99 ≤ 250 ms.
var DefaultTargets = Targets{OrderToPrintP99Ms: 250, PeakRSSMB: 100, PushAckP99Ms: 10,
	ProductsP99Ms: 20, CreateP99Ms: 50, CreateToKitchenP99Ms: 250}

// Misses lists the targets the run missed.
func (r *Result) Misses(t Targets) []string {
	var out []string
	if t.OrderToPrintP99Ms > 0 && r.OrderToPrint.P99 > t.OrderToPrintP99Ms {
		out = append(out, fmt.Sprintf("order-to-print p99 %.1f ms > %.0f ms", r.OrderToPrint.P99, t.OrderToPrintP99Ms))
	}
	if mb := float64(r.PeakRSS) / (1 << 20); t.PeakRSSMB > 0 && mb > t.PeakRSSMB {
		out = append(out, fmt.Sprintf("peak RSS %.1f MB > %.0f MB", mb, t.PeakRSSMB))
	}
	if t.PushAckP99Ms > 0 && r.PushAck.P99 > t.PushAckP99Ms {
		out = append(out, fmt.Sprintf("push ack p99 %.2f ms > %.0f ms", r.PushAck.P99, t.PushAckP99Ms))
	}
	if ph := r.Phones; ph != nil {
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"products list", ph.Products.P99, t.ProductsP99Ms}, {"create", ph.Create.P99, t.CreateP99Ms},
			{"create-to-kitchen", ph.CreateToKitchen.P99, t.CreateToKitchenP99Ms}} {
			if c.want > 0 && c.got > c.want {
				out = append(out, fmt.Sprintf("%s p99 %.1f ms > %.0f ms", c.name, c.got, c.want))
			}
		}
	}
	return out
}

// WriteJSON writes the result as indented JSON.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes the result as a table for a terminal or BENCHMARKS.md.
func (r *Result) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, format string, args ...any) { fmt.Fprintf(tw, "%s\t%s\n", k, fmt.Sprintf(format, args...)) }
	row("scenario", "%s (%s daemon)", r.Scenario, r.Mode)
	row("machine", "%d CPUs, %s, %s, %s", r.Machine.CPUs, r.Machine.CPU, r.Machine.GoVersion, r.Machine.OS)
	row("orders", "%d across %d stores in %.1f s (%.1f/s offered)", r.Orders, r.Stores, r.Seconds, r.Offered)
	row("throughput", "%.1f orders/s printed; settled %.1f s after the last order", r.Throughput, r.SettleSecs)
	row("push ack", "p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  (%d pushes)", r.PushAck.P50, r.PushAck.P95, r.PushAck.P99, r.PushAck.Max, r.PushAck.Count)
	row("order→print", "p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  (%d orders printed)", r.OrderToPrint.P50, r.OrderToPrint.P95, r.OrderToPrint.P99, r.OrderToPrint.Max, r.OrderToPrint.Count)
	row("peak RSS", "%.1f MB (daemon VmHWM)", float64(r.PeakRSS)/(1<<20))
	row("database", "%.1f MB", float64(r.DBBytes)/(1<<20))
	row("pushes", "%d queued, %d posts, %d acked, %d given up", r.Pushes.Queued, r.Pushes.Attempts, r.Pushes.Acked, r.Pushes.Failed)
	if len(r.Actions) > 0 {
		keys := make([]string, 0, len(r.Actions))
		for k := range r.Actions {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, r.Actions[k]))
		}
		row("actions", "%s", strings.Join(parts, ", "))
	}
	if ph := r.Phones; ph != nil {
		row("phones", "%d phones: %d orders created (%d refused, %d lost), %d menu reads", ph.Phones, ph.Created, ph.Refused, ph.Lost, ph.Reads)
		row("products list", "p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms", ph.Products.P50, ph.Products.P95, ph.Products.P99, ph.Products.Max)
		row("create", "p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms", ph.Create.P50, ph.Create.P95, ph.Create.P99, ph.Create.Max)
		row("create→kitchen", "p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  (%d tickets)", ph.CreateToKitchen.P50, ph.CreateToKitchen.P95, ph.CreateToKitchen.P99, ph.CreateToKitchen.Max, ph.CreateToKitchen.Count)
		for _, e := range ph.Errors {
			fmt.Fprintln(tw, "  phones:\t"+e)
		}
	}
	c := r.Check
	row("checker", "%d/%d orders stored in their final state, %d transitions, %d jobs printed once (%d again with 补打, %d cut-off copies)",
		c.Stored, c.Orders, c.Transitions, c.Jobs, c.Reprints, c.PartialCopies)
	row("errors", "%d", len(r.Errors)+len(c.Problems))
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, e := range r.Errors {
		fmt.Fprintln(w, "  error:", e)
	}
	for _, p := range c.Problems {
		fmt.Fprintln(w, "  checker:", p)
	}
	return nil
}

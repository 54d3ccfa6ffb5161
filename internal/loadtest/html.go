package loadtest

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// WriteHTML writes a self-contained page (inline SVG, no scripts, nothing
// fetched) with the summary table and latency-over-time charts.
func (r *Result) WriteHTML(w io.Writer) error {
	var table bytes.Buffer
	if err := r.WriteTable(&table); err != nil {
		return err
	}
	data := map[string]any{
		"R":     r,
		"Table": table.String(),
		"Charts": []template.HTML{
			chart("Push acknowledgement latency (post → 100 success)", r.Series["push_ack"], r.Marks, r.PushAck),
			chart("Order to first byte at the printer", r.Series["order_to_print"], r.Marks, r.OrderToPrint),
		},
		"Misses": r.Misses(DefaultTargets),
	}
	return page.Execute(w, data)
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>posbridge load: {{.R.Scenario}}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}
pre{background:#f6f6f6;padding:12px;white-space:pre-wrap}
.ok{color:#176f2c}.bad{color:#b00020}
svg{background:#fff;border:1px solid #ddd;margin:8px 0 24px}
</style></head><body>
<h1>posbridge load run: {{.R.Scenario}}</h1>
<p>{{.R.StartedAt.Format "2006-01-02 15:04:05 -0700"}} ·
{{if .R.OK}}<b class="ok">no order lost or duplicated</b>{{else}}<b class="bad">{{len .R.Errors}} errors, {{len .R.Check.Problems}} checker problems</b>{{end}}
{{range .Misses}} · <b class="bad">target missed: {{.}}</b>{{end}}</p>
<pre>{{.Table}}</pre>
{{range .Charts}}{{.}}{{end}}
<p>Points are single measurements; the lines are p50 and p99 per second of the run. Dashed lines mark events of the run.</p>
</body></html>
`))

// chart draws a latency-over-time scatter with per-second p50/p99 lines.
func chart(title string, samples []Sample, marks []Mark, d Dist) template.HTML {
	const w, h, left, right, top, bottom = 960.0, 320.0, 60.0, 20.0, 30.0, 40.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`,
		w, h, w, h, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<text x="%.0f" y="18" font-size="14" font-weight="bold">%s</text>`, left, template.HTMLEscapeString(title))
	if len(samples) == 0 {
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="#888">no samples</text></svg>`, left, h/2)
		return template.HTML(b.String())
	}
	maxX := 1.0
	for _, s := range samples {
		maxX = math.Max(maxX, s.At.Seconds())
	}
	for _, m := range marks {
		maxX = math.Max(maxX, m.At.Seconds())
	}
	maxY := niceCeil(math.Max(d.P99*1.5, d.P50*3))
	if maxY <= 0 {
		maxY = 1
	}
	px := func(sec float64) float64 { return left + sec/maxX*(w-left-right) }
	py := func(msv float64) float64 { return h - bottom - math.Min(msv, maxY)/maxY*(h-top-bottom) }
	// axes and grid
	for i := 0; i <= 4; i++ {
		v := maxY * float64(i) / 4
		y := py(v)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#eee"/>`, left, w-right, y, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="end" fill="#555">%s ms</text>`, left-4, y+4, trimFloat(v))
	}
	for i := 0; i <= 10; i++ {
		sec := maxX * float64(i) / 10
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#555">%ss</text>`, px(sec), h-bottom+16, trimFloat(math.Round(sec*10)/10))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="#555">time since the start of the run</text>`, w/2-80, h-6)
	// points (thinned to at most 4000)
	step := max(1, len(samples)/4000)
	b.WriteString(`<g fill="#4a78c2" fill-opacity="0.5">`)
	for i := 0; i < len(samples); i += step {
		s := samples[i]
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="1.6"/>`, px(s.At.Seconds()), py(ms(s.Latency)))
	}
	b.WriteString(`</g>`)
	// per-second percentiles
	buckets := map[int][]time.Duration{}
	for _, s := range samples {
		sec := int(s.At.Seconds())
		buckets[sec] = append(buckets[sec], s.Latency)
	}
	var secs []int
	for s := range buckets {
		secs = append(secs, s)
	}
	slices.Sort(secs)
	for _, line := range []struct {
		p     float64
		color string
	}{{50, "#176f2c"}, {99, "#b00020"}} {
		var pts []string
		for _, s := range secs {
			l := slices.Clone(buckets[s])
			slices.Sort(l)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(float64(s)+0.5), py(ms(Percentile(l, line.p)))))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>`, line.color, strings.Join(pts, " "))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="18" font-size="12" text-anchor="end"><tspan fill="#176f2c">p50 %.2f ms</tspan> · <tspan fill="#b00020">p99 %.2f ms</tspan> · max %.2f ms · n=%d</text>`,
		w-right, d.P50, d.P99, d.Max, d.Count)
	for i, m := range marks {
		x := px(m.At.Seconds())
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#999" stroke-dasharray="4 3"/>`, x, x, top, h-bottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="#666">%s</text>`, x+3, top+10+float64(i%4)*11, template.HTMLEscapeString(m.Label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

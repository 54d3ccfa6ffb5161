// Package metrics keeps the few counters and histograms posbridge exposes at
// /metrics and writes them, with the gauges read at scrape time, in the
// Prometheus text exposition format (version 0.0.4). The format is small
// and stable; writing it here spares the daemon client_golang's
// dependencies (protobuf, procfs, prometheus/common) for a dozen series.
package metrics

import (
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ContentType is the exposition format's media type.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Registry is the daemon's instruments.
type Registry struct {
	// PushAck is the time from a push's arrival to its answer, by kind.
	PushAck *Histogram
	// Pushes counts answered pushes by kind and HTTP status.
	Pushes *Counter
	// Logged counts log records of level warn and error, by level.
	Logged *Counter
}

// New makes an empty registry.
func New() *Registry {
	return &Registry{
		PushAck: NewHistogram([]float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}),
		Pushes:  NewCounter(),
		Logged:  NewCounter(),
	}
}

// Labels are a sample's label pairs, written in the order given.
type Labels [][2]string

func (l Labels) key() string {
	var sb strings.Builder
	for _, p := range l {
		sb.WriteString(p[0])
		sb.WriteByte(0)
		sb.WriteString(p[1])
		sb.WriteByte(0)
	}
	return sb.String()
}

// Counter is a set of monotonically increasing counts by labels.
type Counter struct {
	mu     sync.Mutex
	series map[string]*counterSeries
}

type counterSeries struct {
	labels Labels
	n      atomic.Int64
}

// NewCounter makes an empty counter.
func NewCounter() *Counter { return &Counter{series: map[string]*counterSeries{}} }

// Inc adds one to the series of labels.
func (c *Counter) Inc(labels Labels) {
	k := labels.key()
	c.mu.Lock()
	s := c.series[k]
	if s == nil {
		s = &counterSeries{labels: slices.Clone(labels)}
		c.series[k] = s
	}
	c.mu.Unlock()
	s.n.Add(1)
}

// Value is the count of labels (for tests).
func (c *Counter) Value(labels Labels) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.series[labels.key()]; s != nil {
		return s.n.Load()
	}
	return 0
}

// Write writes the counter's samples under name.
func (c *Counter) Write(w *Writer, name, help string) {
	w.Family(name, "counter", help)
	c.mu.Lock()
	list := make([]*counterSeries, 0, len(c.series))
	for _, s := range c.series {
		list = append(list, s)
	}
	c.mu.Unlock()
	sort.Slice(list, func(i, j int) bool { return list[i].labels.key() < list[j].labels.key() })
	for _, s := range list {
		w.Sample(name, s.labels, float64(s.n.Load()))
	}
}

// Histogram counts observations into cumulative buckets, by labels.
type Histogram struct {
	bounds []float64
	mu     sync.Mutex
	series map[string]*histSeries
}

type histSeries struct {
	labels Labels
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

// NewHistogram makes a histogram with upper bounds (seconds) in ascending order.
func NewHistogram(bounds []float64) *Histogram {
	return &Histogram{bounds: bounds, series: map[string]*histSeries{}}
}

// Observe records a duration.
func (h *Histogram) Observe(labels Labels, d time.Duration) {
	v := d.Seconds()
	k := labels.key()
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.series[k]
	if s == nil {
		s = &histSeries{labels: slices.Clone(labels), counts: make([]uint64, len(h.bounds)+1)}
		h.series[k] = s
	}
	i := sort.SearchFloat64s(h.bounds, v)
	s.counts[i]++
	s.sum += v
	s.n++
}

// Count is how many observations labels has (for tests).
func (h *Histogram) Count(labels Labels) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s := h.series[labels.key()]; s != nil {
		return s.n
	}
	return 0
}

// Write writes the histogram's buckets, sum and count under name.
func (h *Histogram) Write(w *Writer, name, help string) {
	w.Family(name, "histogram", help)
	h.mu.Lock()
	defer h.mu.Unlock()
	keys := make([]string, 0, len(h.series))
	for k := range h.series {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := h.series[k]
		var cum uint64
		for i, b := range h.bounds {
			cum += s.counts[i]
			w.Sample(name+"_bucket", append(slices.Clone(s.labels), [2]string{"le", formatFloat(b)}), float64(cum))
		}
		cum += s.counts[len(h.bounds)]
		w.Sample(name+"_bucket", append(slices.Clone(s.labels), [2]string{"le", "+Inf"}), float64(cum))
		w.Sample(name+"_sum", s.labels, s.sum)
		w.Sample(name+"_count", s.labels, float64(s.n))
	}
}

// Writer writes the text format.
type Writer struct {
	w   io.Writer
	err error
}

// NewWriter writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

func (w *Writer) put(s string) {
	if w.err == nil {
		_, w.err = io.WriteString(w.w, s)
	}
}

// Family starts a metric family with its HELP and TYPE lines.
func (w *Writer) Family(name, typ, help string) {
	w.put("# HELP " + name + " " + strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(help) + "\n# TYPE " + name + " " + typ + "\n")
}

// Sample writes one sample line.
func (w *Writer) Sample(name string, labels Labels, v float64) {
	var sb strings.Builder
	sb.WriteString(name)
	if len(labels) > 0 {
		sb.WriteByte('{')
		for i, p := range labels {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(p[0] + `="` + labelEscaper.Replace(p[1]) + `"`)
		}
		sb.WriteByte('}')
	}
	sb.WriteByte(' ')
	sb.WriteString(formatFloat(v))
	sb.WriteByte('\n')
	w.put(sb.String())
}

// Gauge writes a one-sample gauge family.
func (w *Writer) Gauge(name, help string, v float64) {
	w.Family(name, "gauge", help)
	w.Sample(name, nil, v)
}

// Err is the first write error.
func (w *Writer) Err() error { return w.err }

var labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

package loadtest

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// Sample is one measured latency at a moment of the run.
type Sample struct {
	At      time.Duration // since the start of the run
	Latency time.Duration
	Code    string
}

// MarshalJSON writes milliseconds, which charts and people read.
func (s Sample) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		At      float64 `json:"at_ms"`
		Latency float64 `json:"latency_ms"`
		Code    string  `json:"code,omitempty"`
	}{ms(s.At), ms(s.Latency), s.Code})
}

// Dist summarises latencies in milliseconds.
type Dist struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P95   float64 `json:"p95_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
	Mean  float64 `json:"mean_ms"`
}

// Summarise computes the distribution of latencies (nearest-rank percentiles).
func Summarise(lat []time.Duration) Dist {
	if len(lat) == 0 {
		return Dist{}
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return Dist{Count: len(s), P50: ms(Percentile(s, 50)), P95: ms(Percentile(s, 95)), P99: ms(Percentile(s, 99)),
		Max: ms(s[len(s)-1]), Mean: ms(sum / time.Duration(len(s)))}
}

// Percentile is the nearest-rank percentile p (0–100) of sorted.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*1000) / 1000 }

func latencies(samples []Sample) []time.Duration {
	out := make([]time.Duration, len(samples))
	for i, s := range samples {
		out[i] = s.Latency
	}
	return out
}

// Recorder collects what a scenario did: when each order was created at the
// fake platform, staff actions, and every error, with the moment it happened.
type Recorder struct {
	Start time.Time

	mu      sync.Mutex
	created map[string]time.Time
	order   []string
	errors  []string
	marks   []Mark
	actions map[string]int
}

// Mark is a moment worth seeing on the charts (a kill, a fault, a heal).
type Mark struct {
	At    time.Duration
	Label string
}

// MarshalJSON writes the moment in milliseconds.
func (m Mark) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		At    float64 `json:"at_ms"`
		Label string  `json:"label"`
	}{ms(m.At), m.Label})
}

// NewRecorder starts the clock of a run.
func NewRecorder() *Recorder {
	return &Recorder{Start: time.Now(), created: map[string]time.Time{}, actions: map[string]int{}}
}

// Created records that an order was created at the fake platform at t.
func (r *Recorder) Created(code string, t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.created[code]; !ok {
		r.order = append(r.order, code)
	}
	r.created[code] = t
}

// CreatedAt is when an order was created (false when the run did not create it).
func (r *Recorder) CreatedAt(code string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.created[code]
	return t, ok
}

// Codes lists the orders created, in creation order.
func (r *Recorder) Codes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.order)
}

// Errorf records an error of the run (shown in the report; fails a test).
func (r *Recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// Errors returns the recorded errors.
func (r *Recorder) Errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.errors)
}

// Mark notes a moment for the charts.
func (r *Recorder) Mark(label string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.marks = append(r.marks, Mark{At: time.Since(r.Start), Label: label})
}

// Marks returns the noted moments.
func (r *Recorder) Marks() []Mark {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.marks)
}

// Action counts a staff or customer action the scenario took.
func (r *Recorder) Action(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.actions[name]++
}

// Actions returns the counts of actions taken.
func (r *Recorder) Actions() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.actions))
	for k, v := range r.actions {
		out[k] = v
	}
	return out
}

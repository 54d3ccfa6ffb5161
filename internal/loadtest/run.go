package loadtest

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// RunOptions are a load run: a scenario on a rig.
type RunOptions struct {
	Scenario      Scenario
	Rig           RigOptions
	SettleTimeout time.Duration // default 60s
	Warmup        time.Duration // idle time after the daemon starts, before the first order
	Progress      io.Writer     // progress lines; nil = quiet
	// Phones, when N > 0, order through the scan-to-order API while the
	// scenario runs (over its duration).
	Phones Phones
}

// Result is everything a run measured. It is the JSON report.
type Result struct {
	Scenario   string    `json:"scenario"`
	Mode       Mode      `json:"mode"`
	StartedAt  time.Time `json:"started_at"`
	Machine    Machine   `json:"machine"`
	Orders     int       `json:"orders"`        // created at the fake platform
	Stores     int       `json:"stores"`        //
	Seconds    float64   `json:"seconds"`       // orders arrived over this long
	Offered    float64   `json:"offered_per_s"` // orders created per second
	Throughput float64   `json:"printed_per_s"` // orders whose first ticket printed, per second of the run
	SettleSecs float64   `json:"settle_seconds"`
	// PushAck is post → acknowledgement of every push (order, refund,
	// delivery, event) as the fake platform measured it.
	PushAck Dist `json:"push_ack"`
	// OrderToPrint is order creation at the fake → first job byte of that
	// order at any fake printer.
	OrderToPrint Dist                `json:"order_to_print"`
	PeakRSS      int64               `json:"peak_rss_bytes"` // VmHWM of the daemon process(es)
	Phones       *PhoneResult        `json:"phones,omitempty"`
	DBBytes      int64               `json:"db_bytes"` // database with WAL
	Pushes       PushCounts          `json:"pushes"`
	Actions      map[string]int      `json:"actions,omitempty"`
	Check        CheckResult         `json:"check"`
	Errors       []string            `json:"errors"`
	Series       map[string][]Sample `json:"series"` // push_ack, order_to_print
	Marks        []Mark              `json:"marks,omitempty"`
}

// PushCounts are the fake platform's push counters.
type PushCounts struct {
	Queued   int64 `json:"queued"`
	Attempts int64 `json:"attempts"`
	Acked    int64 `json:"acked"`
	Failed   int64 `json:"failed"`
}

// Machine is where the numbers came from.
type Machine struct {
	CPUs      int    `json:"cpus"`
	CPU       string `json:"cpu"`
	GoVersion string `json:"go"`
	OS        string `json:"os"`
}

// OK reports whether the run lost, duplicated or failed nothing.
func (r *Result) OK() bool { return len(r.Errors) == 0 && r.Check.OK() }

// ThisMachine describes the machine the run is on.
func ThisMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// RunScenario prepares a rig, runs the scenario, waits for the daemon to
// settle, measures, checks and stops everything.
func RunScenario(ctx context.Context, opts RunOptions) (*Result, error) {
	s := opts.Scenario
	if opts.Rig.Harness.Stores == nil && opts.Rig.Harness.Fake == nil {
		opts.Rig.Harness = s.HarnessOptions()
	}
	if opts.SettleTimeout <= 0 {
		opts.SettleTimeout = 60 * time.Second
	}
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	var phonesBase string
	if opts.Phones.N > 0 {
		if err := os.MkdirAll(opts.Rig.Dir, 0o755); err != nil {
			return nil, err
		}
		yaml, listen, err := phonesConfig(opts.Rig.Dir, opts.Rig.Harness.Stores[0].ID)
		if err != nil {
			return nil, err
		}
		opts.Rig.Harness.ExtraYAML += yaml
		phonesBase = "http://" + listen
		if opts.Phones.Duration <= 0 {
			opts.Phones.Duration = s.Duration
		}
	}
	rig, err := NewRig(ctx, opts.Rig)
	if err != nil {
		return nil, err
	}
	defer rig.Close()
	fmt.Fprintf(progress, "daemon up (%s, pid %d); scenario %s: %d orders over %s across %d stores\n",
		rig.Mode(), rig.PID(), s.Name, s.Total(), s.Duration, max(s.Stores, 1))

	// A store's daemon has been up for a while when the rush starts: let the
	// start-up work (backfill poll, first printer status polls) finish.
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(opts.Warmup):
	}
	rec := NewRecorder()
	stopSampler := sampleRSS(rig)
	phoneRec := &phoneRecorder{placed: map[string]time.Time{}}
	phonesDone := make(chan struct{})
	go func() {
		defer close(phonesDone)
		if opts.Phones.N > 0 {
			fmt.Fprintf(progress, "%d phones ordering (%d orders) and reading the menu at %s\n", opts.Phones.N, opts.Phones.Orders, phonesBase)
			opts.Phones.run(ctx, phonesBase, phoneRec)
		}
	}()
	if err := s.Run(ctx, rig, rec); err != nil {
		stopSampler()
		return nil, err
	}
	<-phonesDone
	generated := time.Since(rec.Start)
	fmt.Fprintf(progress, "%d orders created in %.1fs; waiting for the daemon to settle…\n", len(rec.Codes()), generated.Seconds())
	settleStart := time.Now()
	if err := Settle(ctx, rig, opts.SettleTimeout); err != nil {
		rec.Errorf("%v", err)
	}
	settle := time.Since(settleStart)
	stopSampler()
	res := Measure(rig, rec)
	res.Scenario, res.Stores, res.Seconds = s.Name, max(s.Stores, 1), generated.Seconds()
	res.SettleSecs = settle.Seconds()
	if res.Seconds > 0 {
		res.Offered = float64(res.Orders) / res.Seconds
	}
	check, err := CheckRig(ctx, rig)
	if err != nil {
		return nil, fmt.Errorf("checker: %w", err)
	}
	res.Check = check
	res.Errors = rec.Errors()
	if opts.Phones.N > 0 {
		res.Phones = opts.Phones.measure(ctx, rig, phoneRec)
		if res.Phones.Lost > 0 {
			res.Errors = append(res.Errors, fmt.Sprintf("%d scan-to-order orders lost", res.Phones.Lost))
		}
	}
	if st := res.Pushes; st.Failed > 0 {
		res.Errors = append(res.Errors, fmt.Sprintf("the platform gave up %d pushes (not acknowledged after its retries)", st.Failed))
	}
	if err := rig.Stop(); err != nil {
		res.Errors = append(res.Errors, "daemon stop: "+err.Error())
	}
	res.PeakRSS = rig.SampleRSS()
	res.DBBytes = rig.DBSize()
	return res, nil
}

// CheckRig runs the checker against the rig's daemon database and fakes.
func CheckRig(ctx context.Context, rig *Rig) (CheckResult, error) {
	db, release, err := rig.DB(ctx)
	if err != nil {
		return CheckResult{}, err
	}
	defer release()
	return Check(ctx, CheckInput{Fake: rig.Env.Fake, DB: db, Config: rig.Env.Config, Printers: rig.Env.Printers})
}

// sampleRSS keeps the daemon's peak RSS up to date until stopped (a killed
// daemon's peak must be read before it dies; Kill does that too).
func sampleRSS(rig *Rig) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			rig.SampleRSS()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// Measure computes the latencies, throughput and counters of a run so far.
func Measure(rig *Rig, rec *Recorder) *Result {
	res := &Result{Mode: rig.Mode(), StartedAt: rec.Start, Machine: ThisMachine(), Actions: rec.Actions(),
		Series: map[string][]Sample{}, Marks: rec.Marks()}
	codes := rec.Codes()
	res.Orders = len(codes)
	st := rig.Env.Fake.PushStats()
	res.Pushes = PushCounts{Queued: st.Queued, Attempts: st.Attempts, Acked: st.Acked, Failed: st.Failed}

	var push []Sample
	for _, p := range rig.Env.Fake.PushSamples() {
		push = append(push, Sample{At: p.Sent.Sub(rec.Start), Latency: p.Latency, Code: p.Code})
	}
	slices.SortFunc(push, func(a, b Sample) int { return int(a.At - b.At) })
	res.Series["push_ack"] = push
	res.PushAck = Summarise(latencies(push))

	first := firstPrintBytes(rig, rec)
	var prints []Sample
	var last time.Time
	for _, code := range codes {
		at, ok := first[code]
		if !ok {
			continue
		}
		created, _ := rec.CreatedAt(code)
		prints = append(prints, Sample{At: created.Sub(rec.Start), Latency: at.Sub(created), Code: code})
		if at.After(last) {
			last = at
		}
	}
	res.Series["order_to_print"] = prints
	res.OrderToPrint = Summarise(latencies(prints))
	if len(prints) > 0 {
		res.Throughput = float64(len(prints)) / last.Sub(rec.Start).Seconds()
	}
	res.PeakRSS = rig.SampleRSS()
	res.DBBytes = rig.DBSize()
	return res
}

// firstPrintBytes is, for each order created by the run, when its first
// job byte reached any printer.
func firstPrintBytes(rig *Rig, rec *Recorder) map[string]time.Time {
	known := map[string][]*copyOf{}
	for _, c := range rec.Codes() {
		known[c] = []*copyOf{{}}
	}
	out := map[string]time.Time{}
	for _, p := range rig.Env.Printers {
		for _, c := range p.Conns() {
			at := c.FirstJobByteAt()
			if at.IsZero() {
				continue
			}
			for _, code := range codesIn(c.Data(), known) {
				if prev, ok := out[code]; !ok || at.Before(prev) {
					out[code] = at
				}
			}
		}
	}
	return out
}

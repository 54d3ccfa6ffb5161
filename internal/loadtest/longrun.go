package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/store"
)

// LongRunOptions measure a daemon on a seeded database (Seed into
// Dir/data/posbridge.db): what a store that has run for years gets.
type LongRunOptions struct {
	Dir      string        // holds data/posbridge.db; config, keys and logs are written beside it
	Bin      string        // the posbridge binary: start-up is timed with it, and `posbridge backup` is run
	Requests int           // requests per console query (default 300)
	Rate     float64       // orders pushed per second during the ack measurements (default 2: a rush's peak many times over, and not a day's orders in minutes)
	Window   time.Duration // how long acks are measured with nothing else going on (default 1 min)
	// BackupOnly skips the console queries and the wait for the daily prune:
	// start-up, idle acks and acks during the backup, in a few minutes.
	BackupOnly bool
	Progress   io.Writer
}

// LongRunResult is what MeasureLongRun found. Times are milliseconds.
type LongRunResult struct {
	Orders        int               `json:"orders"`
	DBBytes       int64             `json:"db_bytes"`
	BytesPerOrder float64           `json:"bytes_per_order"`
	StartupMS     []float64         `json:"startup_ms"` // the binary, exec to console answering, each try
	Queries       map[string]Dist   `json:"queries"`    // console API calls by kind
	Acks          map[string]Dist   `json:"acks"`       // push acks: idle, during prune, during backup
	Prune         store.PruneResult `json:"prune"`
	PruneMS       float64           `json:"prune_ms"`
	BackupMS      float64           `json:"backup_ms"`
	BackupBytes   int64             `json:"backup_bytes"`
}

// MeasureLongRun times, with the real binary as a store runs it: start-up,
// the console's lists, searches and 今日 panel, and the push
// acknowledgements while nothing else happens, while the daemon's own daily
// prune removes the oldest day (retention.days is set so that exactly that
// day is older; the daemon prunes a few minutes after it starts, as it does
// after every start), and while `posbridge backup` copies the database. It
// changes the database: the oldest day is pruned and the measurement's
// orders are added.
func MeasureLongRun(ctx context.Context, opts LongRunOptions) (*LongRunResult, error) {
	if opts.Requests <= 0 {
		opts.Requests = 300
	}
	if opts.Rate <= 0 {
		opts.Rate = 2
	}
	if opts.Window <= 0 {
		opts.Window = time.Minute
	}
	if opts.Bin == "" {
		return nil, errors.New("loadtest: MeasureLongRun needs the posbridge binary")
	}
	say := func(format string, args ...any) {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, format+"\n", args...)
		}
	}
	dbPath := filepath.Join(opts.Dir, "data", "posbridge.db")
	info, err := os.Stat(dbPath)
	if err != nil {
		return nil, fmt.Errorf("no seeded database: %w (run `posbridge-load seed -dir %s` first)", err, opts.Dir)
	}
	res := &LongRunResult{Queries: map[string]Dist{}, Acks: map[string]Dist{}, DBBytes: info.Size()}
	if wal, err := os.Stat(dbPath + "-wal"); err == nil {
		res.DBBytes += wal.Size()
	}
	oldest, orders, err := seededSpan(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	res.Orders = orders
	res.BytesPerOrder = float64(res.DBBytes) / float64(max(res.Orders, 1))
	say("%d orders, %.1f MB, %.0f bytes per order, oldest day %s", res.Orders, float64(res.DBBytes)/(1<<20), res.BytesPerOrder,
		oldest.Format(time.DateOnly))
	// retention.days that makes the oldest day, and only it, older than the cut.
	today := time.Now().In(bridge.Shanghai)
	days := int(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, bridge.Shanghai).Sub(oldest).Hours()/24+0.5) - 1
	hopts := harness.Options{Stores: seedStores(3), RatePerSecond: 5,
		Poll:      "interval: 60s\nfast_interval: 5s\nrefund_interval: 60s\nreconcile_interval: 2m",
		ExtraYAML: fmt.Sprintf("retention:\n  days: %d\n", days)}
	rig, err := NewRig(ctx, RigOptions{Dir: opts.Dir, Mode: ModeChild, Bin: opts.Bin, Harness: hopts})
	if err != nil {
		return nil, err
	}
	defer rig.Close()
	started := time.Now() // the daemon prunes five minutes after this
	env := rig.Env
	for try := range 3 {
		if err := rig.Stop(); err != nil {
			return nil, err
		}
		t0 := time.Now()
		if err := rig.Start(ctx); err != nil {
			return nil, err
		}
		d := time.Since(t0)
		started = t0
		res.StartupMS = append(res.StartupMS, ms(d))
		say("start-up %d: %s", try+1, d.Round(time.Millisecond))
	}

	db, release, err := rig.DB(ctx)
	if err != nil {
		return nil, err
	}
	samples, err := sampleOrders(ctx, db, oldest, opts.Requests)
	release()
	if err != nil {
		return nil, err
	}
	for _, q := range consoleQueries(samples) {
		if opts.BackupOnly {
			break
		}
		lat, err := timeRequests(ctx, env.ConsoleURL, q.paths)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q.name, err)
		}
		res.Queries[q.name] = Summarise(lat)
		say("%-22s p50 %6.1f ms  p99 %6.1f ms", q.name, res.Queries[q.name].P50, res.Queries[q.name].P99)
	}

	// Orders keep arriving as pushes while the maintenance runs.
	genCtx, stopGen := context.WithCancel(ctx)
	defer stopGen()
	go func() { _ = env.Fake.Run(genCtx, fake.GeneratorOptions{Rate: opts.Rate, Steady: true}) }()
	acks := func(name string, from, to time.Time) {
		var lat []time.Duration
		for _, s := range env.Fake.PushSamples() {
			if !s.Sent.Before(from) && s.Sent.Before(to) {
				lat = append(lat, s.Latency)
			}
		}
		res.Acks[name] = Summarise(lat)
		say("acks %-14s %5d pushes  p50 %5.1f ms  p99 %5.1f ms  max %6.1f ms  (%s)", name, len(lat),
			res.Acks[name].P50, res.Acks[name].P99, res.Acks[name].Max, to.Sub(from).Round(time.Millisecond))
	}
	time.Sleep(3 * time.Second) // the stream settles
	from := time.Now()
	time.Sleep(opts.Window)
	acks("idle", from, time.Now())

	if !opts.BackupOnly {
		say("waiting for the daemon's daily prune (five minutes after its start)…")
		pr, took, at, err := waitPrune(ctx, rig.LogPath(), started.Add(10*time.Minute))
		if err != nil {
			return nil, err
		}
		res.Prune, res.PruneMS = pr, ms(took)
		time.Sleep(time.Second) // acks of pushes sent just before its end
		acks("daily prune", at.Add(-took), at)
		say("prune: %+v in %s", res.Prune, took)
	}

	dest := filepath.Join(opts.Dir, "backup-measure.db")
	_ = os.Remove(dest)
	defer os.Remove(dest)
	from = time.Now()
	out, err := exec.CommandContext(ctx, opts.Bin, "backup", "--config", env.ConfigFile, dest).CombinedOutput()
	to := time.Now()
	res.BackupMS = ms(to.Sub(from))
	if err != nil {
		return nil, fmt.Errorf("posbridge backup: %v: %s", err, out)
	}
	time.Sleep(time.Second)
	acks("backup", from, to)
	if fi, err := os.Stat(dest); err == nil {
		res.BackupBytes = fi.Size()
	}
	say("backup: %.0f ms, %.1f MB", res.BackupMS, float64(res.BackupBytes)/(1<<20))
	return res, nil
}

// seededSpan is the oldest business day of the database and its order count.
func seededSpan(ctx context.Context, path string) (time.Time, int, error) {
	db, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		return time.Time{}, 0, err
	}
	defer db.Close()
	counts, err := db.CountOrders(ctx, "")
	if err != nil {
		return time.Time{}, 0, err
	}
	total := 0
	for _, c := range counts {
		total += c
	}
	if total == 0 {
		return time.Time{}, 0, errors.New("no orders in the database")
	}
	recs, _, err := db.ListOrders(ctx, store.OrderFilter{Limit: 1, Offset: total - 1})
	if err != nil || len(recs) == 0 {
		return time.Time{}, 0, fmt.Errorf("oldest order: %v", err)
	}
	oldest, err := time.ParseInLocation(time.DateOnly, recs[0].Day, bridge.Shanghai)
	return oldest, total, err
}

// pruneLine is the daemon's log line of a prune (cmd/posbridge/retention.go).
var pruneLine = regexp.MustCompile(`^time=(\S+) .*msg="pruned data older than retention.days" .*orders=(\d+) history=(\d+) print_jobs=(\d+) outbox=(\d+) inbox=(\d+) .*took=(\S+)`)

// waitPrune waits for the daemon to log its prune and reads it.
func waitPrune(ctx context.Context, logPath string, deadline time.Time) (store.PruneResult, time.Duration, time.Time, error) {
	for time.Now().Before(deadline) {
		data, _ := os.ReadFile(logPath)
		for _, line := range strings.Split(string(data), "\n") {
			m := pruneLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			at, err := time.Parse(time.RFC3339Nano, m[1])
			took, err2 := time.ParseDuration(m[7])
			if err != nil || err2 != nil {
				return store.PruneResult{}, 0, time.Time{}, fmt.Errorf("prune line %q: %v %v", line, err, err2)
			}
			n := func(i int) int64 { v, _ := strconv.ParseInt(m[i], 10, 64); return v }
			return store.PruneResult{Orders: n(2), History: n(3), Jobs: n(4), Outbox: n(5), Inbox: n(6)}, took, at, nil
		}
		select {
		case <-ctx.Done():
			return store.PruneResult{}, 0, time.Time{}, ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return store.PruneResult{}, 0, time.Time{}, errors.New("the daemon logged no prune within 10 minutes of its start")
}

// sampled is an order to look for.
type sampled struct{ code, pickup, last4 string }

// sampleOrders picks n orders spread over the database's days.
func sampleOrders(ctx context.Context, db *store.DB, oldest time.Time, n int) ([]sampled, error) {
	r := mrand.New(mrand.NewPCG(7, 7))
	var out []sampled
	for len(out) < n {
		day := oldest.AddDate(0, 0, 1+r.IntN(int(time.Since(oldest).Hours()/24))).Format(time.DateOnly)
		recs, _, err := db.ListOrders(ctx, store.OrderFilter{Day: day, Limit: 1, Offset: r.IntN(1000)})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			out = append(out, sampled{rec.Code, rec.PickupNo, rec.MobileLast4})
		}
	}
	return out, nil
}

type consoleQuery struct {
	name  string
	paths []string
}

// consoleQueries are the calls the console page makes, with the values a
// cashier types: the tail of an order code, a pickup number, phone digits.
func consoleQueries(s []sampled) []consoleQuery {
	active := "/api/orders?status=new,accepted,made,delivering,refund_requested&date=all&limit=500"
	qs := []consoleQuery{{name: "list today"}, {name: "list active"}, {name: "list finished today"},
		{name: "search code tail"}, {name: "search pickup no"}, {name: "search phone digits"}, {name: "今日 panel"}}
	for _, o := range s {
		qs[0].paths = append(qs[0].paths, "/api/orders")
		qs[1].paths = append(qs[1].paths, active)
		qs[2].paths = append(qs[2].paths, "/api/orders?status=completed&limit=100")
		qs[3].paths = append(qs[3].paths, "/api/orders?date=all&limit=50&q="+url.QueryEscape(o.code[len(o.code)-6:]))
		qs[4].paths = append(qs[4].paths, "/api/orders?date=all&limit=50&q="+url.QueryEscape(o.pickup))
		qs[5].paths = append(qs[5].paths, "/api/orders?date=all&limit=50&q="+url.QueryEscape(o.last4))
		qs[6].paths = append(qs[6].paths, "/api/stats/today")
	}
	return qs
}

// timeRequests GETs each path in turn and times the whole answer.
func timeRequests(ctx context.Context, base string, paths []string) ([]time.Duration, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	var out []time.Duration
	for _, p := range paths {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: HTTP %d", p, resp.StatusCode)
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// WriteTable prints the result for a terminal.
func (r *LongRunResult) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "orders %d, database %.1f MB, %.0f bytes per order\n", r.Orders, float64(r.DBBytes)/(1<<20), r.BytesPerOrder)
	if len(r.StartupMS) > 0 {
		fmt.Fprintf(w, "start-up (exec → console answers): %v ms\n", r.StartupMS)
	}
	names := make([]string, 0, len(r.Queries))
	for n := range r.Queries {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		d := r.Queries[n]
		fmt.Fprintf(w, "%-22s n=%d p50 %.1f ms p99 %.1f ms max %.1f ms\n", n, d.Count, d.P50, d.P99, d.Max)
	}
	for _, n := range []string{"idle", "daily prune", "backup"} {
		if d, ok := r.Acks[n]; ok {
			fmt.Fprintf(w, "push ack during %-12s n=%d p50 %.1f ms p99 %.1f ms max %.1f ms\n", n, d.Count, d.P50, d.P99, d.Max)
		}
	}
	fmt.Fprintf(w, "daily prune: %d orders, %d history, %d jobs, %d outbox, %d inbox in %.0f ms\n",
		r.Prune.Orders, r.Prune.History, r.Prune.Jobs, r.Prune.Outbox, r.Prune.Inbox, r.PruneMS)
	if r.BackupMS > 0 {
		fmt.Fprintf(w, "backup: %.0f ms, %.1f MB\n", r.BackupMS, float64(r.BackupBytes)/(1<<20))
	}
}

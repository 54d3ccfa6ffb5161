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
	"sort"
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
	Rate     float64       // orders pushed per second during the ack measurements (default 10)
	Window   time.Duration // how long acks are measured with nothing else going on (default 20 s)
	Progress io.Writer
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

// MeasureLongRun times start-up (the real binary), the console's lists,
// searches and 今日 panel, and the push acknowledgements while nothing
// else happens, while the daily prune removes the oldest day, and while
// `posbridge backup` copies the database. It changes the database: the
// oldest day is pruned and the measurement's orders are added.
func MeasureLongRun(ctx context.Context, opts LongRunOptions) (*LongRunResult, error) {
	if opts.Requests <= 0 {
		opts.Requests = 300
	}
	if opts.Rate <= 0 {
		opts.Rate = 10
	}
	if opts.Window <= 0 {
		opts.Window = 20 * time.Second
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
	logFile, err := os.Create(filepath.Join(opts.Dir, "daemon.log"))
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	// The product's polling intervals: the test ones would poll every 300 ms.
	hopts := harness.Options{Log: logFile, Stores: seedStores(3), RatePerSecond: 5,
		Poll: "interval: 60s\nfast_interval: 5s\nrefund_interval: 60s\nreconcile_interval: 2m"}
	env, err := harness.Prepare(opts.Dir, hopts)
	if err != nil {
		return nil, err
	}
	defer env.Close()

	if opts.Bin != "" {
		for try := range 3 {
			d, err := timeStartup(ctx, opts.Bin, env)
			if err != nil {
				return nil, err
			}
			res.StartupMS = append(res.StartupMS, ms(d))
			say("start-up %d: %s", try+1, d.Round(time.Millisecond))
		}
	}
	if err := env.Run(ctx, hopts); err != nil {
		return nil, err
	}
	defer env.StopDaemon()
	db := env.Daemon.DB
	counts, err := db.CountOrders(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, n := range counts {
		res.Orders += n
	}
	res.BytesPerOrder = float64(res.DBBytes) / float64(max(res.Orders, 1))
	say("%d orders, %.1f MB, %.0f bytes per order", res.Orders, float64(res.DBBytes)/(1<<20), res.BytesPerOrder)

	samples, oldest, err := sampleOrders(ctx, db, opts.Requests)
	if err != nil {
		return nil, err
	}
	for _, q := range consoleQueries(samples) {
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
	window := func(name string, f func() error) error {
		from := time.Now()
		if err := f(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		to := time.Now()
		time.Sleep(time.Second) // acks of pushes sent just before the end
		var lat []time.Duration
		for _, s := range env.Fake.PushSamples() {
			if !s.Sent.Before(from) && s.Sent.Before(to) {
				lat = append(lat, s.Latency)
			}
		}
		res.Acks[name] = Summarise(lat)
		say("acks %-14s %4d pushes  p50 %5.1f ms  p99 %5.1f ms  max %6.1f ms  (%s)", name, len(lat),
			res.Acks[name].P50, res.Acks[name].P99, res.Acks[name].Max, to.Sub(from).Round(time.Millisecond))
		return nil
	}
	time.Sleep(3 * time.Second) // the stream settles
	if err := window("idle", func() error { time.Sleep(opts.Window); return nil }); err != nil {
		return nil, err
	}
	// The daily prune on a database kept retention.days: the oldest day goes.
	cut := oldest.AddDate(0, 0, 1)
	if err := window("daily prune", func() error {
		start := time.Now()
		var err error
		res.Prune, err = db.Prune(ctx, cut)
		res.PruneMS = ms(time.Since(start))
		return err
	}); err != nil {
		return nil, err
	}
	say("prune of %s: %+v in %.0f ms", oldest.Format(time.DateOnly), res.Prune, res.PruneMS)
	if opts.Bin != "" {
		dest := filepath.Join(opts.Dir, "backup-measure.db")
		_ = os.Remove(dest)
		defer os.Remove(dest)
		if err := window("backup", func() error {
			start := time.Now()
			out, err := exec.CommandContext(ctx, opts.Bin, "backup", "--config", env.ConfigFile, dest).CombinedOutput()
			res.BackupMS = ms(time.Since(start))
			if err != nil {
				return fmt.Errorf("%v: %s", err, out)
			}
			return nil
		}); err != nil {
			return nil, err
		}
		if fi, err := os.Stat(dest); err == nil {
			res.BackupBytes = fi.Size()
		}
		say("backup: %.0f ms, %.1f MB", res.BackupMS, float64(res.BackupBytes)/(1<<20))
	}
	return res, nil
}

// timeStartup runs the binary on the prepared config and times it from exec
// to its console answering, then stops it.
func timeStartup(ctx context.Context, bin string, env *harness.Env) (time.Duration, error) {
	log, err := os.OpenFile(filepath.Join(env.Dir, "daemon.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	defer log.Close()
	cmd := exec.CommandContext(ctx, bin, "run", "--config", env.ConfigFile)
	cmd.Stdout, cmd.Stderr = log, log
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	client := &http.Client{Timeout: time.Second}
	for time.Since(start) < 60*time.Second {
		if resp, err := client.Get(env.ConsoleURL + "/api/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return 0, errors.New("the daemon did not answer within 60 s; see daemon.log")
}

// sampled is an order to look for.
type sampled struct{ code, pickup, last4 string }

// sampleOrders picks n orders spread over the database's days, and the oldest day.
func sampleOrders(ctx context.Context, db *store.DB, n int) ([]sampled, time.Time, error) {
	counts, err := db.CountOrders(ctx, "")
	if err != nil {
		return nil, time.Time{}, err
	}
	total := 0
	for _, c := range counts {
		total += c
	}
	if total == 0 {
		return nil, time.Time{}, errors.New("no orders in the database")
	}
	oldestRec, _, err := db.ListOrders(ctx, store.OrderFilter{Limit: 1, Offset: total - 1})
	if err != nil || len(oldestRec) == 0 {
		return nil, time.Time{}, fmt.Errorf("oldest order: %v", err)
	}
	oldest, _ := time.ParseInLocation(time.DateOnly, oldestRec[0].Day, bridge.Shanghai)
	r := mrand.New(mrand.NewPCG(7, 7))
	var out []sampled
	for len(out) < n {
		day := oldest.AddDate(0, 0, r.IntN(int(time.Since(oldest).Hours()/24)+1)).Format(time.DateOnly)
		recs, _, err := db.ListOrders(ctx, store.OrderFilter{Day: day, Limit: 1, Offset: r.IntN(1000)})
		if err != nil {
			return nil, time.Time{}, err
		}
		for _, rec := range recs {
			out = append(out, sampled{rec.Code, rec.PickupNo, rec.MobileLast4})
		}
	}
	return out, oldest, nil
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

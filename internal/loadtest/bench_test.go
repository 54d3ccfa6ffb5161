package loadtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// benchModes runs a benchmark against the real binary as a child process
// (the daemon alone in its process, as on a store PC: its Go scheduler does
// not share two cores' worth of threads with the fake platform's and the
// senders') and in-process (one runtime for all three, the harsher case).
func benchModes(b *testing.B, run func(b *testing.B, mode Mode)) {
	for _, mode := range []Mode{ModeChild, ModeInProcess} {
		b.Run(string(mode), func(b *testing.B) { run(b, mode) })
	}
}

var (
	benchBinOnce sync.Once
	benchBinDir  string
	benchBin     string
	benchBinErr  error
)

// TestMain removes the daemon the benchmarks built.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchBinDir != "" {
		os.RemoveAll(benchBinDir)
	}
	os.Exit(code)
}

// benchDaemon builds the daemon once for every benchmark of the run.
func benchDaemon(b *testing.B) string {
	benchBinOnce.Do(func() {
		benchBinDir, benchBinErr = os.MkdirTemp("", "posbridge-bench-")
		if benchBinErr == nil {
			benchBin, benchBinErr = BuildDaemon(context.Background(), benchBinDir, false)
		}
	})
	if benchBinErr != nil {
		b.Fatal(benchBinErr)
	}
	return benchBin
}

// benchRig is a daemon without printers whose pushes the benchmark signs
// itself (signedPushes) or sends bare.
func benchRig(b *testing.B, mode Mode, signedPushes bool) (*Rig, *rsa.PrivateKey) {
	b.Helper()
	var bin string
	if mode == ModeChild {
		bin = benchDaemon(b)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	s := Scenario{Stores: 1}
	o := s.HarnessOptions()
	o.NoPrinters = true
	o.UnsignedPush = !signedPushes
	// The product's polling, not the tests' 300 ms: a store's daemon polls
	// once a minute while pushes flow and reconciles every two minutes.
	o.Poll = "interval: 60s\nfast_interval: 5s\nrefund_interval: 60s\nreconcile_interval: 2m"
	// The client-side limit (default 5 calls/s) would measure the limiter:
	// every order costs a queryDetail share and an accept.
	o.RatePerSecond = 5000
	base := o.Fake
	o.Fake = func(fo *fake.Options) { base(fo); fo.PlatformKey = key }
	rig, err := NewRig(context.Background(), RigOptions{Dir: b.TempDir(), Mode: mode, Bin: bin, Harness: o})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { rig.Close() })
	return rig, key
}

// BenchmarkPushAck is the push receiver's answer time: a signed order push
// posted on loopback until its "100 success" reply is read, which includes
// the durable commit to the inbox (synchronous=FULL), while the daemon
// ingests what came before. Eight concurrent senders, like a platform's.
func BenchmarkPushAck(b *testing.B) {
	benchModes(b, func(b *testing.B, mode Mode) { benchPushAck(b, mode, 0) })
}

// BenchmarkPushAckPaced is the same at a steady 100 pushes/s (ten times a
// lunch rush's peak) from eight senders: the answer time a store sees when
// the daemon is not saturated, rather than the queueing of a closed loop
// that pushes as fast as the two cores allow.
func BenchmarkPushAckPaced(b *testing.B) {
	benchModes(b, func(b *testing.B, mode Mode) { benchPushAck(b, mode, 100) })
}

// benchPushAck posts b.N signed pushes from eight senders, as fast as they
// are answered (perSecond 0) or at perSecond in all, and reports the answer
// time's percentiles.
func benchPushAck(b *testing.B, mode Mode, perSecond int) {
	rig, key := benchRig(b, mode, true)
	env := rig.Env
	// The pushes are signed beforehand (signing is the platform's cost); each
	// order is created on the platform just before its push, as it would be:
	// orders created all at once up front would reach the daemon through its
	// first poll too, and the benchmark would measure that backfill.
	bodies := make([][]byte, b.N)
	codes := make([]string, b.N)
	for i := range bodies {
		codes[i] = fmt.Sprintf("9%017d", i+1)
		e, err := kaigedian.NewEnvelope(key, "2282", "wxaa246",
			fmt.Appendf(nil, `{"orderCode":%q,"orderStatus":"1","timeStamp":"%d"}`, codes[i], time.Now().UnixMilli()))
		if err != nil {
			b.Fatal(err)
		}
		if bodies[i], err = e.Marshal(); err != nil {
			b.Fatal(err)
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	url := env.PushURL + "/kaigedian/push/order"
	lat := make([]time.Duration, b.N)
	var next sync.Mutex
	i := 0
	b.ResetTimer()
	begin := time.Now()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				next.Lock()
				n := i
				i++
				next.Unlock()
				if n >= b.N {
					return
				}
				if perSecond > 0 {
					time.Sleep(time.Until(begin.Add(time.Duration(n) * time.Second / time.Duration(perSecond))))
				}
				env.Fake.NewOrder(fake.OrderSpec{Code: codes[n], NoPush: true})
				start := time.Now()
				resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[n]))
				if err != nil {
					b.Error(err)
					return
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat[n] = time.Since(start)
				if resp.StatusCode != 200 || !bytes.Contains(raw, []byte(`"statusCode":"100"`)) {
					b.Errorf("push answered HTTP %d %s", resp.StatusCode, raw)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	d := Summarise(lat)
	b.ReportMetric(d.P50, "p50-ms")
	b.ReportMetric(d.P99, "p99-ms")
}

// BenchmarkIngest is the sustained ingest rate: b.N orders offered at up to
// 1000/s, pushed by the fake platform (8 senders), until every one is stored
// with its detail (push → inbox → order → queryDetail → detail stored:
// orders/s), and until every one's auto-accept (one signed statusOperation
// each) has reached the platform (accepted/s). Pushes are unsigned here:
// signing them is the platform's cost, and it would eat a core of the two.
func BenchmarkIngest(b *testing.B) { benchModes(b, benchIngest) }

func benchIngest(b *testing.B, mode Mode) {
	rig, _ := benchRig(b, mode, false)
	env := rig.Env
	ctx := context.Background()
	db, release, err := rig.DB(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer release()
	commits := db.WriteCommits()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		// At most one order per millisecond, as the platform's own timestamps
		// spread them (ten in one millisecond is the poller's stuck-cursor case).
		time.Sleep(time.Until(start.Add(time.Duration(i) * time.Millisecond)))
		env.Fake.NewOrder(fake.OrderSpec{})
	}
	benchWait(b, start, "the ingest", func() (bool, error) {
		counts, err := db.CountOrders(ctx, "")
		total := 0
		for _, n := range counts {
			total += n
		}
		if err != nil || total < b.N {
			return false, err
		}
		waiting, err := db.OrdersNeedingDetail(ctx, order.SourceKaigedian, time.Now().Add(time.Hour), 1)
		return len(waiting) == 0, err
	})
	ingested := time.Since(start)
	// Then until every accept has reached the platform: the signed calls
	// trail the ingest, and a rate that left them behind for good would not
	// be one a store could sustain.
	benchWait(b, start, "the accepts", func() (bool, error) {
		st, err := db.OutboxStats(ctx)
		return st["pending"] == 0, err
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/ingested.Seconds(), "orders/s")
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "accepted/s")
	if mode == ModeInProcess {
		// Every commit is an fsync: on one disk they queue for the device.
		b.ReportMetric(float64(db.WriteCommits()-commits)/float64(b.N), "commits/order")
	}
	// The platform's pushes wait for their acknowledgements: when those slow
	// down under load, so does what the platform can deliver.
	acks := Summarise(env.Fake.PushLatencies())
	b.ReportMetric(acks.P50, "ack-p50-ms")
	b.ReportMetric(acks.P99, "ack-p99-ms")
}

// benchWait polls done until it reports true, for at most five minutes from
// start. Not too often: its queries run over every order, and their CPU is
// taken from the daemon being measured.
func benchWait(b *testing.B, start time.Time, what string, done func() (bool, error)) {
	for {
		ok, err := done()
		if err != nil {
			b.Fatal(err)
		}
		if ok {
			return
		}
		if time.Since(start) > 5*time.Minute {
			b.Fatalf("%s of %d orders did not finish in 5 minutes", what, b.N)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

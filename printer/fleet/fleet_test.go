package fleet_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/fakeprinter"
	"github.com/posbridge/posbridge/printer/fleet"
	"github.com/posbridge/posbridge/printer/preview"
	"github.com/posbridge/posbridge/printer/transport"
	"github.com/posbridge/posbridge/store"
)

// clock lets a test create jobs "in the past" in the real store.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time      { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) set(d time.Duration) { c.offset.Store(int64(d)) }

func openStore(t *testing.T, c *clock) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "posbridge.db"), store.Options{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type events struct {
	mu  sync.Mutex
	all []fleet.Event
}

func (e *events) add(ev fleet.Event) { e.mu.Lock(); e.all = append(e.all, ev); e.mu.Unlock() }
func (e *events) has(kind fleet.EventKind, name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ev := range e.all {
		if ev.Kind == kind && ev.Printer == name {
			return true
		}
	}
	return false
}

func fastPrint() config.PrintConfig {
	return config.PrintConfig{RetryMin: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond,
		StatusEvery: 50 * time.Millisecond, FailoverAttempts: 2, StaleAfter: 10 * time.Minute, KitchenSplit: "station"}
}

func startFleet(t *testing.T, db *store.DB, printers []config.PrinterConfig, ev *events) *fleet.Fleet {
	t.Helper()
	f, err := fleet.New(printers, fastPrint(), db, fleet.FleetOptions{OnEvent: ev.add,
		Transport: transport.Options{ConnectTimeout: 300 * time.Millisecond, WriteTimeout: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func jobStates(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	jobs, err := db.ListPrintJobs(context.Background(), store.PrintJobFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, j := range jobs {
		out[j.OrderCode+"/"+j.Doc+"@"+j.Printer] = j.State
	}
	return out
}

func allDone(t *testing.T, db *store.DB, n int) func() bool {
	return func() bool {
		st := jobStates(t, db)
		done := 0
		for _, s := range st {
			if s == store.JobDone {
				done++
			}
		}
		return done == n
	}
}

func testOrder(code, pickup string) *order.Order {
	return &order.Order{Code: code, PickupNo: pickup, Type: order.TypePickup, StoreID: "s1", ActualPay: 1500,
		Items: []order.Item{{Name: "杨枝甘露", Price: 1500, Quantity: 1, Spec: "大杯"}}}
}

// printedPickups decodes what the fake printer received: the pickup numbers
// of complete jobs in order, "*" marking reprints, "~" a dropped connection.
func printedPickups(fp *fakeprinter.Printer) []string {
	var out []string
	for _, c := range fp.Conns() {
		if !c.HasJob() {
			continue
		}
		text := preview.Decode("escpos", c.Data()).Text()
		mark := ""
		if strings.Contains(text, "补打") {
			mark = "*"
		}
		if c.Dropped() {
			mark = "~"
		}
		for _, p := range []string{"A001", "A002", "A003"} {
			if strings.Contains(text, p) {
				out = append(out, p+mark)
			}
		}
	}
	return out
}

func enqueueOrder(t *testing.T, f *fleet.Fleet, o *order.Order) {
	t.Helper()
	for _, j := range f.OrderJobs(o) {
		if _, _, err := f.Enqueue(context.Background(), j); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFleetPrintsInOrderExactlyOnce(t *testing.T) {
	fp := startFake(t)
	db := openStore(t, &clock{})
	ev := &events{}
	f := startFleet(t, db, []config.PrinterConfig{{Name: "front", Role: "receipt", Connection: fp.URI()}}, ev)
	for i, p := range []string{"A001", "A002", "A003"} {
		enqueueOrder(t, f, testOrder("10"+string(rune('0'+i)), p))
	}
	enqueueOrder(t, f, testOrder("100", "A001")) // the same push again: no second job
	eventually(t, "three receipts", allDone(t, db, 3))
	if got := strings.Join(printedPickups(fp), ","); got != "A001,A002,A003" {
		t.Fatalf("printed %s", got)
	}
	if st := f.Status()[0]; st.State != transport.StateOnline || st.LastPrinted.IsZero() {
		t.Fatalf("status %+v", st)
	}
}

func TestFleetDroppedJobPrintsAgainWithReprintMark(t *testing.T) {
	fp := startFake(t)
	fp.DropOnceAfter(200) // once: a retry under load may come before the test could switch drops off
	db := openStore(t, &clock{})
	ev := &events{}
	f := startFleet(t, db, []config.PrinterConfig{{Name: "front", Role: "receipt", Connection: fp.URI()}}, ev)
	enqueueOrder(t, f, testOrder("201", "A001"))
	eventually(t, "a retry after the drop", func() bool { return ev.has(fleet.EventJobRetry, "front") })
	enqueueOrder(t, f, testOrder("202", "A002"))
	eventually(t, "both done", allDone(t, db, 2))
	if got := strings.Join(printedPickups(fp), ","); got != "A001~,A001*,A002" {
		t.Fatalf("printed %s, want the dropped job once more with 补打 and the next once", got)
	}
}

func TestFleetRecoversJobsInterruptedByACrash(t *testing.T) {
	fp := startFake(t)
	db := openStore(t, &clock{})
	ctx := context.Background()
	// a previous run queued two jobs and crashed while sending the first
	pc := config.PrinterConfig{Name: "front", Role: "receipt", Connection: fp.URI()}
	for i, code := range []string{"301", "302"} {
		doc := document.Receipt(testOrder(code, []string{"A001", "A002"}[i]), document.Options{})
		payload, _ := doc.Marshal()
		id, _, err := db.EnqueuePrintJob(ctx, store.PrintJob{Printer: "front", OrderCode: code, Doc: "receipt", Payload: payload})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := db.MarkPrintSending(ctx, id, []byte("partial")); err != nil {
				t.Fatal(err)
			}
		}
	}
	startFleet(t, db, []config.PrinterConfig{pc}, &events{})
	eventually(t, "both done", allDone(t, db, 2))
	if got := strings.Join(printedPickups(fp), ","); got != "A001*,A002" {
		t.Fatalf("printed %s, want the interrupted job with 补打 and the other once", got)
	}
}

func TestFleetFailsOverAndOfflinePrinterBlocksNoOther(t *testing.T) {
	front, front2, kitchen := startFake(t), startFake(t), startFake(t)
	front.Down()
	db := openStore(t, &clock{})
	ev := &events{}
	f := startFleet(t, db, []config.PrinterConfig{
		{Name: "front", Role: "receipt", Connection: front.URI(), Backup: "front2"},
		{Name: "front2", Role: "receipt", Connection: front2.URI(), Stores: []string{"other"}},
		{Name: "kitchen", Role: "kitchen", Connection: kitchen.URI()},
	}, ev)
	enqueueOrder(t, f, testOrder("401", "A001"))
	if !kitchen.WaitJobs(1, 5*time.Second) {
		t.Fatal("the kitchen waited for the offline receipt printer")
	}
	eventually(t, "failover", func() bool { return ev.has(fleet.EventJobMoved, "front") })
	if !front2.WaitJobs(1, 5*time.Second) {
		t.Fatal("the backup printed nothing")
	}
	if got := strings.Join(printedPickups(front2), ","); got != "A001" {
		t.Fatalf("backup printed %s (nothing had reached the offline printer: no 补打)", got)
	}
	eventually(t, "jobs done", allDone(t, db, 2))
	if st := f.Status()[0]; st.State != transport.StateOffline || !st.FailingOver {
		t.Fatalf("front status %+v", st)
	}
	// while front keeps failing, the next receipt goes straight to the backup
	enqueueOrder(t, f, testOrder("402", "A002"))
	eventually(t, "second receipt on the backup", allDone(t, db, 4))
	if got := strings.Join(printedPickups(front2), ","); got != "A001,A002" {
		t.Fatalf("backup printed %s", got)
	}
}

func TestFleetHoldsStaleJobsAfterAnOutage(t *testing.T) {
	fp := startFake(t)
	c := &clock{}
	db := openStore(t, c)
	ctx := context.Background()
	c.set(-20 * time.Minute) // queued 20 minutes ago, before the daemon went down
	doc := document.Receipt(testOrder("501", "A001"), document.Options{})
	payload, _ := doc.Marshal()
	if _, _, err := db.EnqueuePrintJob(ctx, store.PrintJob{Printer: "front", OrderCode: "501", Doc: "receipt", Payload: payload}); err != nil {
		t.Fatal(err)
	}
	c.set(0)
	ev := &events{}
	f := startFleet(t, db, []config.PrinterConfig{{Name: "front", Role: "receipt", Connection: fp.URI()}}, ev)
	enqueueOrder(t, f, testOrder("502", "A002"))
	eventually(t, "fresh job done", func() bool { return jobStates(t, db)["502/receipt@front"] == store.JobDone })
	if st := jobStates(t, db)["501/receipt@front"]; st != store.JobHeld {
		t.Fatalf("stale job is %s, want held", st)
	}
	if !ev.has(fleet.EventJobsHeld, "front") {
		t.Fatal("no jobs_held event for the console")
	}
	if got := strings.Join(printedPickups(fp), ","); got != "A002" {
		t.Fatalf("printed %s", got)
	}
}

// A job staff release after a hold prints even while the printer still counts
// as recovering from the outage (nothing else has printed since the restart):
// the release is a decision, and the stale check must not hold it again.
func TestFleetPrintsAReleasedJobDespiteTheOutage(t *testing.T) {
	fp := startFake(t)
	c := &clock{}
	db := openStore(t, c)
	ctx := context.Background()
	c.set(-20 * time.Minute)
	doc := document.Receipt(testOrder("511", "A003"), document.Options{})
	payload, _ := doc.Marshal()
	id, _, err := db.EnqueuePrintJob(ctx, store.PrintJob{Printer: "front", OrderCode: "511", Doc: "receipt", Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	c.set(0)
	f := startFleet(t, db, []config.PrinterConfig{{Name: "front", Role: "receipt", Connection: fp.URI()}}, &events{})
	eventually(t, "stale job held", func() bool { return jobStates(t, db)["511/receipt@front"] == store.JobHeld })
	if err := db.ReleasePrintJob(ctx, id); err != nil {
		t.Fatal(err)
	}
	f.Wake("front")
	eventually(t, "released job printed", func() bool { return jobStates(t, db)["511/receipt@front"] == store.JobDone })
	if got := strings.Join(printedPickups(fp), ","); got != "A003" {
		t.Fatalf("printed %s, want the released ticket once", got)
	}
}

func TestFleetWaitsForPaperWithoutDuplicates(t *testing.T) {
	fp := startFake(t)
	fp.SetState(transport.StatePaperOut)
	db := openStore(t, &clock{})
	ev := &events{}
	f := startFleet(t, db, []config.PrinterConfig{{Name: "front", Role: "receipt", Connection: fp.URI()}}, ev)
	enqueueOrder(t, f, testOrder("601", "A001"))
	eventually(t, "paper out shown", func() bool { return f.Status()[0].State == transport.StatePaperOut })
	eventually(t, "a status event", func() bool { return ev.has(fleet.EventStatus, "front") })
	time.Sleep(150 * time.Millisecond)
	if len(fp.Jobs()) != 0 {
		t.Fatal("job bytes went to a printer without paper")
	}
	fp.SetState(transport.StateOnline)
	eventually(t, "printed after the paper is back", allDone(t, db, 1))
	if got := strings.Join(printedPickups(fp), ","); got != "A001" {
		t.Fatalf("printed %s (no 补打: nothing had been sent)", got)
	}
}

func TestFleetTestPrintOnVirtualPrinter(t *testing.T) {
	db := openStore(t, &clock{})
	name := "fleet-" + t.Name()
	f, err := fleet.New([]config.PrinterConfig{{Name: "v", Role: "receipt", Connection: "virtual://" + name, Paper: "58mm"}},
		fastPrint(), db, fleet.FleetOptions{Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.TestPrint(context.Background(), "v"); err != nil {
		t.Fatal(err)
	}
	v := transport.VirtualPrinterNamed(name, "")
	eventually(t, "test page", func() bool { return v.Printed() == 1 })
	text := v.Last(1)[0].Preview.Text()
	for _, want := range []string{"打印测试页", "测试单 非真实订单", "[二维码: posbridge test v]", "[条码: 20240501]"} {
		if !strings.Contains(text, want) {
			t.Errorf("test page lacks %q:\n%s", want, text)
		}
	}
	if _, err := f.TestPrint(context.Background(), "nope"); err == nil {
		t.Error("unknown printer accepted")
	}
}

func TestOrderJobsRouting(t *testing.T) {
	db := openStore(t, &clock{})
	f, err := fleet.New([]config.PrinterConfig{
		{Name: "front", Role: "receipt", Connection: "virtual://r-" + t.Name()},
		{Name: "store2", Role: "receipt", Connection: "virtual://s2-" + t.Name(), Stores: []string{"s2"}},
		{Name: "hot", Role: "kitchen", Connection: "virtual://h-" + t.Name(), Match: config.MatchConfig{Names: []string{"*茶"}}},
		{Name: "grill", Role: "kitchen", Connection: "virtual://g-" + t.Name(), Match: config.MatchConfig{ProductIDs: []string{"burger"}}},
		{Name: "cup", Role: "label", Connection: "virtual://c-" + t.Name(), Match: config.MatchConfig{Names: []string{"*茶"}}},
	}, config.PrintConfig{KitchenSplit: "item"}, db, fleet.FleetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o := testOrder("701", "A001")
	o.Items = []order.Item{{Name: "柠檬茶", Quantity: 2}, {Name: "奶茶", Quantity: 1}, {Name: "薯条", Quantity: 1}}
	var got []string
	for _, j := range f.OrderJobs(o) {
		got = append(got, j.Printer+":"+string(j.Doc.Kind)+":"+j.DedupeKey)
	}
	want := "front:receipt:701:receipt:front hot:kitchen:701:kitchen:hot:1 hot:kitchen:701:kitchen:hot:2 cup:label:701:label:cup"
	if strings.Join(got, " ") != want {
		t.Fatalf("jobs\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	re := f.ReprintJobs(o, document.KindReceipt)
	if len(re) != 1 || !re[0].Doc.Reprint || re[0].DedupeKey != "" {
		t.Fatalf("reprint %+v", re)
	}
	for _, k := range []document.Kind{document.KindCancel, document.KindRefund, document.KindPause, document.KindResume} {
		j, err := f.SlipJob("hot", k, o, "顾客不要了", time.Now())
		if err != nil || j.Doc.Kind != k || j.DedupeKey != "701:"+string(k)+":hot" {
			t.Errorf("%s: %+v %v", k, j, err)
		}
	}
	if _, err := f.SlipJob("hot", document.KindReceipt, o, "", time.Time{}); err == nil {
		t.Error("a receipt is not a slip")
	}
}

func TestNewFleetRejectsBadConfig(t *testing.T) {
	db := openStore(t, &clock{})
	for _, pcs := range [][]config.PrinterConfig{
		{{Name: "a", Connection: "lpt://1"}},
		{{Name: "a", Connection: "tcp://1.2.3.4", Backup: "zz"}},
		{{Name: "a", Connection: "tcp://1.2.3.4"}, {Name: "a", Connection: "tcp://1.2.3.5"}},
		{{Name: "a", Connection: "tcp://1.2.3.4", Charset: "big5"}},
		{{Name: "a", Connection: "tcp://1.2.3.4", Match: config.MatchConfig{Names: []string{"[x"}}}},
	} {
		if _, err := fleet.New(pcs, config.PrintConfig{}, db, fleet.FleetOptions{}); err == nil {
			t.Errorf("%+v accepted", pcs)
		}
	}
}

// The sandbox config (what `posbridge run` uses without a file) must start.
func TestFleetRunsTheSandboxConfig(t *testing.T) {
	cfg := config.Sandbox()
	f, err := fleet.New(cfg.Printers, cfg.Print, openStore(t, &clock{}), fleet.FleetOptions{Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Status()) != len(cfg.Printers) || len(cfg.Printers) == 0 {
		t.Fatalf("%d printers", len(f.Status()))
	}
	o := testOrder("801", "A001")
	if len(f.OrderJobs(o)) == 0 {
		t.Fatal("the sandbox prints nothing for an order")
	}
}

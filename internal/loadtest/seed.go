package loadtest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// SeedOptions shape a seeded database: a store's history written directly,
// as if posbridge had run for months, to measure start-up, lists, search,
// the 今日 panel, backup and prune on a database of a busy store's size.
type SeedOptions struct {
	Path     string    // the database file to create (it must not exist)
	Orders   int       // default 1,000,000
	PerDay   int       // orders per day over every store; default 1,500 (a busy store)
	Stores   int       // default 3
	End      time.Time // the last order's day and time; default now
	Seed     int64     // the generator's seed
	Workers  int       // generating goroutines; default 2
	Progress io.Writer // a line per 10 days written; nil = quiet
}

// SeedResult counts what Seed wrote.
type SeedResult struct {
	Orders, History, Jobs, Outbox, Inbox int
	Days                                 int
	Bytes                                int64 // database file size after the seed
	Took                                 time.Duration
}

// Seed writes a database of realistic orders: the simulated platform's menus,
// types, channels and amounts; every order with its history, print jobs
// (the documents and bytes the real printers would get), platform calls and
// the pushes that announced it, all at the times they happened, over the days
// before End. Most orders are completed; some were cancelled before accept,
// rejected or refunded; the last half hour's are still being made.
func Seed(ctx context.Context, opts SeedOptions) (SeedResult, error) {
	opts = opts.withDefaults()
	if _, err := os.Stat(opts.Path); err == nil {
		return SeedResult{}, fmt.Errorf("seed: %s exists: seed a new file", opts.Path)
	}
	start := time.Now()
	db, err := store.Open(ctx, opts.Path, store.Options{})
	if err != nil {
		return SeedResult{}, err
	}
	defer db.Close()
	gen, err := newSeedGenerator(opts, db)
	if err != nil {
		return SeedResult{}, err
	}
	days := (opts.Orders + opts.PerDay - 1) / opts.PerDay
	res := SeedResult{Days: days}

	// Days are generated in parallel and written in order (one transaction
	// each): ids and times grow together, as in a store's own database. At
	// most `ahead` days wait in memory: generating outruns writing, and a
	// million orders held at once is the whole database in RAM.
	results := make([]chan []store.SeedOrder, days)
	for i := range results {
		results[i] = make(chan []store.SeedOrder, 1)
	}
	ahead := make(chan struct{}, 2*opts.Workers)
	next := make(chan int)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for w := range opts.Workers {
		wg.Go(func() {
			g := gen.worker(w)
			for d := range next {
				results[d] <- g.day(d, days)
			}
		})
	}
	go func() {
		defer close(next)
		for d := range days {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- d:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()
	defer cancel() // first: the dispatcher stops, then the workers
	for d := range days {
		var batch []store.SeedOrder
		select {
		case batch = <-results[d]:
		case <-ctx.Done():
			return res, ctx.Err()
		}
		if err := db.Seed(ctx, batch); err != nil {
			return res, fmt.Errorf("seed day %d: %w", d+1, err)
		}
		<-ahead
		for _, o := range batch {
			res.Orders++
			res.History += len(o.History)
			res.Jobs += len(o.Jobs)
			res.Outbox += len(o.Outbox)
			res.Inbox += len(o.Inbox)
		}
		if opts.Progress != nil && ((d+1)%10 == 0 || d+1 == days) {
			fmt.Fprintf(opts.Progress, "seeded %d of %d days, %d orders, %s\n", d+1, days, res.Orders, time.Since(start).Round(time.Second))
		}
	}
	if err := db.Close(); err != nil {
		return res, err
	}
	for _, f := range []string{opts.Path, opts.Path + "-wal"} {
		if info, err := os.Stat(f); err == nil {
			res.Bytes += info.Size()
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

func (o SeedOptions) withDefaults() SeedOptions {
	if o.Orders <= 0 {
		o.Orders = 1_000_000
	}
	if o.PerDay <= 0 {
		o.PerDay = 1500
	}
	if o.Stores <= 0 {
		o.Stores = 3
	}
	if o.End.IsZero() {
		o.End = time.Now()
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	return o
}

// seedGenerator holds what every worker shares: the stores, the printers'
// plan and one platform signature (signing each of millions of pushes would
// take an hour; the signature's size is what matters here).
type seedGenerator struct {
	opts   SeedOptions
	stores []fake.Store
	fleet  *printer.Fleet
	sign   string
	cfg    *config.Config
}

func newSeedGenerator(opts SeedOptions, db *store.DB) (*seedGenerator, error) {
	cfg := config.Sandbox() // the sandbox's printers: receipt, kitchen, cup labels
	g := &seedGenerator{opts: opts, cfg: cfg}
	for _, s := range seedStores(opts.Stores) {
		g.stores = append(g.stores, fake.Store{ID: s.ID, Name: s.Name})
	}
	var err error
	// A fleet that plans and renders only: it is never started.
	if g.fleet, err = printer.NewFleet(cfg.Printers, cfg.Print, db, printer.FleetOptions{}); err != nil {
		return nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	env, err := kaigedian.NewEnvelope(key, "2282", "wxaa246", []byte(`{}`))
	if err != nil {
		return nil, err
	}
	g.sign = env.Sign
	return g, nil
}

// seedStores are the stores a seeded database has (MeasureLongRun's config
// names the same).
func seedStores(n int) []config.StoreConfig {
	out := make([]config.StoreConfig, n)
	for i := range out {
		out[i] = config.StoreConfig{ID: strconv.Itoa(1862 + 189*i), Name: storeNames[i%len(storeNames)]}
	}
	return out
}

// seedWorker generates days; each has a simulated platform of its own (a
// day is generated by one worker, so pickup numbers are unique per store
// and day).
type seedWorker struct {
	*seedGenerator
	platform *fake.Platform
	rng      *mrand.Rand
	seq      int
	id       int
}

func (g *seedGenerator) worker(id int) *seedWorker {
	key, _ := rsa.GenerateKey(rand.Reader, 1024) // verifies nothing: the platform is never called
	p, err := fake.New(fake.Options{MerchantPublicKey: &key.PublicKey, Stores: g.stores, Seed: g.opts.Seed + int64(id)})
	if err != nil {
		panic(err) // only a missing key fails New
	}
	return &seedWorker{seedGenerator: g, platform: p, id: id,
		rng: mrand.New(mrand.NewPCG(uint64(g.opts.Seed)+uint64(id), 0x5eed))}
}

// day generates the orders of day d of days (0 = the first, days-1 = End's).
func (w *seedWorker) day(d, days int) []store.SeedOrder {
	end := w.opts.End.In(bridge.Shanghai)
	date := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, bridge.Shanghai).AddDate(0, 0, d-(days-1))
	n := w.opts.PerDay
	if d == days-1 {
		n = w.opts.Orders - w.opts.PerDay*(days-1)
	}
	times := make([]time.Time, n)
	for i := range times {
		times[i] = date.Add(businessMoment(w.rng))
		if d == days-1 && times[i].After(w.opts.End) {
			// Today's orders come before now: spread what is left over the morning.
			times[i] = date.Add(time.Duration(w.rng.Int64N(int64(max(w.opts.End.Sub(date), time.Minute)))))
		}
	}
	sortTimes(times)
	out := make([]store.SeedOrder, 0, n)
	for _, at := range times {
		out = append(out, w.order(at))
	}
	return out
}

// businessMoment is a time of day an order comes in: 09:00–22:00, with the
// lunch and dinner rushes.
func businessMoment(r *mrand.Rand) time.Duration {
	hour := 9 + r.Float64()*13
	switch x := r.Float64(); {
	case x < 0.35:
		hour = 11.5 + r.NormFloat64()*0.6
	case x < 0.6:
		hour = 18 + r.NormFloat64()*0.7
	}
	hour = min(max(hour, 9), 21.99)
	return time.Duration(hour * float64(time.Hour))
}

func sortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// outcome is how an order ended.
type outcome int

const (
	completed outcome = iota
	cancelledBeforeAccept
	rejected
	refunded
	stillMaking
)

func (w *seedWorker) outcome(at time.Time) outcome {
	if w.opts.End.Sub(at) < 30*time.Minute {
		return stillMaking
	}
	switch x := w.rng.Float64(); {
	case x < 0.03:
		return cancelledBeforeAccept
	case x < 0.04:
		return rejected
	case x < 0.06:
		return refunded
	}
	return completed
}

// order is one order at created with its whole story.
func (w *seedWorker) order(created time.Time) store.SeedOrder {
	w.seq++
	st := w.stores[w.rng.IntN(len(w.stores))]
	code := fmt.Sprintf("%013d%05d%d%04d", created.UnixMilli(), 10000+w.rng.IntN(90000), w.id, w.seq%10000)
	end := w.outcome(created)
	platformStatus := map[outcome]int{completed: kaigedian.PlatformCompleted, cancelledBeforeAccept: kaigedian.PlatformCancelled,
		rejected: kaigedian.PlatformRejected, refunded: kaigedian.PlatformCancelled, stillMaking: kaigedian.PlatformAccepted}[end]
	o, raw, err := w.platform.Sample(fake.OrderSpec{Code: code, StoreID: st.ID, CreatedAt: created, Status: platformStatus})
	if err != nil {
		panic(err) // marshalling generated content cannot fail
	}
	seen := created.Add(time.Duration(200+w.rng.IntN(600)) * time.Millisecond)
	accepted := seen.Add(time.Duration(10+w.rng.IntN(40)) * time.Millisecond)
	made := accepted.Add(time.Duration(3+w.rng.IntN(15)) * time.Minute)
	done := made.Add(time.Duration(1+w.rng.IntN(10)) * time.Minute)
	rec := store.OrderRecord{Code: code, StoreID: st.ID, PlatformStatus: platformStatus, Type: o.Type, Channel: o.Channel,
		PickupNo: o.PickupNo, MobileLast4: last4(o.Mobile), Day: bridge.BusinessDay(created), CreatedAt: created,
		FirstSeenAt: seen, FirstSource: "push", PushSeen: true, Detail: &o, RawDetail: raw}
	so := store.SeedOrder{}
	so.Inbox = append(so.Inbox, w.push(code, kaigedian.PlatformNew, 0, 0, "", seen))
	so.History = append(so.History, store.History{Code: code, At: seen, To: order.StatusNew, Actor: "platform", Source: "push", Reason: "新订单"})
	switch end {
	case cancelledBeforeAccept:
		rec.Status, rec.CancelType, rec.Reason = order.StatusCancelled, 2, "用户取消"
		rec.PlatformAt, rec.ClosedAt = made, made
		so.Inbox = append(so.Inbox, w.push(code, kaigedian.PlatformCancelled, 2, 5, "用户取消", made))
		so.History = append(so.History, store.History{Code: code, At: made, From: order.StatusNew, To: order.StatusCancelled,
			Actor: "platform", Source: "push", Reason: "用户取消"})
		rec.UpdatedAt = made
		return w.finish(so, rec)
	case rejected:
		rec.Status, rec.Reason, rec.ClosedAt = order.StatusRejected, "商品已售罄", accepted
		so.History = append(so.History, store.History{Code: code, At: accepted, From: order.StatusNew, To: order.StatusRejected,
			Actor: "staff:店长", Source: "staff", Reason: "拒单：商品已售罄"})
		so.Outbox = append(so.Outbox, w.call(code, "reject", kaigedian.PlatformRejected, "staff:店长", accepted))
		rec.UpdatedAt = accepted.Add(300 * time.Millisecond)
		return w.finish(so, rec)
	}
	// Accepted automatically; its tickets print.
	rec.AcceptedAt = accepted
	w.step(&so, code, order.StatusNew, order.StatusAccepted, "auto", "policy", "自动接单", "accept", kaigedian.PlatformAccepted, "接单", accepted)
	so.Jobs = w.jobs(&o, accepted)
	rec.UpdatedAt = accepted.Add(400 * time.Millisecond)
	if end == stillMaking {
		rec.Status = order.StatusAccepted
		return w.finish(so, rec)
	}
	rec.MadeAt = made
	w.step(&so, code, order.StatusAccepted, order.StatusMade, "scanner", "staff", "制作完成", "made", kaigedian.PlatformMade, "制作完成", made)
	if end == refunded {
		rec.Status, rec.RefundStatus, rec.CancelType, rec.Reason = order.StatusRefunded, order.RefundDone, 2, "不想要了"
		rec.ClosedAt, rec.UpdatedAt = done, done
		so.History = append(so.History,
			store.History{Code: code, At: made.Add(time.Minute), From: order.StatusMade, To: order.StatusRefundRequested,
				Actor: "platform", Source: "push", Reason: "顾客申请退款：不想要了"},
			store.History{Code: code, At: done, From: order.StatusRefundRequested, To: order.StatusRefunded,
				Actor: "staff:店长", Source: "staff", Reason: "同意退款"})
		so.Outbox = append(so.Outbox, w.call(code, "refund_approve", 0, "staff:店长", done))
		so.Inbox = append(so.Inbox, w.push(code, kaigedian.PlatformCancelled, 2, 5, "不想要了", done.Add(time.Second)))
		return w.finish(so, rec)
	}
	rec.Status, rec.CompletedAt, rec.ClosedAt, rec.UpdatedAt = order.StatusCompleted, done, done, done.Add(400*time.Millisecond)
	w.step(&so, code, order.StatusMade, order.StatusCompleted, "scanner", "staff", "已取餐", "complete", kaigedian.PlatformCompleted, "完成", done)
	return w.finish(so, rec)
}

// step is one step posbridge took at the counter and told the platform:
// the history line, the platform's confirmation, the call and the push that
// followed it.
func (w *seedWorker) step(so *store.SeedOrder, code string, from, to order.Status, actor, source, reason, op string,
	platformStatus int, confirmed string, at time.Time) {
	so.History = append(so.History, store.History{Code: code, At: at, From: from, To: to, Actor: actor, Source: source, Reason: reason},
		store.History{Code: code, At: at.Add(200 * time.Millisecond), Actor: "platform", Source: "outbox", Reason: "平台已确认：" + confirmed})
	so.Outbox = append(so.Outbox, w.call(code, op, platformStatus, actor, at))
	so.Inbox = append(so.Inbox, w.push(code, platformStatus, 0, 0, "", at.Add(300*time.Millisecond)))
}

func (w *seedWorker) finish(so store.SeedOrder, rec store.OrderRecord) store.SeedOrder {
	rec.PlatformAt = rec.UpdatedAt
	so.Record = rec
	return so
}

// push is the inbox row a status push left: the signed envelope as received.
func (w *seedWorker) push(code string, status, cancelType, cancelStatus int, reason string, at time.Time) store.InboxItem {
	env := kaigedian.Envelope{Ver: kaigedian.Version, PartnerID: "2282", AppID: "wxaa246",
		RequestBody: string(fake.StatusPushJSON(code, status, cancelType, cancelStatus, reason, at.UnixMilli())), Sign: w.sign}
	body, _ := env.Marshal()
	return store.InboxItem{Kind: string(kaigedian.PushOrder), OrderCode: code, Body: body, Signed: true,
		Remote: "203.0.113.7:" + strconv.Itoa(30000+w.rng.IntN(30000)), ReceivedAt: at, State: "done", Attempts: 1,
		DoneAt: at.Add(5 * time.Millisecond)}
}

// seedCall is the outbox payload of a platform order operation.
type seedCall struct {
	OrderCode string `json:"order_code"`
	Status    int    `json:"status,omitempty"`
	Action    int    `json:"action,omitempty"`
	Operator  string `json:"operator,omitempty"`
}

// call is a platform call that went out and succeeded at once.
func (w *seedWorker) call(code, op string, status int, actor string, at time.Time) store.OutboxRow {
	kind, p := "status_operation", seedCall{OrderCode: code, Status: status, Operator: actor}
	if op == "refund_approve" {
		kind, p = "refund_operation", seedCall{OrderCode: code, Action: 1, Operator: actor}
	}
	payload, _ := json.Marshal(p)
	return store.OutboxRow{TxID: store.NewTxID(), Kind: kind, Op: op, Lane: "kaigedian:" + code, OrderCode: code, Payload: payload,
		State: store.OutboxDone, Attempts: 1, Actor: actor, CreatedAt: at, UpdatedAt: at.Add(150 * time.Millisecond),
		DoneAt: at.Add(150 * time.Millisecond)}
}

// jobs are the order's receipt, kitchen tickets and cup labels as the
// sandbox's printers would have printed them: the documents and their bytes.
func (w *seedWorker) jobs(o *order.Order, at time.Time) []store.PrintJob {
	var out []store.PrintJob
	for i, j := range w.fleet.OrderJobs(o) {
		payload, err := j.Doc.Marshal()
		if err != nil {
			continue
		}
		p, _ := w.fleet.Profile(j.Printer)
		data, err := printer.Render(j.Doc, p)
		if err != nil {
			continue
		}
		t := at.Add(time.Duration(20+100*i) * time.Millisecond)
		out = append(out, store.PrintJob{Printer: j.Printer, OrderCode: o.Code, Doc: string(j.Doc.Kind), Title: j.Title,
			DedupeKey: j.DedupeKey, Payload: payload, State: store.JobDone, Attempts: 1, Bytes: data, CreatedAt: at,
			UpdatedAt: t.Add(800 * time.Millisecond), FirstTryAt: t, DoneAt: t.Add(800 * time.Millisecond)})
	}
	return out
}

func last4(mobile string) string {
	if len(mobile) < 4 {
		return mobile
	}
	return mobile[len(mobile)-4:]
}

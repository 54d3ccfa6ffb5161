package fake

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
)

// Push bodies, shaped like the documents' examples (numbers as strings
// where the tables say String).

func (p *Platform) pushStatus(fo *fakeOrder) {
	p.enqueuePush(kaigedian.PushOrder, fo.o.Code, statusPush(fo.o.Code, fo.status, fo.cancelType, fo.cancelStatus, fo.cancelReason, fo.updatedMs))
}

// statusPushBody is an order status push (§6.1).
type statusPushBody struct {
	OrderCode    string `json:"orderCode"`
	OrderStatus  string `json:"orderStatus"`
	CancelType   string `json:"cancelType,omitempty"`
	CancelStatus string `json:"cancelStatus,omitempty"`
	CancelReason string `json:"cancelReason,omitempty"`
	TimeStamp    string `json:"timeStamp"`
}

func statusPush(code string, status, cancelType, cancelStatus int, reason string, atMs int64) statusPushBody {
	return statusPushBody{code, strconv.Itoa(status), itoaNonZero(cancelType), itoaNonZero(cancelStatus), reason,
		strconv.FormatInt(atMs, 10)}
}

// StatusPushJSON is the body of the status push the platform sends for an
// order moving to status at atMs (the load tool's seeding mode keeps it as
// the inbox row a push leaves).
func StatusPushJSON(code string, status, cancelType, cancelStatus int, reason string, atMs int64) []byte {
	b, _ := json.Marshal(statusPush(code, status, cancelType, cancelStatus, reason, atMs))
	return b
}

func (p *Platform) pushRefund(fo *fakeOrder) {
	body := struct {
		OrderCode    string `json:"orderCode"`
		RefundStatus string `json:"refundStatus"`
		RefundType   string `json:"refundType,omitempty"`
		RefundReason string `json:"refundReason,omitempty"`
		TimeStamp    string `json:"timeStamp"`
	}{fo.o.Code, strconv.Itoa(fo.refundStatus), itoaNonZero(fo.refundType), fo.refundReason,
		strconv.FormatInt(fo.refundMs, 10)}
	p.enqueuePush(kaigedian.PushRefund, fo.o.Code, body)
}

func (p *Platform) pushDelivery(fo *fakeOrder, status int) {
	var name, phone string
	if fo.delivery != nil {
		name, phone = fo.delivery.ContactsName, fo.delivery.Mobile
	}
	body := struct {
		OrderID        string `json:"orderId"`
		DeliveryID     string `json:"deliveryId"`
		DeliveryStatus int    `json:"deliveryStatus"`
		RiderName      string `json:"riderName,omitempty"`
		RiderPhone     string `json:"riderPhone,omitempty"`
		ChannelCode    string `json:"channelCode"`
		ChannelName    string `json:"channelName"`
		PartnerID      string `json:"partnerId"`
		StoreID        string `json:"storeId"`
	}{fo.o.Code, fo.deliveryID, status, name, phone, "SelfDelivery", "自配送", p.opts.PartnerID, fo.o.StoreID}
	p.enqueuePush(kaigedian.PushDelivery, fo.o.Code, body)
}

func (p *Platform) pushEvent(code string, eventType int) {
	body := struct {
		EventType string `json:"eventType"`
		OrderCode string `json:"orderCode"`
	}{strconv.Itoa(eventType), code}
	p.enqueuePush(kaigedian.PushEvent, code, body)
}

func itoaNonZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// enqueuePush queues a push; called with p.mu held (it uses p.rng).
func (p *Platform) enqueuePush(kind kaigedian.PushKind, code string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		return
	}
	copies := 1
	if p.opts.PushDuplicates > 0 && p.rng.Float64() < p.opts.PushDuplicates {
		copies = 2
	}
	for range copies {
		p.pusher.enqueue(pushJob{kind: kind, code: code, body: body})
	}
}

// PushStats counts pushes for tests and the load tool.
type PushStats struct {
	Queued   int64 // pushes created (duplicates included)
	Attempts int64 // HTTP posts
	Acked    int64 // answered HTTP 200 with code 100
	Failed   int64 // given up after the retries
	Dropped  int64 // not sent: pushes disabled or no PushURL
	Pending  int   // queued, in flight or waiting to retry
}

type pushJob struct {
	kind    kaigedian.PushKind
	code    string
	body    []byte
	attempt int
}

// pusher delivers pushes asynchronously with retries, like a platform.
type pusher struct {
	p       *Platform
	client  *http.Client
	workers int

	mu       sync.Mutex
	cond     *sync.Cond
	url      string // base URL of the push listener; guarded by mu
	queue    []pushJob
	pending  int
	disabled bool
	held     bool // HoldPushes: queued pushes wait
	closed   bool
	started  bool
	wg       sync.WaitGroup

	queued, attempts, acked, failed, dropped atomic.Int64

	latMu   sync.Mutex
	samples []PushSample
}

// PushSample is one acknowledged push: when it was posted and how long the
// receiver took to acknowledge it (the load tool charts these over time).
type PushSample struct {
	Kind    kaigedian.PushKind
	Code    string
	Sent    time.Time
	Latency time.Duration
}

const maxLatencies = 1 << 20

func newPusher(p *Platform) *pusher {
	timeout := p.opts.PushTimeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	workers := p.opts.PushWorkers
	if workers <= 0 {
		workers = 4
	}
	// One kept-alive connection per worker: else the other workers' new
	// connections would be what a benchmark of the receiver measures.
	client := &http.Client{Timeout: timeout, Transport: kaigedian.KeepAliveTransport(workers)}
	ps := &pusher{p: p, client: client, url: p.opts.PushURL, workers: workers}
	ps.cond = sync.NewCond(&ps.mu)
	return ps
}

func (ps *pusher) enqueue(job pushJob) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.url == "" || ps.disabled || ps.closed {
		ps.dropped.Add(1)
		return
	}
	if !ps.started {
		ps.started = true
		for range ps.workers {
			ps.wg.Go(ps.work)
		}
	}
	ps.queued.Add(1)
	ps.pending++
	ps.queue = append(ps.queue, job)
	ps.cond.Signal()
}

func (ps *pusher) work() {
	for {
		ps.mu.Lock()
		for (len(ps.queue) == 0 || ps.held) && !ps.closed {
			ps.cond.Wait()
		}
		if ps.closed {
			ps.mu.Unlock()
			return
		}
		job := ps.queue[0]
		ps.queue = ps.queue[1:]
		ps.mu.Unlock()
		ps.deliver(job)
	}
}

// deliver posts one push and schedules a retry when it is not acknowledged.
func (ps *pusher) deliver(job pushJob) {
	acked, start, lat := ps.post(job)
	if acked {
		ps.acked.Add(1)
		ps.latMu.Lock()
		if len(ps.samples) < maxLatencies {
			ps.samples = append(ps.samples, PushSample{Kind: job.kind, Code: job.code, Sent: start, Latency: lat})
		}
		ps.latMu.Unlock()
		ps.done()
		return
	}
	retries := ps.p.opts.PushRetries
	if retries == 0 {
		retries = 3
	}
	if job.attempt >= retries || ps.isClosed() {
		ps.failed.Add(1)
		ps.p.log.Warn("fake platform gave up a push", "kind", job.kind, "order", job.code, "attempts", job.attempt+1)
		ps.done()
		return
	}
	delay := ps.p.opts.PushRetryDelay
	if delay <= 0 {
		delay = 200 * time.Millisecond
	}
	delay <<= min(job.attempt, 6)
	job.attempt++
	time.AfterFunc(delay, func() {
		ps.mu.Lock()
		defer ps.mu.Unlock()
		if ps.closed {
			ps.failed.Add(1)
			ps.pending--
			ps.cond.Broadcast()
			return
		}
		ps.queue = append(ps.queue, job)
		ps.cond.Signal()
	})
}

// post sends one push. The latency runs from the request going out (after
// the envelope is signed) to the whole reply read: the receiver's time only.
func (ps *pusher) post(job pushJob) (acked bool, sent time.Time, latency time.Duration) {
	ps.attempts.Add(1)
	payload := job.body
	if ps.p.opts.PushSigned {
		env, err := kaigedian.NewEnvelope(ps.p.platformKey, ps.p.opts.PartnerID, ps.p.opts.AppID, job.body)
		if err != nil {
			return false, sent, 0
		}
		if payload, err = env.Marshal(); err != nil {
			return false, sent, 0
		}
	}
	ps.mu.Lock()
	url := strings.TrimRight(ps.url, "/") + "/kaigedian/push/" + string(job.kind)
	ps.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-ps.p.closed:
			cancel()
		case <-ctx.Done():
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		return false, sent, 0
	}
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	if ps.p.opts.PushToken != "" {
		req.Header.Set("X-Push-Token", ps.p.opts.PushToken)
	}
	sent = time.Now()
	resp, err := ps.client.Do(req)
	if err != nil {
		return false, sent, 0
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	latency = time.Since(sent)
	if err != nil || resp.StatusCode != http.StatusOK {
		return false, sent, latency
	}
	r, err := kaigedian.DecodeResponse(raw)
	return err == nil && r.OK(), sent, latency
}

func (ps *pusher) done() {
	ps.mu.Lock()
	ps.pending--
	ps.cond.Broadcast()
	ps.mu.Unlock()
}

func (ps *pusher) isClosed() bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.closed
}

func (ps *pusher) close() {
	ps.mu.Lock()
	ps.closed = true
	ps.failed.Add(int64(len(ps.queue)))
	ps.pending -= len(ps.queue)
	ps.queue = nil
	ps.cond.Broadcast()
	ps.mu.Unlock()
	ps.wg.Wait()
}

// SetPushURL points the pushes at a listener opened after the platform
// (tests and the sandbox learn the daemon's address late).
func (p *Platform) SetPushURL(url string) {
	p.pusher.mu.Lock()
	defer p.pusher.mu.Unlock()
	p.pusher.url = url
}

// SetPushEnabled turns pushes on or off; while off, changes are not pushed
// at all (the platform cannot reach the store), only polls see them.
func (p *Platform) SetPushEnabled(on bool) {
	p.pusher.mu.Lock()
	defer p.pusher.mu.Unlock()
	p.pusher.disabled = !on
}

// PushStats returns the push counters.
func (p *Platform) PushStats() PushStats {
	ps := p.pusher
	ps.mu.Lock()
	pending := ps.pending
	ps.mu.Unlock()
	return PushStats{
		Queued: ps.queued.Load(), Attempts: ps.attempts.Load(), Acked: ps.acked.Load(),
		Failed: ps.failed.Load(), Dropped: ps.dropped.Load(), Pending: pending,
	}
}

// PushLatencies returns the time from sending each acknowledged push to
// its acknowledgement, in completion order.
func (p *Platform) PushLatencies() []time.Duration {
	p.pusher.latMu.Lock()
	defer p.pusher.latMu.Unlock()
	out := make([]time.Duration, len(p.pusher.samples))
	for i, s := range p.pusher.samples {
		out[i] = s.Latency
	}
	return out
}

// PushSamples returns every acknowledged push with its send time, in
// completion order.
func (p *Platform) PushSamples() []PushSample {
	p.pusher.latMu.Lock()
	defer p.pusher.latMu.Unlock()
	return append([]PushSample(nil), p.pusher.samples...)
}

// WaitPushes blocks until no push is queued, in flight or waiting to retry.
func (p *Platform) WaitPushes(ctx context.Context) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		p.pusher.mu.Lock()
		pending := p.pusher.pending
		p.pusher.mu.Unlock()
		if pending == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

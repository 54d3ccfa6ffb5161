package fleet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/render"
	"github.com/posbridge/posbridge/printer/transport"
	"github.com/posbridge/posbridge/store"
)

// JobStore is what the workers need from the database; *store.DB has it.
type JobStore interface {
	EnqueuePrintJob(ctx context.Context, j store.PrintJob) (id int64, created bool, err error)
	NextPrintJob(ctx context.Context, printer string) (*store.PrintJob, error)
	MarkPrintSending(ctx context.Context, id int64, bytes []byte) error
	MarkPrintDone(ctx context.Context, id int64) error
	MarkPrintRetry(ctx context.Context, id int64, reason string, next time.Time, reprint bool) error
	MarkPrintFailed(ctx context.Context, id int64, reason string) error
	MovePrintJob(ctx context.Context, id int64, toPrinter, reason string) error
	HoldStalePrintJobs(ctx context.Context, printer string, olderThan time.Time) (int64, error)
	RecoverSendingPrintJobs(ctx context.Context) (int64, error)
}

// worker prints one printer's queue in order. It is the only goroutine that
// talks to its printer, so status polls never collide with a job on a TCP
// printer that takes one connection at a time.
type worker struct {
	f      *Fleet
	dev    *transport.Device
	name   string
	backup *worker
	wake   chan struct{}
	log    *slog.Logger

	mu        sync.Mutex
	status    PrinterStatus
	outage    bool // since the last printed job, the printer failed or the daemon restarted
	failing   bool // the last attempt failed: fail over without trying again
	retryNow  bool // Wake: try the head job now even if its retry is scheduled later
	lastCheck time.Time
	// printingSince and printingUntil frame the job being sent: past
	// printingUntil without a confirmation, the printer counts as stuck.
	printingSince, printingUntil time.Time
}

// PrinterStatus is a snapshot for `posbridge printers list` and the console.
type PrinterStatus struct {
	Name        string                 `json:"name"`
	Role        string                 `json:"role"`
	Connection  string                 `json:"connection"`
	TwoWay      bool                   `json:"two_way"`
	State       transport.PrinterState `json:"state"`
	Label       string                 `json:"label"`
	CheckedAt   time.Time              `json:"checked_at,omitzero"`
	LastError   string                 `json:"last_error,omitempty"`
	Hint        string                 `json:"hint,omitempty"`  // LastError for staff: what to check, in Chinese
	Stuck       bool                   `json:"stuck,omitempty"` // a job has waited too long for the printer's confirmation
	LastPrinted time.Time              `json:"last_printed,omitzero"`
	Backup      string                 `json:"backup,omitempty"`
	// FailingOver is true while jobs go to the backup because this printer fails.
	FailingOver bool `json:"failing_over,omitempty"`
	// StatusFrom says who told the state: printer, spooler, or none (a
	// one-way link; State stays unknown and Hint says what to watch).
	StatusFrom string `json:"status_from,omitempty"`
}

func (w *worker) snapshot() PrinterStatus {
	w.mu.Lock()
	defer w.mu.Unlock()
	st := w.status
	st.Hint = transport.Explain(st.LastError)
	if st.StatusFrom == StatusFromNone && st.Hint == "" {
		st.Hint = oneWayHint
	}
	if now := w.f.now(); !w.printingUntil.IsZero() && now.After(w.printingUntil) && !now.Before(w.printingSince) {
		st.Stuck = true
		st.Hint = "打印机一直没有打完当前单据：请检查是否缺纸、卡纸或纸仓盖打开"
	}
	return st
}

// setState records a state and emits an event when it changed.
func (w *worker) setState(st transport.PrinterState, errText string) {
	w.setStateFrom(st, errText, "", "")
}

// setStateFrom is setState with the words and the teller of the state (the
// spooler's label): "" keeps the state's own label and the teller before.
func (w *worker) setStateFrom(st transport.PrinterState, errText, label, from string) {
	if label == "" {
		label = st.Label()
	}
	w.mu.Lock()
	old := w.status.State
	w.status.State, w.status.Label, w.status.CheckedAt = st, label, w.f.now()
	w.status.LastError = errText
	if from != "" {
		w.status.StatusFrom = from
	}
	w.mu.Unlock()
	if old != st {
		w.log.Info("printer state", "printer", w.name, "state", st, "error", errText)
		w.f.emit(Event{Kind: EventStatus, Printer: w.name, State: st, Err: errText})
	}
}

func (w *worker) healthy() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.failing
}

func (w *worker) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *worker) run(ctx context.Context) {
	w.mu.Lock()
	w.outage = true // a (re)start is an outage: what waited meanwhile may be stale
	w.mu.Unlock()
	w.pollStatus(ctx)
	for ctx.Err() == nil {
		wait := w.step(ctx)
		if wait <= 0 {
			continue
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// step does one thing — print the head job, poll the status, hold stale jobs
// or fail over — and returns how long to wait before the next step.
func (w *worker) step(ctx context.Context) time.Duration {
	cfg := w.f.cfg
	job, err := w.f.db.NextPrintJob(ctx, w.name)
	if errors.Is(err, store.ErrNotFound) {
		if w.sinceCheck(w.f.now()) >= cfg.StatusEvery {
			w.pollStatus(ctx)
		}
		return cfg.StatusEvery
	}
	if err != nil {
		if ctx.Err() == nil {
			w.log.Error("read print queue", "printer", w.name, "err", err)
		}
		return cfg.RetryMax
	}
	now := w.f.now()
	w.mu.Lock()
	outage, failing, retryNow := w.outage, w.failing, w.retryNow
	w.retryNow = false
	w.mu.Unlock()

	if outage && cfg.StaleAfter > 0 && !job.Released && now.Sub(job.CreatedAt) > cfg.StaleAfter {
		n, err := w.f.db.HoldStalePrintJobs(ctx, w.name, now.Add(-cfg.StaleAfter))
		if err != nil {
			w.log.Error("hold stale print jobs", "printer", w.name, "err", err)
			return cfg.RetryMax
		}
		if n > 0 {
			w.log.Warn("stale print jobs held for a staff decision", "printer", w.name, "jobs", n)
			w.f.emit(Event{Kind: EventJobsHeld, Printer: w.name, Count: n})
		}
		return 0
	}
	if w.shouldFailOver(job, failing, now) {
		if err := w.f.db.MovePrintJob(ctx, job.ID, w.backup.name, "printer "+w.name+" is not printing"); err != nil {
			w.log.Error("fail over print job", "printer", w.name, "job", job.ID, "err", err)
			return cfg.RetryMax
		}
		w.log.Warn("print job moved to the backup printer", "printer", w.name, "backup", w.backup.name, "job", job.ID)
		w.f.emit(Event{Kind: EventJobMoved, Printer: w.name, To: w.backup.name, JobID: job.ID, OrderCode: job.OrderCode, Doc: job.Doc})
		w.backup.poke()
		return 0
	}
	if d := job.NextAt.Sub(now); d > 0 && !retryNow {
		// a retry is scheduled: keep order by waiting for it, but poll the
		// printer meanwhile and print as soon as it says it can
		if since := w.sinceCheck(now); since < cfg.StatusEvery {
			return min(d, cfg.StatusEvery-since)
		}
		w.pollStatus(ctx)
		if st := w.snapshot().State; !st.CanPrint() {
			return min(d, cfg.StatusEvery)
		}
	}
	w.print(ctx, job)
	return 0
}

// sinceCheck is how long ago the status was last asked. A last check in the
// future means the wall clock jumped back: the check is due now, rather than
// after the size of the jump.
func (w *worker) sinceCheck(now time.Time) time.Duration {
	d := now.Sub(w.lastCheck)
	if d < 0 {
		return w.f.cfg.StatusEvery
	}
	return d
}

// shouldFailOver: after FailoverAttempts failures or FailoverAfter since the
// first try, and at once while this printer keeps failing — if the backup works.
func (w *worker) shouldFailOver(job *store.PrintJob, failing bool, now time.Time) bool {
	if w.backup == nil || !w.backup.healthy() || job.Attempts == 0 && !failing {
		return false
	}
	cfg := w.f.cfg
	if failing && job.Attempts == 0 {
		return true
	}
	if cfg.FailoverAttempts > 0 && job.Attempts >= cfg.FailoverAttempts {
		return true
	}
	return cfg.FailoverAfter > 0 && !job.FirstTryAt.IsZero() && now.Sub(job.FirstTryAt) >= cfg.FailoverAfter
}

// print renders and sends one job. The job is marked sending before the first
// byte goes out: a crash from then on prints it again with 补打.
func (w *worker) print(ctx context.Context, job *store.PrintJob) {
	fail := func(reason string) {
		w.log.Error("print job cannot be printed", "printer", w.name, "job", job.ID, "err", reason)
		if err := w.f.db.MarkPrintFailed(context.WithoutCancel(ctx), job.ID, reason); err != nil {
			w.log.Error("mark print job failed", "job", job.ID, "err", err)
		}
		w.f.emit(Event{Kind: EventJobFailed, Printer: w.name, JobID: job.ID, OrderCode: job.OrderCode, Doc: job.Doc, Err: reason})
	}
	doc, err := document.UnmarshalDocument(job.Payload)
	if err != nil {
		fail(err.Error())
		return
	}
	doc.Reprint = doc.Reprint || job.Reprint
	doc.Sandbox = doc.Sandbox || w.f.opt.Sandbox
	data, err := render.Render(doc, w.dev.Profile)
	if err != nil {
		fail(err.Error())
		return
	}
	if err := w.f.db.MarkPrintSending(ctx, job.ID, data); err != nil {
		if ctx.Err() == nil {
			w.log.Error("mark print job sending", "job", job.ID, "err", err)
		}
		return
	}
	w.setPrinting(len(data))
	err = w.dev.Print(ctx, data)
	w.setPrinting(-1)
	// record the outcome even when shutting down: a half-sent job must say so
	bg := context.WithoutCancel(ctx)
	if err == nil {
		w.markDone(ctx, job.ID)
		w.mu.Lock()
		w.outage, w.failing = false, false
		w.status.LastPrinted = w.f.now()
		w.mu.Unlock()
		if w.dev.Confirms() {
			w.setState(transport.StateOnline, "")
		}
		w.f.emit(Event{Kind: EventJobDone, Printer: w.name, JobID: job.ID, OrderCode: job.OrderCode, Doc: job.Doc, Reprint: doc.Reprint})
		return
	}
	var pe *transport.PrintError
	sent := true // unknown failures count as "may have printed"
	state := transport.StateUnknown
	if errors.As(err, &pe) {
		sent, state = pe.Sent, pe.State
		if pe.Stage == "connect" {
			state = transport.StateOffline
		}
	}
	attempts := job.Attempts + 1
	next := w.f.now().Add(w.backoff(attempts))
	if err := w.f.db.MarkPrintRetry(bg, job.ID, err.Error(), next, sent); err != nil {
		w.log.Error("mark print job for retry", "job", job.ID, "err", err)
	}
	w.mu.Lock()
	w.outage, w.failing = true, true
	w.mu.Unlock()
	waiting := time.Duration(0)
	if !job.FirstTryAt.IsZero() {
		waiting = w.f.now().Sub(job.FirstTryAt)
	}
	w.log.Warn("print job failed, will retry", "printer", w.name, "job", job.ID, "attempt", attempts, "sent", sent, "err", err)
	w.f.emit(Event{Kind: EventJobRetry, Printer: w.name, JobID: job.ID, OrderCode: job.OrderCode, Doc: job.Doc,
		Reprint: sent || job.Reprint, Waiting: waiting, Err: err.Error(), State: state})
	if ctx.Err() != nil {
		return
	}
	if state != transport.StateUnknown && state != "" {
		w.setState(state, err.Error())
	} else {
		w.pollStatus(ctx) // after an error, find out why
	}
}

// markDone records a printed job. It tries again for a while when the
// database refuses (a full disk): a job left in sending would print once
// more, with 补打, at the next start although it printed.
func (w *worker) markDone(ctx context.Context, id int64) {
	bg := context.WithoutCancel(ctx)
	wait := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := w.f.db.MarkPrintDone(bg, id)
		if err == nil {
			return
		}
		if attempt == 10 || ctx.Err() != nil {
			w.log.Error("mark print job done", "job", id, "err", err)
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// setPrinting records that a job of size bytes is being sent (size < 0: the
// send ended).
func (w *worker) setPrinting(size int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if size < 0 {
		w.printingSince, w.printingUntil = time.Time{}, time.Time{}
		return
	}
	stuckAfter := w.f.opt.StuckAfter
	if stuckAfter <= 0 {
		stuckAfter = 5 * time.Second
	}
	now := w.f.now()
	w.printingSince, w.printingUntil = now, now.Add(stuckAfter+time.Duration(size)*time.Millisecond)
}

// stuck reports whether the job being sent is overdue for its confirmation.
// A deadline further away than allowed means the wall clock went back: the
// printer is given the benefit of the doubt.
func (w *worker) stuck(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.printingUntil.IsZero() && now.After(w.printingUntil) && !now.Before(w.printingSince)
}

// backoff doubles from RetryMin to RetryMax with ±20 % jitter.
func (w *worker) backoff(attempts int) time.Duration {
	cfg := w.f.cfg
	d := cfg.RetryMin
	for i := 1; i < attempts && d < cfg.RetryMax; i++ {
		d *= 2
	}
	d = min(d, cfg.RetryMax)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

func (w *worker) pollStatus(ctx context.Context) {
	w.lastCheck = w.f.now()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if !w.dev.Confirms() && w.pollQueue(ctx) {
		return
	}
	st, err := w.dev.Status(ctx)
	if ctx.Err() != nil && err != nil {
		return
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if !w.dev.Confirms() {
		return // one-way: the state stays what the last job showed
	}
	w.mu.Lock()
	if st.CanPrint() {
		w.failing = false // retry here rather than failing over
	} else {
		w.outage = true
	}
	w.mu.Unlock()
	w.setStateFrom(st, msg, "", StatusFromPrinter)
}

func (w *worker) String() string { return fmt.Sprintf("worker(%s)", w.name) }

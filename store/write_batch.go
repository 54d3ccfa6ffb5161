package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// maxWriteBatch bounds one group commit, so that no caller waits behind an
// unbounded queue of other writers' work.
const maxWriteBatch = 64

// writeBatcher is the group commit of every write. SQLite allows one writer
// and synchronous=FULL costs one fsync per commit; writers that queue while a
// commit is on its way to disk share the next one. Each runs inside its own
// savepoint, so one writer's error undoes only its own work, and each caller
// returns only after the commit holding its work is durable.
type writeBatcher struct {
	pool  *sql.DB // one connection: the database file's writer
	stmts *stmtCache
	now   func() time.Time

	mu      sync.Mutex
	queue   []*writeRequest
	running bool

	commits atomic.Int64 // committed transactions (WriteCommits)
}

// Request states: a queued request may still be abandoned by its caller.
const (
	reqQueued int32 = iota
	reqTaken
	reqAbandoned
)

type writeRequest struct {
	ctx      context.Context
	fn       func(*Tx) error
	state    atomic.Int32
	err      error
	panicked any
	done     chan struct{}
}

// Write runs fn in a write transaction and commits it when fn returns nil.
// Errors from a full disk are reported as ErrDiskFull. Concurrent calls may
// share one transaction (each in a savepoint of its own), so fn may run on
// another goroutine; and when another writer's failure makes SQLite drop the
// shared transaction (a full disk can), fn runs once more in a transaction of
// its own. fn must therefore start from what it reads in tx and only assign
// its results, never accumulate them. A caller whose ctx ends while its fn
// has not started gets ctx's error and fn never runs.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	return db.writes.write(ctx, fn)
}

func (b *writeBatcher) write(ctx context.Context, fn func(tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeRequest{ctx: ctx, fn: fn, done: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, req)
	start := !b.running
	b.running = true
	b.mu.Unlock()
	if start {
		go b.commitWrites()
	}
	select {
	case <-req.done:
	case <-ctx.Done():
		if req.state.CompareAndSwap(reqQueued, reqAbandoned) {
			return ctx.Err()
		}
		<-req.done // fn is running: its outcome is the caller's to know
	}
	if req.panicked != nil {
		panic(req.panicked)
	}
	return req.err
}

// WriteCommits is how many write transactions have committed, in the
// database and in the landing of pushes.
func (db *DB) WriteCommits() int64 {
	n := db.writes.commits.Load()
	if db.landing != nil {
		n += db.landing.writes.commits.Load()
	}
	return n
}

// commitWrites drains the queue, one transaction per batch.
func (b *writeBatcher) commitWrites() {
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxWriteBatch)
		if n == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		batch := b.queue[:n:n]
		b.queue = b.queue[n:]
		b.mu.Unlock()
		// The writer connection is free here: prepare what the last
		// transactions ran as text.
		b.stmts.prepareNoted(context.Background())
		live := make([]*writeRequest, 0, len(batch))
		for _, r := range batch {
			if r.state.CompareAndSwap(reqQueued, reqTaken) {
				live = append(live, r)
			}
		}
		b.runWrites(live)
	}
}

// runWrites commits taken requests: alone as a plain transaction (the
// caller's ctx may interrupt it), or together under savepoints.
func (b *writeBatcher) runWrites(reqs []*writeRequest) {
	switch len(reqs) {
	case 0:
		return
	case 1:
		r := reqs[0]
		r.err = b.writeAlone(r)
		close(r.done)
		return
	}
	b.writeTogether(reqs)
}

func (b *writeBatcher) writeAlone(r *writeRequest) error {
	sqlTx, err := b.pool.BeginTx(r.ctx, nil)
	if err != nil {
		return classify(err)
	}
	tx := &Tx{tx: sqlTx, ctx: r.ctx, now: b.now(), stmts: b.stmts}
	if err := callWrite(r, tx); err != nil {
		_ = sqlTx.Rollback()
		return classify(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return classify(err)
	}
	b.commits.Add(1)
	return nil
}

// writeTogether runs each request in a savepoint of one transaction. No
// caller's ctx reaches SQLite here: interrupting a statement can roll back the
// whole transaction, and with it the other callers' work.
func (b *writeBatcher) writeTogether(reqs []*writeRequest) {
	ctx := context.Background()
	var ok []*writeRequest
	finishOK := func(err error) {
		for _, r := range ok {
			r.err = err
			close(r.done)
		}
	}
	sqlTx, err := b.pool.BeginTx(ctx, nil)
	if err != nil {
		for _, r := range reqs {
			r.err = classify(err)
			close(r.done)
		}
		return
	}
	// lost: the shared transaction is gone (SQLite dropped it, or a
	// savepoint command failed). The work that had succeeded in it and the
	// requests not yet run each get a transaction of their own, as they
	// would have without group commit.
	lost := func(rest []*writeRequest) {
		_ = sqlTx.Rollback()
		for _, r := range append(ok, rest...) {
			r.err = b.writeAlone(r)
			close(r.done)
		}
	}
	for i, r := range reqs {
		tx := &Tx{tx: sqlTx, ctx: context.WithoutCancel(r.ctx), now: b.now(), stmts: b.stmts}
		begun, ferr, cmdErr := inSavepoint(ctx, sqlTx, "w", func() error { return callWrite(r, tx) })
		if !begun {
			lost(reqs[i:])
			return
		}
		if ferr == nil {
			ok = append(ok, r)
		} else {
			r.err = classify(ferr)
			close(r.done)
		}
		if cmdErr != nil {
			lost(reqs[i+1:])
			return
		}
	}
	if err := sqlTx.Commit(); err != nil {
		finishOK(classify(err))
		return
	}
	b.commits.Add(1)
	finishOK(nil)
}

// callWrite runs the caller's fn, turning a panic into a value the caller
// re-raises on its own goroutine.
func callWrite(r *writeRequest, tx *Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.panicked, err = p, errPanicked
		}
	}()
	return r.fn(tx)
}

// errPanicked undoes the work of a writer that panicked; its caller gets
// the panic, not this error.
var errPanicked = errors.New("store: the write panicked")

// WriteValue is Write for a callback with a result: the result of the run
// that committed is returned, so a callback that runs again (see Write)
// never adds to what a discarded run counted. On an error the zero value
// is returned.
func WriteValue[T any](ctx context.Context, db *DB, fn func(tx *Tx) (T, error)) (T, error) {
	var out T
	err := db.Write(ctx, func(tx *Tx) error {
		v, err := fn(tx)
		out = v
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

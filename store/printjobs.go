package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// PrintJob is one document for one printer (invariant 3):
// queued → sending → done | failed, or held / dropped by staff decision.
type PrintJob struct {
	ID              int64
	Printer         string
	OriginalPrinter string // the printer it was meant for before a failover
	OrderCode       string
	Doc             string // receipt | kitchen | label | cancel | refund | pause | resume | test | beep
	Title           string // e.g. the kitchen station or "1/3" for a label
	// DedupeKey makes enqueueing idempotent: a second job with the same key is
	// not created. Empty for on-demand reprints.
	DedupeKey  string
	Payload    []byte // the document, as the printer package serialises it
	State      string
	Reprint    bool // print with the 补打 mark
	Released   bool // staff chose to print it after a hold; an outage never holds it again
	Attempts   int
	NextAt     time.Time
	LastError  string
	Bytes      []byte // what was last sent to the printer (for previews)
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FirstTryAt time.Time
	DoneAt     time.Time
}

// Print job states.
const (
	JobQueued  = "queued"
	JobSending = "sending"
	JobDone    = "done"
	JobFailed  = "failed"
	JobHeld    = "held"    // stale after an outage: waits for staff (print or drop)
	JobDropped = "dropped" // not printed on purpose (staff, or the order was cancelled first)
)

const jobColumns = `id, printer, original_printer, order_code, doc, title, COALESCE(dedupe_key,''), payload, state, reprint, released,
	attempts, next_at, last_error, bytes, created_at, updated_at, first_try_at, done_at`

func scanJob(r rowScanner) (*PrintJob, error) {
	var j PrintJob
	var reprint, released int
	var next, created, updated, first, done int64
	err := r.Scan(&j.ID, &j.Printer, &j.OriginalPrinter, &j.OrderCode, &j.Doc, &j.Title, &j.DedupeKey, &j.Payload,
		&j.State, &reprint, &released, &j.Attempts, &next, &j.LastError, &j.Bytes, &created, &updated, &first, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	j.Reprint = reprint == 1
	j.Released = released == 1
	j.NextAt, j.CreatedAt, j.UpdatedAt, j.FirstTryAt, j.DoneAt = fromMS(next), fromMS(created), fromMS(updated), fromMS(first), fromMS(done)
	return &j, nil
}

// EnqueuePrintJob queues a job. When a job with the same DedupeKey exists, it
// returns that job's id and created=false.
func (tx *Tx) EnqueuePrintJob(j PrintJob) (id int64, created bool, err error) {
	var key any
	if j.DedupeKey != "" {
		key = j.DedupeKey
		err := tx.queryRow(`SELECT id FROM print_jobs WHERE dedupe_key = ?`, j.DedupeKey).Scan(&id)
		if err == nil {
			return id, false, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, err
		}
	}
	res, err := tx.exec(`INSERT INTO print_jobs(printer, original_printer, order_code, doc, title, dedupe_key, payload, state, reprint, next_at, created_at, updated_at)
		VALUES(?,?,?,?,?,?,?,'queued',?,?,?,?)`, j.Printer, j.OriginalPrinter, j.OrderCode, j.Doc, j.Title, key, j.Payload,
		boolInt(j.Reprint), ms(j.NextAt), ms(tx.now), ms(tx.now))
	if err != nil {
		return 0, false, err
	}
	id, err = res.LastInsertId()
	return id, err == nil, err
}

// EnqueuePrintJob queues a job in its own transaction.
func (db *DB) EnqueuePrintJob(ctx context.Context, j PrintJob) (id int64, created bool, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		id, created, err = tx.EnqueuePrintJob(j)
		return err
	})
	return id, created, err
}

// GetPrintJob reads one job.
func (db *DB) GetPrintJob(ctx context.Context, id int64) (*PrintJob, error) {
	return scanJob(db.readRow(ctx, `SELECT `+jobColumns+` FROM print_jobs WHERE id = ?`, id))
}

// NextPrintJob returns the oldest queued job of a printer, due or not: a
// worker keeps order by waiting for it (its NextAt) rather than skipping it.
// ErrNotFound when the queue is empty.
func (db *DB) NextPrintJob(ctx context.Context, printer string) (*PrintJob, error) {
	return scanJob(db.readRow(ctx, `SELECT `+jobColumns+` FROM print_jobs
		WHERE printer = ? AND state = 'queued' ORDER BY id LIMIT 1`, printer))
}

func (db *DB) updateJob(ctx context.Context, query string, args ...any) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.updateJob(query, args...) })
}

// updateJob runs an update of one job; ErrNotFound when no row matched.
func (tx *Tx) updateJob(query string, args ...any) error {
	res, err := tx.exec(query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// MarkPrintSending records that the bytes are about to be written. A job
// found in this state after a crash is printed again with the 补打 mark.
func (db *DB) MarkPrintSending(ctx context.Context, id int64, bytes []byte) error {
	now := ms(db.now())
	return db.updateJob(ctx, `UPDATE print_jobs SET state='sending', bytes=?, updated_at=?,
		first_try_at=CASE WHEN first_try_at=0 THEN ? ELSE first_try_at END WHERE id=? AND state='queued'`, bytes, now, now, id)
}

// MarkPrintDone records that the printer printed the job.
func (db *DB) MarkPrintDone(ctx context.Context, id int64) error {
	now := ms(db.now())
	return db.updateJob(ctx, `UPDATE print_jobs SET state='done', attempts=attempts+1, last_error='', updated_at=?, done_at=? WHERE id=?`, now, now, id)
}

// MarkPrintRetry puts a job back in the queue after a failed attempt. When the
// bytes may have reached the printer (cut off mid-job), reprint marks it 补打.
func (db *DB) MarkPrintRetry(ctx context.Context, id int64, reason string, next time.Time, reprint bool) error {
	return db.updateJob(ctx, `UPDATE print_jobs SET state='queued', attempts=attempts+1, last_error=?, next_at=?,
		reprint=MAX(reprint, ?), updated_at=? WHERE id=?`, reason, ms(next), boolInt(reprint), ms(db.now()), id)
}

// MarkPrintFailed ends a job that cannot be printed (e.g. the document is broken).
func (db *DB) MarkPrintFailed(ctx context.Context, id int64, reason string) error {
	now := ms(db.now())
	return db.updateJob(ctx, `UPDATE print_jobs SET state='failed', attempts=attempts+1, last_error=?, updated_at=?, done_at=? WHERE id=?`,
		reason, now, now, id)
}

// MovePrintJob fails a queued job over to another printer (the backup).
func (db *DB) MovePrintJob(ctx context.Context, id int64, toPrinter, reason string) error {
	return db.updateJob(ctx, `UPDATE print_jobs SET original_printer=CASE WHEN original_printer='' THEN printer ELSE original_printer END,
		printer=?, last_error=?, next_at=0, updated_at=? WHERE id=? AND state IN ('queued','held')`, toPrinter, reason, ms(db.now()), id)
}

// HoldStalePrintJobs holds queued jobs of a printer created before olderThan,
// so that an outage does not burst stale tickets into a busy kitchen. Jobs
// staff already released are left queued: they asked for them to print.
func (db *DB) HoldStalePrintJobs(ctx context.Context, printer string, olderThan time.Time) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE print_jobs SET state='held', updated_at=? WHERE printer=? AND state='queued' AND released=0 AND created_at < ?`,
			ms(tx.now), printer, ms(olderThan))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// ReleasePrintJob queues a held or failed job again (staff: print it).
func (db *DB) ReleasePrintJob(ctx context.Context, id int64) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.ReleasePrintJob(id) })
}

// ReleasePrintJob is ReleasePrintJob inside a transaction.
func (tx *Tx) ReleasePrintJob(id int64) error {
	return tx.updateJob(`UPDATE print_jobs SET state='queued', released=1, next_at=0, updated_at=?, done_at=0 WHERE id=? AND state IN ('held','failed')`,
		ms(tx.now), id)
}

// DropPrintJob ends a held, queued or failed job without printing it (staff: drop it).
func (db *DB) DropPrintJob(ctx context.Context, id int64, reason string) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.DropPrintJob(id, reason) })
}

// DropPrintJob is DropPrintJob inside a transaction.
func (tx *Tx) DropPrintJob(id int64, reason string) error {
	return tx.updateJob(`UPDATE print_jobs SET state='dropped', last_error=?, updated_at=?, done_at=? WHERE id=? AND state IN ('held','queued','failed')`,
		reason, ms(tx.now), ms(tx.now), id)
}

// GetPrintJob reads one job inside the transaction.
func (tx *Tx) GetPrintJob(id int64) (*PrintJob, error) {
	return scanJob(tx.queryRow(`SELECT `+jobColumns+` FROM print_jobs WHERE id = ?`, id))
}

// DropQueuedPrintJobs drops an order's jobs that have not been sent yet
// (a cancel arrived before the printer got them). docs empty = every doc.
func (tx *Tx) DropQueuedPrintJobs(orderCode string, docs []string, reason string) (int64, error) {
	q := `UPDATE print_jobs SET state='dropped', last_error=?, updated_at=?, done_at=? WHERE order_code=? AND state IN ('queued','held')`
	args := []any{reason, ms(tx.now), ms(tx.now), orderCode}
	if len(docs) > 0 {
		q += " AND doc IN (" + placeholders(len(docs)) + ")"
		for _, d := range docs {
			args = append(args, d)
		}
	}
	res, err := tx.exec(q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// RecoverSendingPrintJobs is run at startup: a job found in `sending` may or
// may not have printed, so it is queued again with the 补打 mark.
func (db *DB) RecoverSendingPrintJobs(ctx context.Context) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE print_jobs SET state='queued', reprint=1, next_at=0, last_error='interrupted while printing: printed again with 补打', updated_at=?
			WHERE state='sending'`, ms(tx.now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// PrintJobFilter selects jobs.
type PrintJobFilter struct {
	Printer   string
	OrderCode string
	States    []string
	Docs      []string
	Limit     int
}

// ListPrintJobs returns matching jobs, oldest first.
func (db *DB) ListPrintJobs(ctx context.Context, f PrintJobFilter) ([]*PrintJob, error) {
	q := `SELECT ` + jobColumns + ` FROM print_jobs WHERE 1=1`
	var args []any
	if f.Printer != "" {
		q += " AND printer = ?"
		args = append(args, f.Printer)
	}
	if f.OrderCode != "" {
		q += " AND order_code = ?"
		args = append(args, f.OrderCode)
	}
	if len(f.States) > 0 {
		q += " AND state IN (" + placeholders(len(f.States)) + ")"
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	if len(f.Docs) > 0 {
		q += " AND doc IN (" + placeholders(len(f.Docs)) + ")"
		for _, d := range f.Docs {
			args = append(args, d)
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	q += " ORDER BY id LIMIT ?"
	rows, err := db.readQuery(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*PrintJob
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// PrintedDoc says that a printer printed (or is printing) a document of an order.
type PrintedDoc struct {
	Printer string
	Doc     string
	State   string
}

// PrintedDocs lists, per printer and document kind, the jobs of an order that
// reached a printer (done, or sending: it may have printed). Used by the seed
// 000 slip rules.
func (tx *Tx) PrintedDocs(orderCode string) ([]PrintedDoc, error) {
	rows, err := tx.query(`SELECT printer, doc, MIN(state) FROM print_jobs WHERE order_code=? AND state IN ('done','sending')
		GROUP BY printer, doc ORDER BY printer, doc`, orderCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PrintedDoc
	for rows.Next() {
		var p PrintedDoc
		if err := rows.Scan(&p.Printer, &p.Doc, &p.State); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PrintQueueCounts returns, per printer, the number of jobs in each state
// that still needs attention (queued, sending, held, failed).
func (db *DB) PrintQueueCounts(ctx context.Context) (map[string]map[string]int, error) {
	rows, err := db.readQuery(ctx, `SELECT printer, state, COUNT(*) FROM print_jobs
		WHERE state IN ('queued','sending','held','failed') GROUP BY printer, state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]int{}
	for rows.Next() {
		var p, s string
		var n int
		if err := rows.Scan(&p, &s, &n); err != nil {
			return nil, err
		}
		if out[p] == nil {
			out[p] = map[string]int{}
		}
		out[p][s] = n
	}
	return out, rows.Err()
}

package store

import "context"

// SeedOrder is one finished order with everything a store keeps of it, at
// the times it happened: the load tool's seeding mode writes a year of
// orders this way (`posbridge-load seed`) to measure a database as big as a
// busy store's. The daemon never calls it.
type SeedOrder struct {
	Record  OrderRecord // UpdatedAt is kept as given
	History []History   // At set
	Jobs    []PrintJob  // every field as it would be, times included
	Outbox  []OutboxRow // every field as it would be, times included
	Inbox   []InboxItem // the pushes that announced it
}

// Seed writes orders in one transaction, with their own timestamps (the
// database's clock is not used). Rows get new ids; codes must be new.
func (db *DB) Seed(ctx context.Context, orders []SeedOrder) error {
	return db.Write(ctx, func(tx *Tx) error {
		for i := range orders {
			if err := tx.seedOne(&orders[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (tx *Tx) seedOne(o *SeedOrder) error {
	at := *tx
	at.now = o.Record.UpdatedAt // SaveOrder stamps the transaction's time
	if err := at.SaveOrder(&o.Record); err != nil {
		return err
	}
	for _, h := range o.History {
		if err := tx.AppendHistory(h); err != nil {
			return err
		}
	}
	for _, j := range o.Jobs {
		var dedupe any
		if j.DedupeKey != "" {
			dedupe = j.DedupeKey
		}
		if _, err := tx.exec(`INSERT INTO print_jobs(printer, original_printer, order_code, doc, title, dedupe_key, payload,
			state, reprint, released, attempts, next_at, last_error, bytes, created_at, updated_at, first_try_at, done_at)
			VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			j.Printer, j.OriginalPrinter, j.OrderCode, j.Doc, j.Title, dedupe, j.Payload, j.State, boolInt(j.Reprint),
			boolInt(j.Released), j.Attempts, ms(j.NextAt), j.LastError, j.Bytes, ms(j.CreatedAt), ms(j.UpdatedAt),
			ms(j.FirstTryAt), ms(j.DoneAt)); err != nil {
			return err
		}
	}
	for _, r := range o.Outbox {
		if _, err := tx.exec(`INSERT INTO outbox(tx_id, kind, op, lane, order_code, payload, state, attempts, next_at,
			last_error, result, actor, created_at, updated_at, done_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			r.TxID, r.Kind, r.Op, r.Lane, r.OrderCode, string(r.Payload), r.State, r.Attempts, ms(r.NextAt), r.LastError,
			r.Result, r.Actor, ms(r.CreatedAt), ms(r.UpdatedAt), ms(r.DoneAt)); err != nil {
			return err
		}
	}
	for _, it := range o.Inbox {
		if _, err := tx.exec(`INSERT INTO inbox(kind, order_code, body, signed, remote, received_at, state, attempts, error, done_at)
			VALUES(?,?,?,?,?,?,?,?,?,?)`, it.Kind, it.OrderCode, it.Body, boolInt(it.Signed), it.Remote, ms(it.ReceivedAt),
			it.State, it.Attempts, it.Error, ms(it.DoneAt)); err != nil {
			return err
		}
	}
	return nil
}

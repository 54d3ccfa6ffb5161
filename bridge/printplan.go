package bridge

import (
	"fmt"
	"strings"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// healthTargets are the printers whose health gates auto-accept: the receipt
// printers of the store and the kitchen stations the order routes to.
func (b *Bridge) healthTargets(o *order.Order) []string {
	if o == nil || b.printers == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, j := range b.printers.OrderJobs(o) {
		if (j.Doc.Kind == printer.KindReceipt || j.Doc.Kind == printer.KindKitchen) && !seen[j.Printer] {
			seen[j.Printer] = true
			out = append(out, j.Printer)
		}
	}
	return out
}

// queueOrderPrints queues the receipt, kitchen tickets and cup labels of an
// order, each once (dedupe keys), or marks them pending while the detail is
// unknown or a reserved order is held. due skips the hold (its time came).
func (b *Bridge) queueOrderPrints(tx *store.Tx, a *after, rec *store.OrderRecord, due bool) error {
	if rec.Detail == nil {
		rec.PrintPending = true
		a.detail = true
		return nil
	}
	if b.foreignStore(rec.Detail) {
		rec.PrintPending = false // held: staff reprint it if it is theirs (foreign.go)
		return nil
	}
	if !due {
		if hold := b.policy.holdUntil(rec.Detail, tx.Now()); !hold.IsZero() {
			rec.PrintPending, rec.PrintAt = true, hold
			return tx.AppendHistory(store.History{Code: rec.Code, From: rec.Status, To: rec.Status, Actor: "auto",
				Source: "policy", Reason: "预约订单，将于 " + hold.In(Shanghai).Format("01-02 15:04") + " 打印"})
		}
	}
	rec.PrintPending, rec.PrintAt = false, zeroTime
	if b.printers == nil {
		return nil
	}
	for _, j := range b.printers.OrderJobs(rec.Detail) {
		if rec.NeedsAddress && j.Doc.Kind == printer.KindReceipt {
			// The receipt waits for the address (address.go); the kitchen
			// and the labels need none, and start now.
			rec.PrintPending = true
			a.address = true
			continue
		}
		j.Doc.Reprint = j.Doc.Reprint || rec.PrintMarked
		if err := b.enqueue(tx, a, rec.Code, j); err != nil {
			return err
		}
	}
	return nil
}

// beforeRestore reports an order the platform had before the database was
// put back from a backup (posbridge restore): the backup did not know it,
// what happened to it in between (its tickets) is lost.
func (b *Bridge) beforeRestore(rec *store.OrderRecord) bool {
	if b.restoredAt.IsZero() {
		return false
	}
	created := rec.CreatedAt
	if created.IsZero() {
		return true
	}
	return created.Before(b.restoredAt)
}

// queueSlips prints a cancel or refund slip on every printer that printed a
// receipt or kitchen ticket of the order (seed 000, invariant 5).
func (b *Bridge) queueSlips(tx *store.Tx, a *after, rec *store.OrderRecord, kind printer.Kind, reason string) error {
	_, err := b.queueToPrinted(tx, a, rec, kind, reason, func(doc string) bool {
		return doc == string(printer.KindReceipt) || doc == string(printer.KindKitchen)
	})
	return err
}

// queuePause tells the kitchens that printed the order to stop making it.
func (b *Bridge) queuePause(tx *store.Tx, a *after, rec *store.OrderRecord, reason string) error {
	n, err := b.queueToPrinted(tx, a, rec, printer.KindPause, reason, isKitchen)
	if n > 0 {
		rec.Paused = true
	}
	return err
}

// queueResume tells the paused kitchens to carry on.
func (b *Bridge) queueResume(tx *store.Tx, a *after, rec *store.OrderRecord, reason string) error {
	if !rec.Paused {
		return nil
	}
	rec.Paused = false
	_, err := b.queueToPrinted(tx, a, rec, printer.KindResume, reason, isKitchen)
	return err
}

func isKitchen(doc string) bool { return doc == string(printer.KindKitchen) }

// queueToPrinted queues a slip of kind on every printer that printed a
// document of the order that want accepts.
func (b *Bridge) queueToPrinted(tx *store.Tx, a *after, rec *store.OrderRecord, kind printer.Kind, reason string, want func(doc string) bool) (int, error) {
	if b.printers == nil {
		return 0, nil
	}
	printed, err := tx.PrintedDocs(rec.Code)
	if err != nil {
		return 0, err
	}
	o := b.slipOrder(rec)
	seen := map[string]bool{}
	n := 0
	for _, p := range printed {
		if !want(p.Doc) || seen[p.Printer] {
			continue
		}
		seen[p.Printer] = true
		j, err := b.printers.SlipJob(p.Printer, kind, o, reason, tx.Now())
		if err != nil {
			b.log.Warn("slip not printed: printer no longer configured", "printer", p.Printer, "order", rec.Code, "err", err)
			continue
		}
		if kind == printer.KindPause || kind == printer.KindResume || kind == printer.KindReminder {
			// A second refund request pauses the kitchen again.
			j.DedupeKey = fmt.Sprintf("%s:%d", j.DedupeKey, tx.Now().UnixNano())
		}
		if err := b.enqueue(tx, a, rec.Code, j); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// queueBeeps makes the kitchen and receipt printers beep (nothing printed)
// while orders wait and no console page is open.
func (b *Bridge) queueBeeps(tx *store.Tx, a *after, waiting int) error {
	for _, pc := range b.cfg.Printers {
		if (pc.Role != "kitchen" && pc.Role != "receipt") || pc.Language == "tspl" {
			continue
		}
		j := printer.Job{Printer: pc.Name, Doc: printer.BeepDocument(3), Title: fmt.Sprintf("提醒：%d 单待处理", waiting)}
		if err := b.enqueue(tx, a, "", j); err != nil {
			return err
		}
	}
	return nil
}

// reprintTx queues documents of an order again with the 补打 mark.
func (b *Bridge) reprintTx(tx *store.Tx, a *after, rec *store.OrderRecord, doc, only string) (int, error) {
	if rec.Detail == nil {
		return 0, fmt.Errorf("订单详情尚未获取，暂不能补打")
	}
	if b.printers == nil {
		return 0, nil
	}
	n := 0
	for _, j := range b.printers.ReprintJobs(rec.Detail, printer.Kind(doc)) {
		if only != "" && j.Printer != only {
			continue
		}
		if err := b.enqueue(tx, a, rec.Code, j); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// enqueue writes a planned job as a print job row inside the transaction.
func (b *Bridge) enqueue(tx *store.Tx, a *after, code string, j printer.Job) error {
	payload, err := j.Doc.Marshal()
	if err != nil {
		return err
	}
	if code == "" {
		code = j.Doc.OrderCode
	}
	_, created, err := tx.EnqueuePrintJob(store.PrintJob{Printer: j.Printer, OrderCode: code, Doc: string(j.Doc.Kind),
		Title: j.Title, DedupeKey: j.DedupeKey, Payload: payload, Reprint: j.Doc.Reprint})
	if err != nil {
		return err
	}
	if created {
		a.printer(j.Printer)
	}
	return nil
}

// slipOrder is the order as a slip shows it: the detail when known, else
// what the record has.
func (b *Bridge) slipOrder(rec *store.OrderRecord) *order.Order {
	if rec.Detail != nil {
		return rec.Detail
	}
	return &order.Order{Code: rec.Code, StoreID: rec.StoreID, Type: rec.Type, PickupNo: strings.TrimSpace(rec.PickupNo)}
}

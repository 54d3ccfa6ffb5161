package bridge

import (
	"context"
	"errors"
	"strconv"

	"github.com/posbridge/posbridge/store"
)

// DecideJob carries out staff's decision about a held or failed print job:
// release (print it after all; never held again) or drop (it is not
// printed). The decision is audited and announced, in the transaction that
// makes it.
func (b *Bridge) DecideJob(ctx context.Context, id int64, release bool, actor string) error {
	return b.write(ctx, func(tx *store.Tx, a *after) error {
		j, err := tx.GetPrintJob(id)
		if errors.Is(err, store.ErrNotFound) {
			return &Error{Code: ENotFound, Message: "没有这个打印任务"}
		}
		if err != nil {
			return err
		}
		action, msg := "job_drop", "已放弃打印："+jobLabel(j)
		if release {
			action, msg = "job_release", "已放行打印："+jobLabel(j)
			err = tx.ReleasePrintJob(id)
		} else {
			err = tx.DropPrintJob(id, "店员放弃打印（"+actor+"）")
		}
		if errors.Is(err, store.ErrNotFound) {
			return &Error{Code: EConflict, Message: "该任务当前状态不能这样处理"}
		}
		if err != nil {
			return err
		}
		if release {
			a.printer(j.Printer)
		}
		a.event(Event{Type: EvPrinter, Kind: action, Code: j.OrderCode, Message: msg,
			Data: map[string]any{"id": j.ID, "printer": j.Printer, "actor": actor}})
		return tx.AppendAudit(store.Audit{Actor: actor, Action: action, OrderCode: j.OrderCode,
			Detail: strconv.FormatInt(j.ID, 10) + " " + j.Printer + " " + j.Doc})
	})
}

// jobLabel names a job for staff: its title, else its document, and printer.
func jobLabel(j *store.PrintJob) string {
	title := j.Title
	if title == "" {
		title = j.Doc
	}
	return title + "（" + j.Printer + "）"
}

package printer

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/order"
)

// Job is a document planned for one printer, ready for Fleet.Enqueue.
type Job struct {
	Printer string
	Doc     Document
	Title   string // shown in the console: the station, "2/3"…
	// DedupeKey makes queueing idempotent (the same push twice prints once);
	// "" for on-demand reprints, which always print.
	DedupeKey string
}

func dedupeKey(code string, kind Kind, printer string, n int) string {
	k := code + ":" + string(kind) + ":" + printer
	if n > 0 {
		k += ":" + strconv.Itoa(n)
	}
	return k
}

// serves reports whether a printer serves the order's store (stores: [] = all).
func (f *Fleet) serves(printer string, o *order.Order) bool {
	stores := f.configs[printer].Stores
	return len(stores) == 0 || slices.Contains(stores, o.StoreID)
}

// OrderJobs plans what an order prints when the workflow decides it prints:
// a receipt on every receipt printer serving its store, kitchen tickets on
// every kitchen printer whose match takes some of its items (one per station
// or one per item, print.kitchen_split), cup labels on label printers.
func (f *Fleet) OrderJobs(o *order.Order) []Job {
	var jobs []Job
	for _, name := range f.order {
		if !f.serves(name, o) {
			continue
		}
		opt := f.Options(name)
		p := f.workers[name].dev.Profile
		m := NewMatcher(f.configs[name].Match)
		switch p.Role {
		case RoleReceipt:
			jobs = append(jobs, Job{Printer: name, Doc: Receipt(o, opt), Title: "小票", DedupeKey: dedupeKey(o.Code, KindReceipt, name, 0)})
		case RoleKitchen:
			docs := KitchenTickets(o, m, opt)
			for i, d := range docs {
				n := 0
				if len(docs) > 1 {
					n = i + 1
				}
				jobs = append(jobs, Job{Printer: name, Doc: d, Title: "厨打 " + name, DedupeKey: dedupeKey(o.Code, KindKitchen, name, n)})
			}
		case RoleLabel:
			for _, d := range CupLabels(o, m, opt) {
				jobs = append(jobs, Job{Printer: name, Doc: d, Title: strconv.Itoa(len(d.Labels())) + " 杯", DedupeKey: dedupeKey(o.Code, KindLabel, name, 0)})
			}
		}
	}
	return jobs
}

// ReprintJobs plans an on-demand reprint (console, `orders reprint`) of one
// kind of document (receipt, kitchen or label) with the 补打 mark.
func (f *Fleet) ReprintJobs(o *order.Order, kind Kind) []Job {
	var out []Job
	for _, j := range f.OrderJobs(o) {
		if j.Doc.Kind == kind {
			j.Doc.Reprint, j.DedupeKey = true, ""
			out = append(out, j)
		}
	}
	return out
}

// SlipJob plans a cancel, refund, pause or resume slip for one printer (the
// workflow picks the printers that printed the order). The DedupeKey is per
// order, kind and printer: override it for a second pause of the same order.
func (f *Fleet) SlipJob(printer string, kind Kind, o *order.Order, reason string, at time.Time) (Job, error) {
	if _, ok := f.workers[printer]; !ok {
		return Job{}, fmt.Errorf("no printer named %q in the config", printer)
	}
	opt := f.Options(printer)
	opt.PrintedAt = at
	var d Document
	switch kind {
	case KindCancel:
		d = CancelSlip(o, reason, opt)
	case KindRefund:
		d = RefundSlip(o, reason, opt)
	case KindPause:
		d = PauseNotice(o, reason, opt)
	case KindResume:
		d = ResumeNotice(o, opt)
	case KindReminder:
		d = ReminderSlip(o, opt)
	case KindPartialRefund:
		d = PartialRefundSlip(o, 0, nil, reason, opt)
	default:
		return Job{}, fmt.Errorf("%q is not a slip (cancel, refund, pause, resume, reminder, partial_refund)", kind)
	}
	return Job{Printer: printer, Doc: d, Title: slipTitle(kind), DedupeKey: dedupeKey(o.Code, kind, printer, 0)}, nil
}

func slipTitle(k Kind) string {
	switch k {
	case KindCancel:
		return "取消单"
	case KindRefund:
		return "退单"
	case KindPause:
		return "暂停制作"
	case KindResume:
		return "恢复制作"
	case KindReminder:
		return "备餐提醒"
	case KindPartialRefund:
		return "部分退款"
	}
	return string(k)
}

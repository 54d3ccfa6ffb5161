package fleet

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer/document"
)

// Job is a document planned for one printer, ready for Fleet.Enqueue.
type Job struct {
	Printer string
	Doc     document.Document
	Title   string // shown in the console: the station, "2/3"…
	// DedupeKey makes queueing idempotent (the same push twice prints once);
	// "" for on-demand reprints, which always print.
	DedupeKey string
}

func dedupeKey(code string, kind document.Kind, printer string, n int) string {
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
	layouts := f.layouts()
	for _, name := range f.order {
		if !f.serves(name, o) {
			continue
		}
		base := f.Options(name)
		p := f.workers[name].dev.Profile
		m := document.NewMatcher(f.configs[name].Match).WithSource(orderSource(o))
		// with sets a document's layout and copies: the layout's copies,
		// each as often as the printer's own.
		with := func(doc string) (document.Options, bool) {
			l := layouts.Doc(doc)
			opt := base
			opt.Layout = document.LayoutFrom(l)
			opt.Copies = l.Copies * max(f.configs[name].Copies, 1)
			return opt, l.Copies > 0
		}
		switch p.Role {
		case document.RoleReceipt:
			if opt, ok := with(config.DocCustomer); ok {
				jobs = append(jobs, Job{Printer: name, Doc: document.Receipt(o, opt), Title: "小票", DedupeKey: dedupeKey(o.Code, document.KindReceipt, name, 0)})
			}
			if opt, ok := with(config.DocMerchant); ok {
				jobs = append(jobs, Job{Printer: name, Doc: document.Receipt(o, opt), Title: "商家联", DedupeKey: dedupeKey(o.Code, document.KindReceipt, name, 0) + ":merchant"})
			}
			if opt, ok := with(config.DocDelivery); ok && o.Type.IsDelivery() {
				jobs = append(jobs, Job{Printer: name, Doc: document.Receipt(o, opt), Title: "配送联", DedupeKey: dedupeKey(o.Code, document.KindReceipt, name, 0) + ":delivery"})
			}
		case document.RoleKitchen:
			opt, ok := with(config.DocKitchen)
			if !ok {
				continue
			}
			docs := document.KitchenTickets(o, m, opt)
			for i, d := range docs {
				n := 0
				if len(docs) > 1 {
					n = i + 1
				}
				jobs = append(jobs, Job{Printer: name, Doc: d, Title: "厨打 " + name, DedupeKey: dedupeKey(o.Code, document.KindKitchen, name, n)})
			}
		case document.RoleLabel:
			opt, ok := with(config.DocLabel)
			if !ok {
				continue
			}
			for _, d := range document.CupLabels(o, m, opt) {
				jobs = append(jobs, Job{Printer: name, Doc: d, Title: strconv.Itoa(len(d.Labels())) + " 杯", DedupeKey: dedupeKey(o.Code, document.KindLabel, name, 0)})
			}
		}
	}
	return jobs
}

// layouts are the fleet's document layouts.
func (f *Fleet) layouts() config.LayoutsConfig {
	if f.opt.Layouts != nil {
		return *f.opt.Layouts
	}
	return config.DefaultLayouts()
}

// ReprintJobs plans an on-demand reprint (console, `orders reprint`) of one
// kind of document (receipt, kitchen or label) with the 补打 mark.
func (f *Fleet) ReprintJobs(o *order.Order, kind document.Kind) []Job {
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
func (f *Fleet) SlipJob(printer string, kind document.Kind, o *order.Order, reason string, at time.Time) (Job, error) {
	if _, ok := f.workers[printer]; !ok {
		return Job{}, fmt.Errorf("no printer named %q in the config", printer)
	}
	opt := f.Options(printer)
	opt.PrintedAt = at
	var d document.Document
	switch kind {
	case document.KindCancel:
		d = document.CancelSlip(o, reason, opt)
	case document.KindRefund:
		d = document.RefundSlip(o, reason, opt)
	case document.KindPause:
		d = document.PauseNotice(o, reason, opt)
	case document.KindResume:
		d = document.ResumeNotice(o, opt)
	case document.KindReminder:
		d = document.ReminderSlip(o, opt)
	case document.KindPartialRefund:
		d = document.PartialRefundSlip(o, 0, nil, reason, opt)
	default:
		return Job{}, fmt.Errorf("%q is not a slip (cancel, refund, pause, resume, reminder, partial_refund)", kind)
	}
	return Job{Printer: printer, Doc: d, Title: slipTitle(kind), DedupeKey: dedupeKey(o.Code, kind, printer, 0)}, nil
}

func slipTitle(k document.Kind) string {
	switch k {
	case document.KindCancel:
		return "取消单"
	case document.KindRefund:
		return "退单"
	case document.KindPause:
		return "暂停制作"
	case document.KindResume:
		return "恢复制作"
	case document.KindReminder:
		return "备餐提醒"
	case document.KindPartialRefund:
		return "部分退款"
	}
	return string(k)
}

// AddedJobs plans the 加菜 kitchen tickets for lines a 围餐 table added to
// order o (o.Items are the added lines only): every kitchen printer serving
// the store whose match takes some of them. batch names the addition (the
// push it came from) so the same push twice prints once and two additions
// both print.
func (f *Fleet) AddedJobs(o *order.Order, batch string) []Job {
	var jobs []Job
	for _, name := range f.order {
		if !f.serves(name, o) || f.workers[name].dev.Profile.Role != document.RoleKitchen {
			continue
		}
		opt := f.Options(name)
		opt.Added = true
		docs := document.KitchenTickets(o, document.NewMatcher(f.configs[name].Match), opt)
		for i, d := range docs {
			jobs = append(jobs, Job{Printer: name, Doc: d, Title: "加菜 " + name,
				DedupeKey: dedupeKey(o.Code, document.KindKitchen, name, 0) + ":added:" + batch + ":" + strconv.Itoa(i+1)})
		}
	}
	return jobs
}

package bridge

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// OrderFacts is an order as staff see it: money in fen, times in the
// console's zone (APITime), the phone masked. The console shapes it as JSON
// (console/order_views.go); nothing here knows the wire.
type OrderFacts struct {
	Source         order.Source
	Code           string
	StoreID        string
	StoreName      string
	Status         order.Status
	StatusLabel    string
	PlatformStatus int
	RawStatus      string
	RefundStatus   int
	Reason         string
	Type           order.Type
	TypeLabel      string
	Channel        int
	ChannelLabel   string
	PickupNo       string
	Table          string
	Note           string
	Mobile         string // masked
	Address        string
	Items          []order.Item
	ActualPay      order.Fen
	Original       order.Fen
	Discount       order.Fen
	DeliverFee     order.Fen
	PackageFee     order.Fen
	PayChannel     string
	DetailKnown    bool
	DetailError    string

	CreatedAt   time.Time
	ExpectAt    time.Time
	FirstSeenAt time.Time
	AcceptedAt  time.Time
	MadeAt      time.Time
	CompletedAt time.Time
	UpdatedAt   time.Time

	Decision         string // accept | refund
	DecisionSince    time.Time
	DecisionDeadline time.Time
	DecisionNote     string
	AlertLevel       int
	PrintPending     bool
	PrintAt          time.Time
	CancelRequested  bool
	FirstSource      string
}

// OrderDetail is an order with, for one order's page, what was printed,
// its history and its calls (nil in lists), and the extras of the rest of
// the 开个店 store (order_extras.go; nil when there are none).
type OrderDetail struct {
	OrderFacts
	Printed []PrintedJob
	History []HistoryEntry
	Calls   []CallInfo
	Extras  *OrderExtras
}

// PrintedJob is one print job of an order.
type PrintedJob struct {
	ID        int64
	Printer   string
	Original  string
	Doc       string
	Title     string
	State     string
	Reprint   bool
	Attempts  int
	LastError string
	CreatedAt time.Time
	DoneAt    time.Time
}

// HistoryEntry is one line of an order's history.
type HistoryEntry struct {
	At     time.Time
	From   string
	To     string
	Actor  string
	Source string
	Reason string
}

// CallInfo is one call to a channel (an outbox row).
type CallInfo struct {
	ID        int64
	TxID      string
	Kind      string
	Op        string
	OpLabel   string
	OrderCode string
	State     string
	Attempts  int
	LastError string
	Hint      string // LastError for staff, in Chinese
	NextAt    time.Time
	CreatedAt time.Time
	DoneAt    time.Time
}

func sh(t time.Time) time.Time { return APITime(t) }

// orderOf is a stored order as staff see it (without printed/history).
func orderOf(rec *store.OrderRecord) OrderDetail {
	v := OrderDetail{OrderFacts: OrderFacts{Source: rec.Source.Or(order.SourceKaigedian), Code: rec.Code, StoreID: rec.StoreID, Status: rec.Status, StatusLabel: rec.Status.LabelFor(rec.Type),
		PlatformStatus: rec.PlatformStatus, RawStatus: rec.RawStatus, RefundStatus: int(rec.RefundStatus), Reason: rec.Reason,
		Type: rec.Type, TypeLabel: rec.Type.Label(), Channel: int(rec.Channel), ChannelLabel: rec.Channel.Label(),
		PickupNo: rec.PickupNo, DetailKnown: rec.Detail != nil, DetailError: rec.DetailError, Items: []order.Item{},
		CreatedAt: sh(rec.CreatedAt), FirstSeenAt: sh(rec.FirstSeenAt), AcceptedAt: sh(rec.AcceptedAt), MadeAt: sh(rec.MadeAt),
		CompletedAt: sh(rec.CompletedAt), UpdatedAt: sh(rec.UpdatedAt), Decision: rec.Decision, DecisionSince: sh(rec.DecisionSince),
		DecisionDeadline: sh(rec.DecisionDeadline), DecisionNote: rec.DecisionNote, AlertLevel: rec.AlertLevel,
		PrintPending: rec.PrintPending, PrintAt: sh(rec.PrintAt), CancelRequested: rec.CancelRequested, FirstSource: rec.FirstSource}}
	if rec.Type == 0 {
		v.TypeLabel = ""
	}
	if rec.Channel == 0 {
		v.ChannelLabel = ""
	}
	if v.Source != order.SourceKaigedian { // 扫码点餐: the source is the channel staff know
		v.ChannelLabel = v.Source.Label()
	}
	if o := rec.Detail; o != nil {
		v.StoreName, v.Table, v.Note, v.Mobile, v.Address = o.StoreName, o.Table, o.Note, o.MaskedMobile(), o.Address
		v.Items = o.Items
		if v.Items == nil {
			v.Items = []order.Item{}
		}
		v.ActualPay, v.Original, v.Discount, v.DeliverFee, v.PackageFee = o.ActualPay, o.Original, o.Discount, o.DeliverFee, o.PackageFee
		v.PayChannel = o.PayChannelName
		if v.PayChannel == "" {
			v.PayChannel = o.PayChannel
		}
		v.ExpectAt = sh(o.ExpectAt)
		if v.CreatedAt.IsZero() {
			v.CreatedAt = sh(o.CreatedAt)
		}
	}
	return v
}

// OrderFilter selects orders for the console list.
type OrderFilter = store.OrderFilter

// Orders lists orders (today's by default).
func (b *Bridge) Orders(ctx context.Context, f OrderFilter) ([]OrderDetail, int, error) {
	recs, total, err := b.db.ListOrders(ctx, f)
	if err != nil {
		b.NoteStorageError(err)
		return nil, 0, err
	}
	out := make([]OrderDetail, 0, len(recs))
	for _, r := range recs {
		out = append(out, orderOf(r))
	}
	if err := b.addExtras(ctx, out, recs); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Order returns one order with what was printed, its history and its calls.
func (b *Bridge) Order(ctx context.Context, code string) (OrderDetail, error) {
	source, bare := SplitSourcePrefix(code)
	rec, err := b.db.GetOrder(ctx, bare)
	if err == nil && source != "" && rec.Source.Or(order.SourceKaigedian) != source {
		err = store.ErrNotFound // the code is another source's
	}
	code = bare
	if errors.Is(err, store.ErrNotFound) {
		return OrderDetail{}, ErrUnknownOrder
	}
	if err != nil {
		b.NoteStorageError(err)
		return OrderDetail{}, err
	}
	v := orderOf(rec)
	if err := b.addDetailExtras(ctx, &v, rec); err != nil {
		return v, err
	}
	v.Printed, v.History, v.Calls = []PrintedJob{}, []HistoryEntry{}, []CallInfo{}
	jobs, err := b.db.ListPrintJobs(ctx, store.PrintJobFilter{OrderCode: code})
	if err != nil {
		return v, err
	}
	for _, j := range jobs {
		v.Printed = append(v.Printed, jobView(j))
	}
	hist, err := b.db.History(ctx, code)
	if err != nil {
		return v, err
	}
	for _, h := range hist {
		v.History = append(v.History, HistoryEntry{At: sh(h.At), From: string(h.From), To: string(h.To), Actor: h.Actor,
			Source: h.Source, Reason: h.Reason})
	}
	calls, err := b.db.ListOutbox(ctx, store.OutboxFilter{OrderCode: code})
	if err != nil {
		return v, err
	}
	for i := len(calls) - 1; i >= 0; i-- {
		v.Calls = append(v.Calls, b.callView(calls[i]))
	}
	return v, nil
}

func jobView(j *store.PrintJob) PrintedJob {
	return PrintedJob{ID: j.ID, Printer: j.Printer, Original: j.OriginalPrinter, Doc: j.Doc, Title: j.Title, State: j.State,
		Reprint: j.Reprint, Attempts: j.Attempts, LastError: j.LastError, CreatedAt: sh(j.CreatedAt), DoneAt: sh(j.DoneAt)}
}

func (b *Bridge) callView(r *store.OutboxRow) CallInfo {
	return CallInfo{ID: r.ID, TxID: r.TxID, Kind: r.Kind, Op: r.Op, OpLabel: ActionLabel(r.Op), OrderCode: r.OrderCode,
		State: r.State, Attempts: r.Attempts, LastError: r.LastError, Hint: b.hint(r.Source, r.LastError), NextAt: sh(r.NextAt), CreatedAt: sh(r.CreatedAt), DoneAt: sh(r.DoneAt)}
}

// Calls lists platform calls, e.g. the ones still failing.
func (b *Bridge) Calls(ctx context.Context, f store.OutboxFilter) ([]CallInfo, error) {
	rows, err := b.db.ListOutbox(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]CallInfo, 0, len(rows))
	for _, r := range rows {
		out = append(out, b.callView(r))
	}
	return out, nil
}

// Reprint queues documents of an order again with the 补打 mark. doc is
// receipt, kitchen or label; printerName limits it to one printer ("" = all).
func (b *Bridge) Reprint(ctx context.Context, code, doc, printerName, actor string) (int, error) {
	doc = strings.ToLower(strings.TrimSpace(doc))
	if doc != "receipt" && doc != "kitchen" && doc != "label" {
		return 0, errors.New("补打的单据须为 receipt、kitchen 或 label")
	}
	n := 0
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		rec, err := tx.GetOrder(code)
		if errors.Is(err, store.ErrNotFound) {
			return ErrUnknownOrder
		}
		if err != nil {
			return err
		}
		n, err = b.reprintTx(tx, a, rec, doc, printerName)
		if err != nil {
			return err
		}
		if n == 0 {
			return errors.New("没有可补打该单据的打印机")
		}
		if err := tx.AppendAudit(store.Audit{Actor: actor, Action: "reprint_" + doc, OrderCode: code, Detail: printerName}); err != nil {
			return err
		}
		return tx.AppendHistory(store.History{Code: code, From: rec.Status, To: rec.Status, Actor: actor, Source: "staff",
			Reason: "补打" + docLabel(doc)})
	})
	return n, err
}

// JobPreview decodes the exact bytes a job sent into what the printer printed.
func (b *Bridge) JobPreview(ctx context.Context, id int64) (printer.Preview, *store.PrintJob, error) {
	j, err := b.db.GetPrintJob(ctx, id)
	if err != nil {
		return printer.Preview{}, nil, err
	}
	lang := "escpos"
	for _, pc := range b.printerConfigs() {
		if pc.Name == j.Printer && pc.Language != "" {
			lang = pc.Language
		}
	}
	return printer.Decode(lang, j.Bytes), j, nil
}

func docLabel(doc string) string {
	switch doc {
	case "receipt":
		return "小票"
	case "kitchen":
		return "厨打"
	case "label":
		return "杯贴"
	case "cancel":
		return "取消单"
	case "refund":
		return "退单"
	case "pause":
		return "暂停制作"
	case "resume":
		return "恢复制作"
	case "test":
		return "测试页"
	}
	return doc
}

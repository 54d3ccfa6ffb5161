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

// OrderView is an order as the console API serves it: snake_case JSON, money
// in fen, times in RFC 3339 with the +08:00 offset, the phone masked.
type OrderView struct {
	Source         order.Source `json:"source"`
	Code           string       `json:"code"`
	StoreID        string       `json:"store_id"`
	StoreName      string       `json:"store_name,omitempty"`
	Status         order.Status `json:"status"`
	StatusLabel    string       `json:"status_label"`
	PlatformStatus int          `json:"platform_status"`
	RawStatus      string       `json:"raw_status,omitempty"`
	RefundStatus   int          `json:"refund_status,omitempty"`
	Reason         string       `json:"reason,omitempty"`
	Type           order.Type   `json:"type"`
	TypeLabel      string       `json:"type_label"`
	Channel        int          `json:"channel"`
	ChannelLabel   string       `json:"channel_label"`
	PickupNo       string       `json:"pickup_no,omitempty"`
	Table          string       `json:"table,omitempty"`
	Note           string       `json:"note,omitempty"`
	Mobile         string       `json:"mobile,omitempty"` // masked
	Address        string       `json:"address,omitempty"`
	Items          []order.Item `json:"items"`
	ActualPay      order.Fen    `json:"actual_pay"`
	Original       order.Fen    `json:"original"`
	Discount       order.Fen    `json:"discount"`
	DeliverFee     order.Fen    `json:"deliver_fee"`
	PackageFee     order.Fen    `json:"package_fee"`
	PayChannel     string       `json:"pay_channel,omitempty"`
	DetailKnown    bool         `json:"detail_known"`
	DetailError    string       `json:"detail_error,omitempty"`

	CreatedAt   time.Time `json:"created_at,omitzero"`
	ExpectAt    time.Time `json:"expect_at,omitzero"`
	FirstSeenAt time.Time `json:"first_seen_at"`
	AcceptedAt  time.Time `json:"accepted_at,omitzero"`
	MadeAt      time.Time `json:"made_at,omitzero"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at"`

	Decision         string    `json:"decision,omitempty"` // accept | refund
	DecisionSince    time.Time `json:"decision_since,omitzero"`
	DecisionDeadline time.Time `json:"decision_deadline,omitzero"`
	DecisionNote     string    `json:"decision_note,omitempty"`
	AlertLevel       int       `json:"alert_level,omitempty"`
	PrintPending     bool      `json:"print_pending,omitempty"`
	PrintAt          time.Time `json:"print_at,omitzero"`
	CancelRequested  bool      `json:"cancel_requested,omitempty"`
	FirstSource      string    `json:"first_source,omitempty"`

	// The detail (GET /api/orders/{code}) always has these, [] when empty;
	// list views leave them out.
	Printed []PrintedView `json:"printed,omitzero"`
	History []HistoryView `json:"history,omitzero"`
	Calls   []CallView    `json:"calls,omitzero"`

	// Extras: the waybill, reminders, 围餐 additions and detail fields of
	// the rest of the 开个店 store (order_extras.go); nil when there are none.
	Extras *OrderExtras `json:"extras,omitempty"`
}

// PrintedView is one print job of an order.
type PrintedView struct {
	ID        int64     `json:"id"`
	Printer   string    `json:"printer"`
	Original  string    `json:"original_printer,omitempty"`
	Doc       string    `json:"doc"`
	Title     string    `json:"title,omitempty"`
	State     string    `json:"state"`
	Reprint   bool      `json:"reprint,omitempty"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

// HistoryView is one line of an order's history.
type HistoryView struct {
	At     time.Time `json:"at"`
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	Actor  string    `json:"actor"`
	Source string    `json:"source,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

// CallView is one platform call (outbox row).
type CallView struct {
	ID        int64     `json:"id"`
	TxID      string    `json:"tx_id"`
	Kind      string    `json:"kind"`
	Op        string    `json:"op"`
	OpLabel   string    `json:"op_label"`
	OrderCode string    `json:"order_code,omitempty"`
	State     string    `json:"state"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	Hint      string    `json:"hint,omitempty"` // LastError for staff, in Chinese
	NextAt    time.Time `json:"next_at,omitzero"`
	CreatedAt time.Time `json:"created_at"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

func sh(t time.Time) time.Time { return APITime(t) }

// View builds the console view of a record (without printed/history).
func View(rec *store.OrderRecord) OrderView {
	v := OrderView{Source: rec.Source.Or(order.SourceKaigedian), Code: rec.Code, StoreID: rec.StoreID, Status: rec.Status, StatusLabel: rec.Status.LabelFor(rec.Type),
		PlatformStatus: rec.PlatformStatus, RawStatus: rec.RawStatus, RefundStatus: int(rec.RefundStatus), Reason: rec.Reason,
		Type: rec.Type, TypeLabel: rec.Type.Label(), Channel: int(rec.Channel), ChannelLabel: rec.Channel.Label(),
		PickupNo: rec.PickupNo, DetailKnown: rec.Detail != nil, DetailError: rec.DetailError, Items: []order.Item{},
		CreatedAt: sh(rec.CreatedAt), FirstSeenAt: sh(rec.FirstSeenAt), AcceptedAt: sh(rec.AcceptedAt), MadeAt: sh(rec.MadeAt),
		CompletedAt: sh(rec.CompletedAt), UpdatedAt: sh(rec.UpdatedAt), Decision: rec.Decision, DecisionSince: sh(rec.DecisionSince),
		DecisionDeadline: sh(rec.DecisionDeadline), DecisionNote: rec.DecisionNote, AlertLevel: rec.AlertLevel,
		PrintPending: rec.PrintPending, PrintAt: sh(rec.PrintAt), CancelRequested: rec.CancelRequested, FirstSource: rec.FirstSource}
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

// Orders lists orders (today's by default) as views.
func (b *Bridge) Orders(ctx context.Context, f OrderFilter) ([]OrderView, int, error) {
	recs, total, err := b.db.ListOrders(ctx, f)
	if err != nil {
		b.NoteStorageError(err)
		return nil, 0, err
	}
	out := make([]OrderView, 0, len(recs))
	for _, r := range recs {
		out = append(out, View(r))
	}
	if err := b.addExtras(ctx, out, recs); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Order returns one order with what was printed, its history and its calls.
func (b *Bridge) Order(ctx context.Context, code string) (OrderView, error) {
	source, bare := SplitSourcePrefix(code)
	rec, err := b.db.GetOrder(ctx, bare)
	if err == nil && source != "" && rec.Source.Or(order.SourceKaigedian) != source {
		err = store.ErrNotFound // the code is another source's
	}
	code = bare
	if errors.Is(err, store.ErrNotFound) {
		return OrderView{}, ErrUnknownOrder
	}
	if err != nil {
		b.NoteStorageError(err)
		return OrderView{}, err
	}
	v := View(rec)
	if err := b.addDetailExtras(ctx, &v, rec); err != nil {
		return v, err
	}
	v.Printed, v.History, v.Calls = []PrintedView{}, []HistoryView{}, []CallView{}
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
		v.History = append(v.History, HistoryView{At: sh(h.At), From: string(h.From), To: string(h.To), Actor: h.Actor,
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

func jobView(j *store.PrintJob) PrintedView {
	return PrintedView{ID: j.ID, Printer: j.Printer, Original: j.OriginalPrinter, Doc: j.Doc, Title: j.Title, State: j.State,
		Reprint: j.Reprint, Attempts: j.Attempts, LastError: j.LastError, CreatedAt: sh(j.CreatedAt), DoneAt: sh(j.DoneAt)}
}

func (b *Bridge) callView(r *store.OutboxRow) CallView {
	return CallView{ID: r.ID, TxID: r.TxID, Kind: r.Kind, Op: r.Op, OpLabel: ActionLabel(r.Op), OrderCode: r.OrderCode,
		State: r.State, Attempts: r.Attempts, LastError: r.LastError, Hint: b.hint(r.Source, r.LastError), NextAt: sh(r.NextAt), CreatedAt: sh(r.CreatedAt), DoneAt: sh(r.DoneAt)}
}

// Calls lists platform calls, e.g. the ones still failing.
func (b *Bridge) Calls(ctx context.Context, f store.OutboxFilter) ([]CallView, error) {
	rows, err := b.db.ListOutbox(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]CallView, 0, len(rows))
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

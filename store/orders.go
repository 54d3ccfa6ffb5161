package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
)

// OrderRecord is the stored state of one order: indexed columns that bridge
// decides, plus the last detail the platform gave.
type OrderRecord struct {
	// Source and Code are the order's identity; an empty Source is saved
	// as 开个店's (every order before channels existed).
	Source             order.Source
	Code               string
	StoreID            string
	Status             order.Status
	PlatformStatus     int
	RawStatus          string // a platform status value the documents do not define
	StatusBeforeRefund order.Status
	RefundStatus       order.RefundStatus
	RefundAt           time.Time // the platform's time of the refund request applied
	CancelType         order.CancelType
	Reason             string
	Type               order.Type
	Channel            order.Channel
	PickupNo           string
	MobileLast4        string
	Day                string // business day YYYY-MM-DD in Asia/Shanghai
	CreatedAt          time.Time
	FirstSeenAt        time.Time
	FirstSource        string
	PushSeen           bool
	UpdatedAt          time.Time
	PlatformAt         time.Time
	AcceptedAt         time.Time
	MadeAt             time.Time
	CompletedAt        time.Time
	ClosedAt           time.Time

	Detail         *order.Order // nil until queryDetail answered
	RawDetail      json.RawMessage
	NeedsDetail    bool
	DetailAttempts int
	DetailNextAt   time.Time
	DetailError    string

	Decision         string // "" | "accept" | "refund": waiting for staff
	DecisionSince    time.Time
	DecisionDeadline time.Time
	DecisionNote     string
	AlertLevel       int
	Paused           bool
	PrintPending     bool      // accepted, tickets not queued yet (no detail yet, or held)
	PrintAt          time.Time // reserved orders: queue the tickets at this time
	CancelRequested  bool      // an after-sales /order/cancel went out; the platform decides

	// A delivery order's address comes from historyOrders (queryDetail
	// has none): fetched until it is known or the attempts are spent.
	NeedsAddress    bool
	AddressAttempts int
	AddressNextAt   time.Time

	// PrintMarked: the tickets print marked 补打 (first seen after a restore,
	// accepted before it: they may have printed already).
	PrintMarked bool
}

// Decisions staff may owe an order.
const (
	DecisionNone   = ""
	DecisionAccept = "accept"
	DecisionRefund = "refund"
)

// storedDetail keeps the phone numbers that order.Order hides from JSON.
type storedDetail struct {
	order.Order
	Mobile          string   `json:"mobile,omitempty"`
	DeliveryMobiles []string `json:"delivery_mobiles,omitempty"`
}

func encodeDetail(o *order.Order) (sql.NullString, error) {
	if o == nil {
		return sql.NullString{}, nil
	}
	sd := storedDetail{Order: *o, Mobile: o.Mobile}
	for _, c := range o.Deliveries {
		sd.DeliveryMobiles = append(sd.DeliveryMobiles, c.Mobile)
	}
	b, err := json.Marshal(sd)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

func decodeDetail(s sql.NullString) (*order.Order, error) {
	if !s.Valid {
		return nil, nil
	}
	var sd storedDetail
	if err := json.Unmarshal([]byte(s.String), &sd); err != nil {
		return nil, fmt.Errorf("stored order detail: %w", err)
	}
	o := sd.Order
	o.Mobile = sd.Mobile
	for i := range o.Deliveries {
		if i < len(sd.DeliveryMobiles) {
			o.Deliveries[i].Mobile = sd.DeliveryMobiles[i]
		}
	}
	return &o, nil
}

const orderColumns = `code, store_id, status, platform_status, raw_status, status_before_refund, refund_status,
	refund_at, cancel_type, reason, type, channel, pickup_no, mobile_last4, day, created_at, first_seen_at, first_source,
	push_seen, updated_at, platform_at, accepted_at, made_at, completed_at, closed_at, detail_json, raw_detail,
	needs_detail, detail_attempts, detail_next_at, detail_error, decision, decision_since, decision_deadline,
	decision_note, alert_level, paused, print_pending, print_at, cancel_requested,
	needs_address, address_attempts, address_next_at, print_marked, source`

// listColumns are orderColumns without the raw platform detail, which no
// list shows (it is half of an order's row).
var listColumns = strings.Replace(orderColumns, "raw_detail", "NULL", 1)

type rowScanner interface{ Scan(dest ...any) error }

func scanOrder(r rowScanner) (*OrderRecord, error) {
	var rec OrderRecord
	var status, before string
	var printAt, refundAt, addressNext int64
	var created, firstSeen, updated, platformAt, accepted, made, completed, closed, detailNext, decisionSince, decisionDeadline int64
	var pushSeen, needsDetail, paused, printPending, cancelRequested, needsAddress, printMarked int
	var detail, raw sql.NullString
	err := r.Scan(&rec.Code, &rec.StoreID, &status, &rec.PlatformStatus, &rec.RawStatus, &before, &rec.RefundStatus,
		&refundAt, &rec.CancelType, &rec.Reason, &rec.Type, &rec.Channel, &rec.PickupNo, &rec.MobileLast4, &rec.Day, &created,
		&firstSeen, &rec.FirstSource, &pushSeen, &updated, &platformAt, &accepted, &made, &completed, &closed,
		&detail, &raw, &needsDetail, &rec.DetailAttempts, &detailNext, &rec.DetailError, &rec.Decision,
		&decisionSince, &decisionDeadline, &rec.DecisionNote, &rec.AlertLevel, &paused, &printPending, &printAt, &cancelRequested,
		&needsAddress, &rec.AddressAttempts, &addressNext, &printMarked, &rec.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	rec.Status, rec.StatusBeforeRefund = order.Status(status), order.Status(before)
	rec.CreatedAt, rec.FirstSeenAt, rec.UpdatedAt = fromMS(created), fromMS(firstSeen), fromMS(updated)
	rec.PlatformAt, rec.AcceptedAt, rec.MadeAt = fromMS(platformAt), fromMS(accepted), fromMS(made)
	rec.CompletedAt, rec.ClosedAt, rec.DetailNextAt = fromMS(completed), fromMS(closed), fromMS(detailNext)
	rec.DecisionSince, rec.DecisionDeadline = fromMS(decisionSince), fromMS(decisionDeadline)
	rec.PushSeen, rec.NeedsDetail, rec.Paused = pushSeen == 1, needsDetail == 1, paused == 1
	rec.PrintPending, rec.CancelRequested, rec.PrintAt = printPending == 1, cancelRequested == 1, fromMS(printAt)
	rec.RefundAt = fromMS(refundAt)
	rec.NeedsAddress, rec.AddressNextAt, rec.PrintMarked = needsAddress == 1, fromMS(addressNext), printMarked == 1
	if raw.Valid {
		rec.RawDetail = json.RawMessage(raw.String)
	}
	if rec.Detail, err = decodeDetail(detail); err != nil {
		return nil, err
	}
	return &rec, nil
}

// GetOrder reads one order inside the transaction.
func (tx *Tx) GetOrder(code string) (*OrderRecord, error) {
	return scanOrder(tx.queryRow(`SELECT `+orderColumns+` FROM orders WHERE code = ?`, code))
}

// GetOrder reads one order.
func (db *DB) GetOrder(ctx context.Context, code string) (*OrderRecord, error) {
	return scanOrder(db.readRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE code = ?`, code))
}

// SaveOrder inserts or replaces the order. UpdatedAt is set to the
// transaction's time; FirstSeenAt defaults to it.
func (tx *Tx) SaveOrder(rec *OrderRecord) error {
	if rec.Code == "" {
		return errors.New("save order: empty order code")
	}
	if err := tx.codeFree(rec); err != nil {
		return err
	}
	rec.UpdatedAt = tx.now
	if rec.FirstSeenAt.IsZero() {
		rec.FirstSeenAt = tx.now
	}
	detail, err := encodeDetail(rec.Detail)
	if err != nil {
		return err
	}
	var raw sql.NullString
	if len(rec.RawDetail) > 0 {
		raw = sql.NullString{String: string(rec.RawDetail), Valid: true}
	}
	_, err = tx.exec(`INSERT OR REPLACE INTO orders(`+orderColumns+`) VALUES(`+placeholders(45)+`)`,
		rec.Code, rec.StoreID, string(rec.Status), rec.PlatformStatus, rec.RawStatus, string(rec.StatusBeforeRefund),
		rec.RefundStatus, ms(rec.RefundAt), rec.CancelType, rec.Reason, rec.Type, rec.Channel, rec.PickupNo, rec.MobileLast4, rec.Day,
		ms(rec.CreatedAt), ms(rec.FirstSeenAt), rec.FirstSource, boolInt(rec.PushSeen), ms(rec.UpdatedAt),
		ms(rec.PlatformAt), ms(rec.AcceptedAt), ms(rec.MadeAt), ms(rec.CompletedAt), ms(rec.ClosedAt), detail, raw,
		boolInt(rec.NeedsDetail), rec.DetailAttempts, ms(rec.DetailNextAt), rec.DetailError, rec.Decision,
		ms(rec.DecisionSince), ms(rec.DecisionDeadline), rec.DecisionNote, rec.AlertLevel, boolInt(rec.Paused),
		boolInt(rec.PrintPending), ms(rec.PrintAt), boolInt(rec.CancelRequested),
		boolInt(rec.NeedsAddress), rec.AddressAttempts, ms(rec.AddressNextAt), boolInt(rec.PrintMarked),
		string(rec.Source.Or(order.SourceKaigedian)))
	return err
}

// OrderFilter selects orders for lists.
type OrderFilter struct {
	Day      string         // YYYY-MM-DD (Asia/Shanghai); "" = any day
	Statuses []order.Status // empty = all
	// Query matches the order code (exact or suffix), the pickup number (or,
	// for two to five digits, its start), or the last four digits of the
	// customer's phone.
	Query  string
	Limit  int // default 200
	Offset int
}

// where is the filter's WHERE clause (with its leading space, "" for none)
// and arguments.
func (f OrderFilter) where() (string, []any) {
	var where []string
	var args []any
	if f.Day != "" {
		where = append(where, "day = ?")
		args = append(args, f.Day)
	}
	if len(f.Statuses) > 0 {
		ph := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ph[i] = "?"
			args = append(args, string(s))
		}
		where = append(where, "status IN ("+strings.Join(ph, ",")+")")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// A code's tail is looked up by its last four characters (the index
		// orders_code_tail), then matched whole: tails shorter than four are
		// pickup numbers or phone digits, never worth a scan of every order.
		pickup, pickupArgs := "pickup_no = ?", []any{q}
		if isPickupPrefix(q) {
			// "100" finds 1001…1009 (a cashier types what she hears): a
			// range over the orders_pickup index, not a LIKE over every row.
			pickup, pickupArgs = "(pickup_no >= ? AND pickup_no < ?)", []any{q, q + "\xff"}
		}
		where = append(where, "(code = ? OR (substr(code, -4) = ? AND code LIKE ?) OR "+pickup+" OR mobile_last4 = ?)")
		args = append(args, q, lastN(q, 4), "%"+escapeLike(q))
		args = append(args, pickupArgs...)
		args = append(args, q)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ListOrders returns matching orders, newest first (arrival order among
// orders first seen in the same millisecond), and the total count. Their
// RawDetail is not read.
func (db *DB) ListOrders(ctx context.Context, f OrderFilter) ([]*OrderRecord, int, error) {
	clause, args := f.where()
	var total int
	if err := db.readRow(ctx, `SELECT COUNT(*) FROM orders`+clause, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	// The page is chosen from the indexes first and only its rows are read:
	// sorting every matching row whole (a pickup number matches one order a
	// day for years) read megabytes of details for fifty orders.
	rows, err := db.readQuery(ctx, `SELECT `+listColumns+` FROM orders WHERE rowid IN (SELECT rowid FROM orders`+clause+
		` ORDER BY first_seen_at DESC, rowid DESC LIMIT ? OFFSET ?) ORDER BY first_seen_at DESC, rowid DESC`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*OrderRecord
	for rows.Next() {
		rec, err := scanOrder(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, rec)
	}
	return out, total, rows.Err()
}

// isPickupPrefix reports whether a query is the start of pickup numbers: two
// to five digits (one digit would match nearly every order ever taken).
func isPickupPrefix(q string) bool {
	if len(q) < 2 || len(q) > 5 {
		return false
	}
	for _, c := range q {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// lastN is the last n characters of s (all of it when shorter), as SQLite's
// substr(s, -n) counts them.
func lastN(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}

func escapeLike(s string) string {
	r := strings.NewReplacer("%", "", "_", "")
	return r.Replace(s)
}

// OrdersNeedingDetail returns codes of source's orders whose detail must be
// fetched, due by now. Retries scheduled more than an hour ahead are due
// too (the clock jumped back).
func (db *DB) OrdersNeedingDetail(ctx context.Context, source order.Source, now time.Time, limit int) ([]string, error) {
	return db.codes(ctx, `SELECT code FROM orders WHERE needs_detail = 1 AND (detail_next_at <= ? OR detail_next_at > ?)
		AND source = ? ORDER BY first_seen_at LIMIT ?`, ms(now), ms(now.Add(time.Hour)), string(source), limit)
}

// OpenOrderCodes returns orders that are not terminal locally, for
// reconciliation with batchOrderStatus (it catches a missed cancel), then
// the orders that ended locally within a day (EndedSince).
func (db *DB) OpenOrderCodes(ctx context.Context, source order.Source, limit int) ([]string, error) {
	open, err := db.codes(ctx, `SELECT code FROM orders WHERE status IN (`+openStatusList+`) AND source = ?
		ORDER BY first_seen_at LIMIT ?`, string(source), limit)
	if err != nil {
		return nil, err
	}
	ended, err := db.EndedSince(ctx, source, db.now().Add(-reconcileEnded), reconcileEndedMax)
	return append(open, ended...), err
}

// OrdersNeedingAddress returns delivery orders whose address is due to be
// fetched, with their store and creation time (historyOrders is read per
// store and day).
func (db *DB) OrdersNeedingAddress(ctx context.Context, now time.Time, limit int) ([]AddressWanted, error) {
	rows, err := db.readQuery(ctx, `SELECT source, code, store_id, created_at, first_seen_at FROM orders
		WHERE needs_address = 1 AND (address_next_at <= ? OR address_next_at > ?) ORDER BY first_seen_at LIMIT ?`,
		ms(now), ms(now.Add(time.Hour)), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AddressWanted
	for rows.Next() {
		var w AddressWanted
		var created, seen int64
		var source string
		if err := rows.Scan(&source, &w.Code, &w.StoreID, &created, &seen); err != nil {
			return nil, err
		}
		w.Source = order.Source(source)
		w.CreatedAt = fromMS(created)
		if w.CreatedAt.IsZero() {
			w.CreatedAt = fromMS(seen)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// AddressWanted is a delivery order whose address is still to be fetched.
type AddressWanted struct {
	Source    order.Source
	Code      string
	StoreID   string
	CreatedAt time.Time
}

// OrdersPendingPrint returns accepted orders whose tickets wait (held
// reserved orders due by now, or orders whose detail has just arrived).
func (db *DB) OrdersPendingPrint(ctx context.Context, now time.Time) ([]string, error) {
	return db.codes(ctx, `SELECT code FROM orders WHERE print_pending = 1 AND print_at <= ? AND detail_json IS NOT NULL
		AND needs_address = 0 ORDER BY first_seen_at`, ms(now))
}

// OrdersAwaitingDecision returns orders that wait for staff.
func (db *DB) OrdersAwaitingDecision(ctx context.Context) ([]*OrderRecord, error) {
	return db.orderRecords(ctx, `SELECT `+orderColumns+` FROM orders WHERE decision <> '' ORDER BY decision_since`)
}

// CountOrders counts orders by status for a day ("" = all days).
func (db *DB) CountOrders(ctx context.Context, day string) (map[string]int, error) {
	if day == "" {
		return db.countBy(ctx, `SELECT status, COUNT(*) FROM orders GROUP BY status`)
	}
	return db.countBy(ctx, `SELECT status, COUNT(*) FROM orders WHERE day = ? GROUP BY status`, day)
}

func (db *DB) codes(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.readQuery(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanStrings(rows)
}

// scanStrings reads the one text column of every row, and closes rows.
func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// History is one recorded transition of an order.
type History struct {
	ID     int64
	Code   string
	At     time.Time
	From   order.Status
	To     order.Status
	Actor  string // auto | staff:<name> | platform | scanner | system
	Source string
	Reason string
}

// AppendHistory records a transition (or a notable event with From == To).
func (tx *Tx) AppendHistory(h History) error {
	at := h.At
	if at.IsZero() {
		at = tx.now
	}
	_, err := tx.exec(`INSERT INTO order_history(order_code, at, from_status, to_status, actor, source, reason) VALUES(?,?,?,?,?,?,?)`,
		h.Code, ms(at), string(h.From), string(h.To), h.Actor, h.Source, h.Reason)
	return err
}

// History returns an order's transitions, oldest first.
func (db *DB) History(ctx context.Context, code string) ([]History, error) {
	return db.historyRows(ctx, `WHERE order_code = ? ORDER BY id`, code)
}

func (db *DB) historyRows(ctx context.Context, where string, args ...any) ([]History, error) {
	rows, err := db.readQuery(ctx, `SELECT id, order_code, at, from_status, to_status, actor, source, reason
		FROM order_history `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []History
	for rows.Next() {
		var h History
		var at int64
		var from, to string
		if err := rows.Scan(&h.ID, &h.Code, &at, &from, &to, &h.Actor, &h.Source, &h.Reason); err != nil {
			return nil, err
		}
		h.At, h.From, h.To = fromMS(at), order.Status(from), order.Status(to)
		out = append(out, h)
	}
	return out, rows.Err()
}

// State is the order's state as the state machine works on it.
func (r *OrderRecord) State() order.State {
	return order.State{Code: r.Code, Type: r.Type, Status: r.Status, StatusBeforeRefund: r.StatusBeforeRefund,
		PlatformStatus: r.PlatformStatus, RawStatus: r.RawStatus, PlatformAt: r.PlatformAt, RefundStatus: r.RefundStatus,
		RefundAt: r.RefundAt, CancelType: r.CancelType, Reason: r.Reason, CancelRequested: r.CancelRequested}
}

// SetState keeps what the state machine made of the order's state (its
// Code and Type are the row's and stay).
func (r *OrderRecord) SetState(s order.State) {
	r.Status, r.StatusBeforeRefund, r.PlatformStatus, r.RawStatus, r.PlatformAt = s.Status, s.StatusBeforeRefund, s.PlatformStatus, s.RawStatus, s.PlatformAt
	r.RefundStatus, r.RefundAt, r.CancelType, r.Reason, r.CancelRequested = s.RefundStatus, s.RefundAt, s.CancelType, s.Reason, s.CancelRequested
}

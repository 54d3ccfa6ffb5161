package bridge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// EvKitchen says a kitchen station bumped or recalled an order (Kind is the
// station), so the other screens showing it refresh.
const EvKitchen = "kitchen"

// ErrUnknownStation is a kitchen screen asking for a station the config
// does not have.
var ErrUnknownStation = &Error{Code: ENotFound, Message: "没有这个厨房工位：请检查屏幕链接里的 station，或在配置的 printers / stations 中添加"}

// How long done orders stay in a station's recall list.
const kitchenRecallFor = 45 * time.Minute

// KitchenItem is one line a station makes. Index is its place in the
// order's items (what a bump names); a set meal keeps only the parts the
// station makes.
type KitchenItem struct {
	Index  int
	Item   order.Item
	Bumped bool
}

// KitchenTicket is an order on a station's screen.
type KitchenTicket struct {
	Code        string
	PickupNo    string
	StoreID     string
	StoreName   string
	Status      order.Status
	StatusLabel string
	TypeLabel   string
	Table       string
	Note        string
	ExpectAt    time.Time
	Since       time.Time // when the kitchen got it (accepted)
	DoneAt      time.Time
	Paused      bool // a refund request stopped the kitchen
	Recalled    bool // brought back after it was done
	Items       []KitchenItem
}

// KitchenBoard is what a station's screen shows.
type KitchenBoard struct {
	Station  string
	Printer  bool            // a kitchen printer prints this station too
	Tickets  []KitchenTicket // oldest first: the next to make is on the left
	Recent   []KitchenTicket // done lately, newest first, for recall
	Stations []string
}

// stationNamed finds a station of the config.
func (b *Bridge) stationNamed(name string) (config.Station, error) {
	for _, st := range b.cfg.KitchenStations() {
		if st.Name == name {
			return st, nil
		}
	}
	return config.Station{}, ErrUnknownStation
}

// stationItems is what a station makes of an order: the items its match
// takes, as its kitchen printer would print them.
func stationItems(st config.Station, o *order.Order) []KitchenItem {
	if o == nil || (len(st.Stores) > 0 && !slices.Contains(st.Stores, o.StoreID)) {
		return nil
	}
	m := printer.NewMatcher(st.Match)
	var out []KitchenItem
	for i := range o.Items {
		if sel := m.Select(o.Items[i : i+1]); len(sel) == 1 {
			out = append(out, KitchenItem{Index: i, Item: sel[0]})
		}
	}
	return out
}

// kitchenStatuses are the orders a kitchen may still be making.
var kitchenStatuses = []order.Status{order.StatusAccepted, order.StatusRefundRequested, order.StatusMade, order.StatusDelivering}

// inKitchen reports whether the kitchen may be making an order: accepted
// and not yet collected or cancelled. A refund asked before the accept is
// not the kitchen's (nothing was printed there).
func inKitchen(rec *store.OrderRecord) bool {
	if rec.Status == order.StatusRefundRequested && rec.StatusBeforeRefund == order.StatusNew {
		return false
	}
	return slices.Contains(kitchenStatuses, rec.Status)
}

// Kitchen builds a station's screen.
func (b *Bridge) Kitchen(ctx context.Context, station string) (KitchenBoard, error) {
	st, err := b.stationNamed(station)
	if err != nil {
		return KitchenBoard{}, err
	}
	board := KitchenBoard{Station: st.Name, Printer: st.Printer, Tickets: []KitchenTicket{}, Recent: []KitchenTicket{}}
	for _, s := range b.cfg.KitchenStations() {
		board.Stations = append(board.Stations, s.Name)
	}
	now := b.now()
	recs, _, err := b.db.ListOrders(ctx, store.OrderFilter{Statuses: kitchenStatuses, Limit: 500})
	if err != nil {
		b.NoteStorageError(err)
		return board, err
	}
	states, err := b.db.KitchenStation(ctx, st.Name, now.Add(-36*time.Hour))
	if err != nil {
		return board, err
	}
	for _, rec := range recs {
		items := stationItems(st, rec.Detail)
		if len(items) == 0 || !inKitchen(rec) || b.foreignStore(rec.Detail) {
			continue // a foreign store's order is held, not printed (foreign.go)
		}
		k := states[rec.Code]
		t := kitchenTicket(rec, items, k)
		making := rec.Status == order.StatusAccepted || rec.Status == order.StatusRefundRequested
		switch {
		case k != nil && !k.RecalledAt.IsZero() && k.DoneAt.IsZero():
			t.Recalled = true
			board.Tickets = append(board.Tickets, t)
		case making && (k == nil || k.DoneAt.IsZero()):
			board.Tickets = append(board.Tickets, t)
		default:
			done := rec.MadeAt
			if k != nil && !k.DoneAt.IsZero() {
				done = k.DoneAt
			}
			if !done.IsZero() && now.Sub(done) < kitchenRecallFor {
				t.DoneAt = sh(done)
				board.Recent = append(board.Recent, t)
			}
		}
	}
	sort.SliceStable(board.Tickets, func(i, j int) bool { return board.Tickets[i].Since.Before(board.Tickets[j].Since) })
	sort.SliceStable(board.Recent, func(i, j int) bool { return board.Recent[i].DoneAt.After(board.Recent[j].DoneAt) })
	if len(board.Recent) > 12 {
		board.Recent = board.Recent[:12]
	}
	return board, nil
}

func kitchenTicket(rec *store.OrderRecord, items []KitchenItem, k *store.KitchenOrder) KitchenTicket {
	o := rec.Detail
	t := KitchenTicket{Code: rec.Code, PickupNo: rec.PickupNo, StoreID: rec.StoreID, StoreName: o.StoreName, Status: rec.Status,
		StatusLabel: rec.Status.LabelFor(rec.Type), Table: o.Table, Note: o.Note, ExpectAt: sh(o.ExpectAt),
		Since: sh(kitchenSince(rec)), Paused: rec.Status == order.StatusRefundRequested || rec.Paused, Items: items}
	if rec.Type != 0 {
		t.TypeLabel = rec.Type.Label()
	}
	for i := range t.Items {
		if k != nil {
			_, t.Items[i].Bumped = k.Bumped[t.Items[i].Index]
		}
	}
	return t
}

// BumpRequest is a tap on a kitchen screen: one item (Item ≥ 0) or the
// whole order (Item < 0) is done at Station. Undo takes an item back.
type BumpRequest struct {
	Station string
	Code    string
	Item    int
	Undo    bool
	Actor   string
}

// BumpResult says what the tap did: the station is done with the order,
// and the order was marked made (every screen station is done).
type BumpResult struct {
	Code        string
	StationDone bool
	Made        bool
	Message     string
}

// Bump records a kitchen screen's tap. When it finishes the last item of
// the order on every station that has a screen, the order is marked made
// exactly as the first scan of its barcode does (bridge.Scan).
func (b *Bridge) Bump(ctx context.Context, req BumpRequest) (BumpResult, error) {
	st, err := b.stationNamed(req.Station)
	if err != nil {
		return BumpResult{}, err
	}
	screens, err := b.db.ScreenStations(ctx)
	if err != nil {
		return BumpResult{}, err
	}
	res := BumpResult{Code: req.Code}
	var allDone bool
	var rec *store.OrderRecord
	err = b.write(ctx, func(tx *store.Tx, a *after) error {
		res.StationDone, allDone = false, false
		var err error
		rec, err = tx.GetOrder(req.Code)
		if errors.Is(err, store.ErrNotFound) {
			return ErrUnknownOrder
		}
		if err != nil {
			return err
		}
		items := stationItems(st, rec.Detail)
		if len(items) == 0 {
			return &StateError{Code: rec.Code, Status: rec.Status, Message: "这个订单没有本工位（" + st.Name + "）制作的商品"}
		}
		if !inKitchen(rec) {
			return &StateError{Code: rec.Code, Status: rec.Status, Message: "订单" + rec.Status.LabelFor(rec.Type) + "，无需制作"}
		}
		if rec.Status == order.StatusRefundRequested && !req.Undo {
			return &StateError{Code: rec.Code, Status: rec.Status, Message: "顾客申请退款，暂停制作：等店员处理退款申请"}
		}
		var want []int
		for _, it := range items {
			if req.Item < 0 || it.Index == req.Item {
				want = append(want, it.Index)
			}
		}
		if len(want) == 0 {
			return &StateError{Code: rec.Code, Status: rec.Status, Message: fmt.Sprintf("本工位没有第 %d 项商品", req.Item+1)}
		}
		if req.Undo {
			if err := tx.UnbumpKitchenItems(rec.Code, st.Name, want); err != nil {
				return err
			}
			a.event(Event{Type: EvKitchen, Code: rec.Code, Kind: st.Name, Status: string(rec.Status)})
			return nil
		}
		if err := tx.BumpKitchenItems(rec.Code, st.Name, want, req.Actor); err != nil {
			return err
		}
		bumped, err := tx.KitchenBumped(rec.Code, st.Name)
		if err != nil {
			return err
		}
		res.StationDone = true
		for _, it := range items {
			res.StationDone = res.StationDone && bumped[it.Index]
		}
		if res.StationDone {
			if err := tx.SetKitchenDone(rec.Code, st.Name); err != nil {
				return err
			}
			allDone, err = b.everyScreenDone(tx, rec, st.Name, screens)
			if err != nil {
				return err
			}
		}
		a.event(Event{Type: EvKitchen, Code: rec.Code, Kind: st.Name, Status: string(rec.Status)})
		return nil
	})
	if err != nil {
		return res, err
	}
	if allDone && rec.Status == order.StatusAccepted {
		_, err := b.Do(ctx, ActionRequest{Action: ActMade, Code: rec.Code, Actor: req.Actor})
		var se *StateError
		switch {
		case errors.As(err, &se):
			res.Message = se.Message // made meanwhile (a scan): nothing more to do
		case err != nil:
			return res, err
		default:
			res.Made = true
		}
	}
	return res, nil
}

// everyScreenDone reports whether every station with a screen that makes
// part of the order is done with it. Stations that only print (no paired
// screen) are not waited for: nobody there taps.
func (b *Bridge) everyScreenDone(tx *store.Tx, rec *store.OrderRecord, bumping string, screens map[string]bool) (bool, error) {
	done, err := tx.KitchenDoneStations(rec.Code)
	if err != nil {
		return false, err
	}
	for _, st := range b.cfg.KitchenStations() {
		hasScreen := st.Name == bumping || screens[st.Name] || !st.Printer
		if hasScreen && !done[st.Name] && len(stationItems(st, rec.Detail)) > 0 {
			return false, nil
		}
	}
	return true, nil
}

// Recall brings an order back to a station's screen with nothing bumped
// (it was bumped by mistake, or is to be made again). The order's status
// does not go back: the customer may already have been called.
func (b *Bridge) Recall(ctx context.Context, station, code string) error {
	st, err := b.stationNamed(station)
	if err != nil {
		return err
	}
	return b.write(ctx, func(tx *store.Tx, a *after) error {
		rec, err := tx.GetOrder(code)
		if errors.Is(err, store.ErrNotFound) {
			return ErrUnknownOrder
		}
		if err != nil {
			return err
		}
		if len(stationItems(st, rec.Detail)) == 0 || !slices.Contains(kitchenStatuses, rec.Status) {
			return &StateError{Code: rec.Code, Status: rec.Status, Message: "订单" + rec.Status.LabelFor(rec.Type) + "，不能召回到本工位"}
		}
		if err := tx.RecallKitchen(rec.Code, st.Name); err != nil {
			return err
		}
		a.event(Event{Type: EvKitchen, Code: rec.Code, Kind: st.Name, Status: string(rec.Status)})
		return nil
	})
}

// kitchenSince is when the kitchen got the order: its accept, or when
// posbridge first saw it (an order accepted in the 开个店 back office).
func kitchenSince(rec *store.OrderRecord) time.Time {
	if !rec.AcceptedAt.IsZero() {
		return rec.AcceptedAt
	}
	return rec.FirstSeenAt
}

package bridge

import (
	"strings"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// foreignStore reports an order of a store this PC is not configured for:
// the platform (or someone with a valid signature) sent it here, but
// nothing says this kitchen makes it. Such orders are held: never accepted
// or printed automatically, shown to staff to decide.
func (b *Bridge) foreignStore(o *order.Order) bool {
	if o == nil || o.StoreID == "" || len(b.cfg.Stores) == 0 {
		return false
	}
	for _, s := range b.cfg.Stores {
		if strings.TrimSpace(s.ID) == o.StoreID {
			return false
		}
	}
	return true
}

// foreignNote starts the decision note of a held order.
const foreignNote = "门店号不属于本机"

// holdForeign puts an order of another store before staff, without a
// deadline (no timeout accepts it), and raises an alert.
func (b *Bridge) holdForeign(tx *store.Tx, a *after, rec *store.OrderRecord) error {
	var ours []string
	for _, s := range b.cfg.Stores {
		ours = append(ours, s.ID)
	}
	note := foreignNote + "：订单门店号 " + rec.Detail.StoreID + "，本机配置的门店为 " + strings.Join(ours, "、") +
		"。不会自动接单或打印；请确认后处理（确是本店订单时接单，再在订单详情中补打）"
	rec.Decision, rec.DecisionSince, rec.DecisionDeadline, rec.DecisionNote, rec.AlertLevel =
		store.DecisionAccept, tx.Now(), zeroTime, note, 0
	rec.PrintPending = false
	b.log.Warn("order of a store this PC does not serve held for staff", "order", rec.Code, "store", rec.Detail.StoreID)
	if err := tx.AppendHistory(store.History{Code: rec.Code, From: rec.Status, To: rec.Status, Actor: "auto",
		Source: "policy", Reason: note}); err != nil {
		return err
	}
	a.event(Event{Type: EvAlert, Kind: "foreign_store", Code: rec.Code, Level: LevelCritical,
		Message: "订单 " + pickupLabel(rec) + " 的门店号 " + rec.Detail.StoreID + " 不属于本机，已暂停处理，请确认"})
	a.event(Event{Type: EvDecision, Kind: store.DecisionAccept, Code: rec.Code, Status: string(rec.Status),
		Level: LevelCritical, Message: "订单 " + pickupLabel(rec) + " " + note})
	return nil
}

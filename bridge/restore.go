package bridge

import (
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// A local cancel, refund or reject that the platform contradicts is
// wrong: the platform keeps the money and the order. Reconciliation asks
// about recently ended orders too, and when the platform says the order is
// open (or completed) and no call of ours is still on its way, the order is
// restored to the platform's status, the kitchens that were told to stop
// are told to carry on, and staff are alerted. Before pushes were
// confirmed, one forged push ended a paid order for good this way.

// contradictedEnd reports whether platform status ps contradicts rec's end.
func contradictedEnd(rec *store.OrderRecord, ps int, codes StatusCodes) (order.Status, bool) {
	switch rec.Status {
	case order.StatusCancelled, order.StatusRefunded, order.StatusRejected:
	default:
		return "", false
	}
	switch s, _ := codes.StatusOf(ps); s {
	case order.StatusNew, order.StatusAccepted, order.StatusMade, order.StatusDelivering, order.StatusDelivered, order.StatusCompleted:
		return s, true
	}
	return "", false
}

// restoreTx brings a wrongly ended order back to the platform's status s.
func (b *Bridge) restoreTx(tx *store.Tx, a *after, rec *store.OrderRecord, s order.Status, ps int) error {
	from := rec.Status
	rec.Status, rec.PlatformStatus, rec.StatusBeforeRefund, rec.ClosedAt = s, ps, "", zeroTime
	rec.NeedsDetail, rec.DetailNextAt, rec.DetailAttempts = true, zeroTime, 0
	a.detail = true
	note := "平台显示订单为「" + s.Label() + "」，与本机的「" + from.Label() + "」不符，已按平台恢复"
	b.log.Warn("a local end of the order is contradicted by the platform: restored", "order", rec.Code,
		"local", from, "platform_status", ps)
	printers, err := tx.ReviveDroppedPrintJobs(rec.Code)
	if err != nil {
		return err
	}
	for _, p := range printers {
		a.printer(p)
	}
	if printable(s) {
		// The kitchens that printed a cancel or refund slip stopped making it.
		if _, err := b.queueToPrinted(tx, a, rec, printer.KindResume, note, isKitchen); err != nil {
			return err
		}
		rec.Paused = false
	}
	if err := tx.AppendHistory(store.History{Code: rec.Code, From: from, To: s, Actor: "platform", Source: string(order.ViaReconcile),
		Reason: note}); err != nil {
		return err
	}
	if err := tx.SaveOrder(rec); err != nil {
		return err
	}
	a.event(Event{Type: EvOrder, Code: rec.Code, Status: string(s), Message: note})
	if err := b.reportTx(tx, a, rec, outcome{from: from, to: s, note: note}, "platform"); err != nil {
		return err
	}
	a.event(Event{Type: EvAlert, Kind: "end_contradicted", Code: rec.Code, Level: LevelCritical,
		Message: "订单 " + pickupLabel(rec) + " " + note + "：请确认是否继续制作"})
	if s == order.StatusNew && rec.Detail != nil && rec.Decision == store.DecisionNone {
		return b.decideAccept(tx, a, rec)
	}
	return nil
}

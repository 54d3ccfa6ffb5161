package bridge

import "github.com/posbridge/posbridge/order"

// move is one order transition, logged at INFO once its transaction
// committed: one line per step of an order, so the log tells an order's
// story without the database.
type move struct {
	code, pickup, storeID string
	from, to              order.Status
	actor, source, note   string
}

func (a *after) moved(m move) { a.moves = append(a.moves, m) }

func (b *Bridge) logMoves(moves []move) {
	for _, m := range moves {
		args := []any{"order", m.code, "pickup", m.pickup, "store", m.storeID, "to", m.to, "by", m.actor, "via", m.source}
		if m.from != "" {
			args = append(args, "from", m.from)
		}
		if m.note != "" {
			args = append(args, "note", m.note)
		}
		b.log.Info("order "+string(m.to), args...)
	}
}

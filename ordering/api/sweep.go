package api

import (
	"context"
	"time"

	"github.com/posbridge/posbridge/ordering/orders"
)

// Sweeper options: what happens to an order nobody accepted in time.
type Sweeper struct {
	// AcceptDeadline: an order still awaiting the store after this is
	// rejected by itself (0 = never).
	AcceptDeadline time.Duration
	// Expire rejects an order through the flow (bridge: the reject, slips,
	// the console); nil sets the status here.
	Expire func(ctx context.Context, id int64, note string) error
	// Every is how often it looks (default 1s).
	Every time.Duration
}

// ExpiredNote is what the phone shows of an order the store never answered.
const ExpiredNote = "商家暂时没有确认订单，已自动取消，请到柜台咨询或重新下单。"

// Run hands over the orders a crash kept from the flow and rejects those
// past the accept deadline, until ctx ends.
func (s *Server) Run(ctx context.Context, sw Sweeper) {
	every := sw.Every
	if every <= 0 {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.Sweep(ctx, sw)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Sweep is one round of Run.
func (s *Server) Sweep(ctx context.Context, sw Sweeper) {
	s.placing.Lock()
	defer s.placing.Unlock()
	if s.opt.Placer != nil {
		list, err := s.opt.DB.UnplacedOrderingOrders(ctx, 100)
		if err != nil {
			s.log.Warn("ordering: cannot list orders to hand over", "err", err)
		}
		for _, o := range list {
			s.place(ctx, o)
		}
	}
	if sw.AcceptDeadline <= 0 {
		return
	}
	late, err := s.opt.DB.OrderingAwaiting(ctx, s.now().Add(-sw.AcceptDeadline))
	if err != nil {
		s.log.Warn("ordering: cannot list orders past the accept deadline", "err", err)
		return
	}
	for _, o := range late {
		var err error
		if sw.Expire != nil {
			err = sw.Expire(ctx, o.ID, ExpiredNote)
		} else {
			_, err = s.SetStatus(ctx, o.ID, orders.Rejected, ExpiredNote, orders.Awaiting)
		}
		if err != nil {
			s.log.Warn("ordering: cannot reject an order past the accept deadline", "trade_no", o.TradeNo, "err", err)
		} else {
			s.log.Info("ordering: order rejected, nobody accepted it in time", "trade_no", o.TradeNo, "deadline", sw.AcceptDeadline)
		}
	}
}

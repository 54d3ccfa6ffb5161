package app

import (
	"context"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/ordering/api"
	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/store"
)

// The member ledger as the daemon runs it (issue 18): one ledger over the
// store's database for the phones' §11–§14 endpoints and the console's 会员
// view, and a sweep that expires unpaid top-up orders.

func memberLedger(cfg *config.Config, db *store.DB) *members.Ledger {
	return members.New(db, cfg.Ordering.MembersConfig())
}

// memberOptions switch the member endpoints on for the ordering listener.
// Top-ups are paid through the restaurant's providers of the online
// payment (the menu's pay_mch); without one, can_order is false.
func (s *scanToOrder) memberOptions() *api.MemberOptions {
	if s.ledger == nil {
		return nil
	}
	mo := &api.MemberOptions{Ledger: s.ledger, PublicURL: s.cfg.Ordering.PublicURL, DepositTTL: s.cfg.Ordering.Payment.Expire}
	if mo.PublicURL == "" {
		mo.PublicURL = "http://" + s.cfg.Ordering.Listen
	}
	if oc := s.customers; oc != nil {
		mo.TopUpProvider = func(rid int64, mch string) payment.Provider { return oc.providers[rid][mch] }
	}
	return mo
}

// topUpProvider is a restaurant's provider of that name (nil without one).
func (s *scanToOrder) topUpProvider(rid int64, name string) payment.Provider {
	if oc := s.customers; oc != nil {
		if p, ok := oc.providers[rid][name]; ok {
			return p
		}
	}
	return nil
}

// runMembers expires unpaid top-up orders, sends the refunds staff made of
// top-ups (the outbox) and credits back card payments of orders that were
// rejected or cancelled, once a minute.
func (s *scanToOrder) runMembers(ctx context.Context) error {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if n, err := s.ledger.ExpireDeposits(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("members: cannot expire top-up orders", "err", err)
		} else if n > 0 {
			s.log.Info("members: top-up orders expired", "count", n)
		}
		if n, err := s.ledger.SendDepositRefunds(ctx, s.topUpProvider, s.log); err != nil && ctx.Err() == nil {
			s.log.Warn("members: cannot send top-up refunds", "err", err)
		} else if n > 0 {
			s.log.Info("members: top-ups refunded at the provider", "count", n)
		}
		if n, err := s.ledger.RefundEndedOrders(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("members: cannot credit back card payments of cancelled orders", "err", err)
		} else if n > 0 {
			s.log.Info("members: card payments of cancelled orders credited back", "count", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

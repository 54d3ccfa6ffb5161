package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/console"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/channel"
	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/ordering/service"
	"github.com/posbridge/posbridge/ordering/simulate"
	"github.com/posbridge/posbridge/ordering/sticker"
	"github.com/posbridge/posbridge/store"
)

// scanToOrder is the scan-to-order channel as the daemon runs it: its
// bridge channel, registered before bridge starts, and its listener and
// sweep, started once bridge exists. Everything is nil when
// ordering.listen is "".
type scanToOrder struct {
	cfg     *config.Config
	db      *store.DB
	log     *slog.Logger
	now     func() time.Time
	channel *channel.Channel
	svc     *service.Channel
	// customers: logins and online payment (ordering_customers.go)
	customers *orderingCustomers
	ledger    *members.Ledger // members.go
}

func newScanToOrder(cfg *config.Config, db *store.DB, log *slog.Logger, now func() time.Time) *scanToOrder {
	s := &scanToOrder{cfg: cfg, db: db, log: log, now: now, ledger: memberLedger(cfg, db)}
	if cfg.Ordering.Listen == "" {
		return s
	}
	s.channel = channel.New(channel.Options{DB: db, HoldLead: cfg.Accept.HoldLead, Now: now, Changed: func(id int64) {
		if s.svc != nil {
			s.svc.API.Changed(id)
			s.customers.changed(context.Background(), db, id)
		}
	}})
	return s
}

// channels are the bridge channels it adds.
func (s *scanToOrder) channels() []bridge.Channel {
	if s.channel == nil {
		return nil
	}
	return []bridge.Channel{s.channel}
}

// menus is the console's 菜单 view of it (nil when off: an interface
// holding a nil pointer would not be nil).
func (s *scanToOrder) menus() console.MenuDesk {
	if s.svc == nil {
		return nil
	}
	return s.svc
}

// open loads the menus, opens the listener and starts it and the sweep;
// it returns the listener's address.
func (s *scanToOrder) open(ctx context.Context, b *bridge.Bridge, fleet *LiveFleet, start func(string, func(context.Context) error)) (string, error) {
	if s.channel == nil {
		return "", nil
	}
	cfg := s.cfg
	extend, err := s.openCustomers(start)
	if err != nil {
		return "", err
	}
	svc, err := service.Open(ctx, service.Options{
		Extend: extend,
		Config: cfg, DB: s.db, Now: s.now, Log: s.log,
		Placer:     channel.Placer{DB: s.db, Wake: b.NotifyInbox},
		PrintImage: fleet.PrintImage,
		Members:    s.memberOptions(),
		Expire:     func(ctx context.Context, id int64, note string) error { return s.expire(ctx, b, id, note) },
		MenuProblem: func(rid int64, path string, err error) {
			if err == nil {
				return
			}
			b.Bus().Publish(bridge.Event{Type: bridge.EvAlert, Kind: fmt.Sprintf("menu:%d", rid), Level: bridge.LevelCritical,
				Message: fmt.Sprintf("扫码点餐菜单 %s 改坏了，仍在用上一份正确的菜单：%v（用 posbridge menu check 查看每处问题）", path, err)})
		},
	})
	if err != nil {
		return "", err
	}
	s.svc = svc
	s.customers.setServer(svc.API)
	ln, err := console.Listen(cfg.Ordering.Listen)
	if err != nil {
		svc.Close()
		return "", err
	}
	if cfg.Sandbox && cfg.Ordering.PublicURL == "" {
		cfg.Ordering.PublicURL = "http://" + ln.Addr().String() // the sandbox's phones are on this PC
	}
	var tlsCfg *tls.Config
	if cfg.Ordering.TLSCertFile != "" {
		cert, err := tls.LoadX509KeyPair(cfg.Ordering.TLSCertFile, cfg.Ordering.TLSKeyFile)
		if err != nil {
			ln.Close()
			svc.Close()
			return "", fmt.Errorf("ordering TLS certificate: %w", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	start("ordering listener", func(ctx context.Context) error {
		defer svc.Close()
		return console.Serve(ctx, ln, svc.API, tlsCfg, s.log)
	})
	start("ordering sweep", svc.Run)
	start("member top-up expiry", s.runMembers)
	if cfg.Sandbox && len(cfg.Ordering.Restaurants) > 0 {
		guests := &simulate.Customers{Base: "http://" + ln.Addr().String(), Restaurant: cfg.Ordering.Restaurants[0].ID,
			Tables: []int64{1, 2, 3, 4, -2, -2, -1}, Log: s.log}
		start("sandbox guests", guests.Run)
	}
	return ln.Addr().String(), nil
}

// tableURL is the page of the first real table of the first restaurant,
// for the banner ("" when there is none).
func (s *scanToOrder) tableURL() string {
	if s.svc == nil || s.cfg.Ordering.PublicURL == "" {
		return ""
	}
	for _, r := range s.svc.Restaurants() {
		m, _, ok := s.svc.Menu(r.ID)
		if !ok {
			continue
		}
		for _, t := range m.Restaurant.Tables {
			if !t.IsVirtual() {
				u, err := sticker.URL(s.cfg.Ordering.PublicURL, r.ID, t.ID, t.QRCodeVersion)
				if err == nil {
					return u + "  (" + t.Name + ")"
				}
			}
		}
	}
	return ""
}

// expire rejects an order nobody accepted in time, through bridge (the
// console, the slips, the phone); an order bridge has moved on meanwhile
// (accepted, its call not yet carried out) is left alone.
func (s *scanToOrder) expire(ctx context.Context, b *bridge.Bridge, id int64, note string) error {
	o, err := s.db.OrderingOrder(ctx, id)
	if err != nil {
		return err
	}
	rec, err := s.db.GetOrder(ctx, o.TradeNo)
	if errors.Is(err, store.ErrNotFound) {
		return nil // not in the flow yet: the hand-over comes first
	}
	if err != nil {
		return err
	}
	if rec.Status != order.StatusNew {
		return nil
	}
	_, err = b.Do(ctx, bridge.ActionRequest{Action: bridge.ActReject, Code: o.TradeNo, Actor: "auto", Reason: note})
	return err
}

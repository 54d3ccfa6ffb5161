package simulate

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"
)

// Customers are the sandbox's simulated guests: now and then one scans a
// table's (or the counter's) sticker and orders through the real API, so a
// newcomer sees scan-to-order orders arrive on the console beside 开个店's.
type Customers struct {
	Base       string
	Restaurant int64
	Tables     []int64       // the tids guests scan
	Every      time.Duration // mean time between orders (default 45 s)
	Log        *slog.Logger
}

// Run orders until ctx ends. A closed restaurant or a full table is what a
// real guest would meet too: logged, not an error.
func (c *Customers) Run(ctx context.Context) error {
	every := c.Every
	if every <= 0 {
		every = 45 * time.Second
	}
	log := c.Log
	if log == nil {
		log = slog.Default()
	}
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 15))
	client := &http.Client{Timeout: 10 * time.Second}
	wait := 5 * time.Second // the first guest soon after the start
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = every/2 + time.Duration(r.Int64N(int64(every)))
		if len(c.Tables) == 0 {
			continue
		}
		p := &Phone{Base: c.Base, Client: client, Restaurant: c.Restaurant, Table: c.Tables[r.IntN(len(c.Tables))], Rand: r}
		o, err := p.Order(ctx)
		var se *StatusError
		switch {
		case errors.As(err, &se):
			log.Info("sandbox: a simulated guest could not order", "table", p.Table, "status", se.Status, "reply", se.Body)
		case err != nil && ctx.Err() == nil:
			log.Warn("sandbox: a simulated guest could not reach the ordering listener", "err", err)
		case err == nil:
			log.Info("sandbox: a simulated guest ordered", "table", p.Table, "trade_no", o.TradeNo, "take_code", o.TakeCode)
		}
	}
}

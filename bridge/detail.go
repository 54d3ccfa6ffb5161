package bridge

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// detailBatch is how many codes one queryDetail call carries (the platform's limit).
const detailBatch = 10

// detailParallel is how many queryDetail calls the detail loop makes at once.
// One at a time, a burst's details waited on each call's round trip and
// then on its commit before the next call went out (ingest was bound by it
// once pushes were acknowledged quickly); the client's rate limit still
// spaces the calls.
const detailParallel = 5

// detailLoop fetches the detail of every new or changed order, from the
// channel of its source.
func (b *Bridge) detailLoop(ctx context.Context) {
	for {
		full := false
		for _, source := range b.channels.sources() {
			ch := b.channels[source]
			codes, claimed := b.detailCodes(ctx, source)
			// Each call gets codes of its own; the next listing waits for all.
			var wg sync.WaitGroup
			for start := 0; start < len(codes); start += detailBatch {
				if ctx.Err() != nil {
					break
				}
				batch := codes[start:min(start+detailBatch, len(codes))]
				wg.Go(func() { b.fetchDetails(ctx, ch, batch, claimed) })
			}
			wg.Wait()
			full = full || len(codes) == detailParallel*detailBatch
		}
		if ctx.Err() != nil {
			return
		}
		if full {
			continue
		}
		if !sleep(ctx, time.Second, b.detailWake) {
			return
		}
	}
}

// detailCodes lists the orders whose detail is due and the unauthenticated
// claims to confirm (claims.go), without repeats; claimed marks the latter.
func (b *Bridge) detailCodes(ctx context.Context, source order.Source) (codes []string, claimed map[string]bool) {
	now, limit := b.now(), detailParallel*detailBatch
	codes, err := b.db.OrdersNeedingDetail(ctx, source, now, limit)
	if err != nil && ctx.Err() == nil {
		b.log.Error("list orders needing detail", "err", err)
	}
	claims, err := b.db.DueClaims(ctx, source, now, limit)
	if err != nil && ctx.Err() == nil {
		b.log.Error("list claims to confirm", "err", err)
	}
	if len(claims) == 0 {
		return codes, nil
	}
	claimed = make(map[string]bool, len(claims))
	for _, c := range claims {
		claimed[c] = true
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(codes)+len(claims))
	for _, c := range append(claims, codes...) {
		if !seen[c] && len(out) < limit {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out, claimed
}

func (b *Bridge) fetchDetails(ctx context.Context, ch Channel, codes []string, claimed map[string]bool) {
	details, err := ch.Details(ctx, codes)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		b.log.Warn("queryDetail failed; will retry", "source", ch.Source(), "orders", len(codes), "err", err)
		b.channelError(ch, "queryDetail", err)
		b.detailFailed(ctx, codes, "查询订单详情失败："+ch.Classify(err).Message)
		return
	}
	b.channelOK(ch)
	got := map[string]bool{}
	var fetched []Detail
	for _, d := range details {
		if d.Order.Code == "" || got[d.Order.Code] {
			continue
		}
		got[d.Order.Code] = true
		fetched = append(fetched, d)
	}
	b.applyDetails(ctx, fetched, claimed)
	var missing []string
	for _, c := range codes {
		if !got[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		b.detailFailed(ctx, missing, "平台未返回该订单详情")
	}
}

// detailFailed schedules another try with a growing delay (capped at 5 minutes).
func (b *Bridge) detailFailed(ctx context.Context, codes []string, reason string) {
	err := b.db.Write(ctx, func(tx *store.Tx) error {
		for _, c := range codes {
			rec, err := tx.GetOrder(c)
			if err != nil {
				continue
			}
			rec.DetailAttempts++
			rec.DetailError = reason
			rec.DetailNextAt = tx.Now().Add(backoff(time.Second, 5*time.Minute, rec.DetailAttempts))
			if err := tx.SaveOrder(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && ctx.Err() == nil {
		b.log.Error("record detail failure", "err", err)
	}
	b.claimsMissed(ctx, codes) // the codes that were claims (claims.go)
}

// applyDetails stores the details one queryDetail call brought, in one
// transaction, each in a savepoint of its own so that one that cannot be
// stored does not hold back the others. When the transaction itself fails,
// each is stored alone.
func (b *Bridge) applyDetails(ctx context.Context, details []Detail, claimed map[string]bool) {
	apply := func(tx *store.Tx, a *after, d Detail) error {
		if claimed[d.Order.Code] {
			return b.confirmClaimTx(tx, a, d)
		}
		return b.applyDetailTx(tx, a, d)
	}
	if len(details) > 1 {
		failed, err := writeValue(ctx, b, func(tx *store.Tx, a *after) (map[int]error, error) {
			failed := map[int]error{}
			for i, d := range details {
				err := inStep(tx, a, func() error { return apply(tx, a, d) })
				if errors.Is(err, store.ErrTxBroken) {
					return nil, err
				}
				if err != nil {
					failed[i] = err
				}
			}
			return failed, nil
		})
		if err == nil {
			for i, ferr := range failed {
				b.log.Error("store order detail", "order", details[i].Order.Code, "err", ferr)
			}
			return
		}
	}
	for _, d := range details {
		err := b.write(ctx, func(tx *store.Tx, a *after) error { return apply(tx, a, d) })
		if err != nil && ctx.Err() == nil {
			b.log.Error("store order detail", "order", d.Order.Code, "err", err)
		}
	}
}

func (b *Bridge) applyDetailTx(tx *store.Tx, a *after, d Detail) error {
	rec, err := tx.GetOrder(d.Order.Code)
	if errors.Is(err, store.ErrNotFound) {
		return nil // pruned meanwhile
	}
	if err != nil {
		return err
	}
	detail := d.Order
	partlyRefunded := partlyRefundedNow(rec.Detail, &detail)
	keepAddress(rec.Detail, &detail)
	rec.Detail, rec.RawDetail = &detail, d.Raw
	if needsAddress(&detail) && !rec.NeedsAddress && rec.AddressAttempts < addressAttempts && b.history(rec.Source) != nil {
		rec.NeedsAddress, rec.AddressNextAt = true, zeroTime
		a.address = true
	}
	rec.NeedsDetail, rec.DetailAttempts, rec.DetailError, rec.DetailNextAt = false, 0, "", zeroTime
	fillFromHeader(rec, &detail)
	if rec.Day == "" {
		rec.Day = BusinessDay(tx.Now())
	}
	out := outcome{from: rec.Status, to: rec.Status}
	if detail.PlatformStatus != 0 && detail.PlatformStatus != rec.PlatformStatus {
		out = applyToRecord(rec, order.Change{Kind: order.ChangeStatus, Via: order.ViaPoll, Source: rec.Source, Code: rec.Code,
			PlatformStatus: detail.PlatformStatus}, b.codes(rec.Source))
	}
	if rec.Status == order.StatusNew && rec.Decision == store.DecisionNone {
		if b.cfg.Print.On == "arrival" {
			out.add(effPrintOrder)
		}
		out.add(effRunPolicy)
	}
	if rec.PrintPending && printable(rec.Status) {
		out.add(effPrintOrder)
	}
	if partlyRefunded {
		out.note = "部分退款（退款金额与商品请在开个店后台查看）"
		out.add(effPartialRefund)
	}
	if err := b.runEffects(tx, a, rec, out, "platform"); err != nil {
		return err
	}
	return b.record(tx, a, rec, out, "platform", "detail")
}

// printable reports whether the kitchen should get tickets of an order in s.
func printable(s order.Status) bool {
	switch s {
	case order.StatusAccepted, order.StatusMade, order.StatusDelivering:
		return true
	}
	return false
}

package poller

import "context"

// refundsOnWake polls the refunds of every store at once when the bridge
// asks (a claim about a refund request waits for the refund poll to
// confirm it), besides the refund loop's own interval.
func (p *Poller) refundsOnWake(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.bridge.RefundPollWake():
		}
		for _, s := range p.cfg.Stores {
			if _, err := p.PollRefunds(ctx, s.ID); err != nil && ctx.Err() == nil {
				p.log.Warn("refund poll on request failed; the refund loop tries again", "store", s.ID, "err", err)
			}
		}
	}
}

package app

import "context"

// pruneKeysAndClaims follows pruneOnce: offline orders' keys and push claims
// older than retention.days (store.PruneKeysAndClaims).
func (r *retention) pruneKeysAndClaims(ctx context.Context) {
	before := r.now().AddDate(0, 0, -r.days)
	keys, claims, err := r.db.PruneKeysAndClaims(ctx, before)
	switch {
	case err != nil && ctx.Err() == nil:
		r.log.Warn("pruning old offline-order keys and push claims failed; retrying in a day", "err", err)
	case keys+claims > 0:
		r.log.Info("pruned offline-order keys and push claims older than retention.days", "pos_keys", keys, "push_claims", claims)
	}
}

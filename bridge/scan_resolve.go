package bridge

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// ScanCandidate is one of the orders a shared pickup number names: the
// console shows them to pick from.
type ScanCandidate struct {
	Code   string
	Source order.Source
	Label  string
	Store  string
	// StoreName tells two stores' 1001 apart on the picker.
	StoreName string
	Pickup    string
	Table     string
	Status    order.Status
	Created   time.Time
}

// pickupSpan is how far back a typed pickup number is looked for.
const pickupSpan = 24 * time.Hour

// SplitSourcePrefix reads "ordering:11796…" or "kaigedian:1796…": the code
// and the source it names ("" when none is named).
func SplitSourcePrefix(code string) (order.Source, string) {
	for _, s := range []order.Source{order.SourceOrdering, order.SourceKaigedian} {
		if rest, ok := strings.CutPrefix(code, string(s)+":"); ok {
			return s, strings.TrimSpace(rest)
		}
	}
	return "", code
}

// lookupCode finds the order a code names across sources: its order code
// (a source prefix makes it explicit), else the pickup number (take code)
// of an open order of the last day. Several orders sharing the number come
// back as candidates.
func (b *Bridge) lookupCode(ctx context.Context, raw string) (*store.OrderRecord, []ScanCandidate, error) {
	source, code := SplitSourcePrefix(raw)
	rec, err := b.db.GetOrder(ctx, code)
	switch {
	case err == nil && (source == "" || rec.Source.Or(order.SourceKaigedian) == source):
		return rec, nil, nil
	case err == nil:
		return nil, nil, store.ErrNotFound // the code is another source's
	case !errors.Is(err, store.ErrNotFound):
		return nil, nil, err
	}
	if source != "" || len(code) > 8 {
		return nil, nil, store.ErrNotFound // pickup numbers are short
	}
	recs, err := b.db.OpenOrdersByPickup(ctx, code, b.now().Add(-pickupSpan))
	if err != nil {
		return nil, nil, err
	}
	switch len(recs) {
	case 0:
		return nil, nil, store.ErrNotFound
	case 1:
		return recs[0], nil, nil
	}
	out := make([]ScanCandidate, len(recs))
	for i, r := range recs {
		out[i] = ScanCandidate{Code: r.Code, Source: r.Source.Or(order.SourceKaigedian), Label: r.Source.Label(), Store: r.StoreID,
			Pickup: r.PickupNo, Status: r.Status, Created: APITime(r.CreatedAt)}
		for _, st := range b.cfg.Stores {
			if st.ID == r.StoreID {
				out[i].StoreName = st.Name
			}
		}
		if r.Detail != nil {
			out[i].Table = r.Detail.Table
			if out[i].StoreName == "" {
				out[i].StoreName = r.Detail.StoreName
			}
		}
	}
	return nil, out, nil
}

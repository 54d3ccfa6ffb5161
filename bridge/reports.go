package bridge

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/posbridge/posbridge/store"
)

// sendReport makes one attempt of a reporter's row. A report has no
// standing to look up: reporters take the same transaction id twice
// (Report is idempotent), so a retry goes out under the row's first id.
func (b *Bridge) sendReport(ctx context.Context, rep Reporter, row *store.OutboxRow) {
	var t Transition
	if err := json.Unmarshal(row.Payload, &t); err != nil {
		b.outboxFailed(ctx, row, fmt.Errorf("outbox row %d: %w", row.ID, err), "记录无法读取")
		return
	}
	err := rep.Report(ctx, row.TxID, t)
	if ctx.Err() != nil {
		return
	}
	if err == nil {
		if werr := b.db.Write(ctx, func(tx *store.Tx) error { return tx.MarkOutboxDone(row.ID, "") }); werr != nil {
			b.log.Error("record report success", "tx_id", row.TxID, "err", werr)
		}
		return
	}
	verdict := rep.Classify(err)
	b.log.Warn("report failed", "reporter", rep.Name(), "order", row.OrderCode, "to", row.Op, "tx_id", row.TxID,
		"attempt", row.Attempts+1, "retryable", verdict.Retry, "err", err)
	if !verdict.Retry {
		b.outboxFailed(ctx, row, err, verdict.Message)
		return
	}
	b.outboxRetry(ctx, row, err, verdict.Message)
}

// destinationLabel names where a row goes, for staff: 平台 for a channel's
// call, the reporter's name for a report.
func (b *Bridge) destinationLabel(row *store.OutboxRow) string {
	if _, ok := b.reporters[row.Destination]; ok {
		return row.Destination
	}
	return "平台"
}

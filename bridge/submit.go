package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/store"
)

// SubmitProblemsError lists what is missing or wrong in an offline order.
type SubmitProblemsError struct {
	Problems []kaigedian.FieldError
}

func (e *SubmitProblemsError) Error() string {
	return fmt.Sprintf("offline order has %d problem(s)", len(e.Problems))
}

// SubmitPOS queues an offline (cashier-paid) order for /order/submit, given
// as the document's JSON. It is checked against the document's required
// fields and types first (every problem listed), then written to the outbox
// and sent with retries. The returned id identifies it locally.
func (b *Bridge) SubmitPOS(ctx context.Context, raw []byte, actor string) (int64, error) {
	req, problems := kaigedian.DecodeSubmitRequest(raw)
	if len(problems) > 0 {
		return 0, &SubmitProblemsError{Problems: problems}
	}
	payload, err := json.Marshal(req)
	if err != nil {
		return 0, err
	}
	var id int64
	err = b.write(ctx, func(tx *store.Tx, a *after) error {
		txID := store.NewTxID()
		var err error
		id, err = tx.EnqueueOutbox(store.OutboxRow{TxID: txID, Kind: "submit", Op: "submit", Lane: "pos:" + txID,
			Payload: payload, Actor: actor})
		if err != nil {
			return err
		}
		a.outbox = true
		return tx.AppendAudit(store.Audit{Actor: actor, Action: "pos_submit", Detail: fmt.Sprint(id)})
	})
	return id, err
}

// POSOrder is the state of an offline order handed in by the cashier system.
type POSOrder struct {
	ID        int64     `json:"id"`
	State     string    `json:"state"` // pending | done | failed
	OrderCode string    `json:"order_code,omitempty"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

// ErrUnknownPOSOrder is returned for an id that is not an offline order.
var ErrUnknownPOSOrder = errors.New("未找到该线下订单")

// POSOrderState reads an offline order's state.
func (b *Bridge) POSOrderState(ctx context.Context, id int64) (POSOrder, error) {
	row, err := b.db.GetOutbox(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && row.Kind != "submit") {
		return POSOrder{}, ErrUnknownPOSOrder
	}
	if err != nil {
		return POSOrder{}, err
	}
	p := POSOrder{ID: row.ID, State: row.State, Attempts: row.Attempts, LastError: row.LastError,
		CreatedAt: APITime(row.CreatedAt), DoneAt: APITime(row.DoneAt)}
	var res struct {
		OrderCode string `json:"order_code"`
	}
	if row.Result != "" && json.Unmarshal([]byte(row.Result), &res) == nil {
		p.OrderCode = res.OrderCode
	}
	return p, nil
}

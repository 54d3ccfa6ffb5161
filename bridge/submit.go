package bridge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/posbridge/posbridge/store"
)

// Submissions is the channel that takes the orders a cashier system hands
// in (开个店's /order/submit): it reads them in its document's terms.
// kaigedian/channel implements it.
type Submissions interface {
	// DecodeSubmission checks an offline order as handed in and returns it;
	// problems lists every field missing or wrong.
	DecodeSubmission(raw []byte) (s Submission, problems []FieldProblem)
	// StampSubmission is a decoded order (Submission.Canonical) with the
	// third-party code the bridge gave it: what the outbox row sends.
	StampSubmission(canonical []byte, thirdCode string) ([]byte, error)
}

// Submission is an offline order as its channel read it.
type Submission struct {
	StoreID   string
	ThirdCode string // the cashier system's own code ("" when it gave none)
	// Canonical is the order as decoded: its hash tells a resend of the
	// same order from a different one under the same key.
	Canonical []byte
}

// FieldProblem is one field missing or wrong, named as the document
// names it (e.g. "orderItemList[0].productName").
type FieldProblem struct {
	Field   string
	Problem string
}

// SubmitProblemsError lists what is missing or wrong in an offline order.
type SubmitProblemsError struct {
	Problems []FieldProblem
}

func (e *SubmitProblemsError) Error() string {
	return fmt.Sprintf("offline order has %d problem(s)", len(e.Problems))
}

// SubmitPOS queues an offline (cashier-paid) order for /order/submit, given
// as the document's JSON. It is checked against the document's required
// fields and types first (every problem listed), then written to the outbox
// and sent with retries. The returned id identifies it locally.
//
// The same order handed in twice is uploaded once: a request whose
// thirdOrderCode (per store) or idemKey (the Idempotency-Key header) was
// seen before answers with the first one's id and duplicate set; the same
// key with a different order is a *SubmitConflictError. An order without a
// thirdOrderCode gets one ("PB" and 20 hex digits), so that a retry after a
// lost reply can find it on the platform instead of uploading it again.
func (b *Bridge) SubmitPOS(ctx context.Context, raw []byte, actor, idemKey string) (id int64, duplicate bool, err error) {
	ch, err := b.storeChannel()
	if err != nil {
		return 0, false, err
	}
	pos, ok := ch.(Submissions)
	if !ok {
		return 0, false, fmt.Errorf("bridge: the %s channel takes no offline orders", ch.Source())
	}
	req, problems := pos.DecodeSubmission(raw)
	if len(problems) > 0 {
		return 0, false, &SubmitProblemsError{Problems: problems}
	}
	if len(idemKey) > 200 {
		return 0, false, &SubmitProblemsError{Problems: []FieldProblem{{Field: "Idempotency-Key", Problem: "is longer than 200 characters"}}}
	}
	sum := sha256.Sum256(req.Canonical)
	hash := hex.EncodeToString(sum[:])
	var keys []string
	if idemKey != "" {
		keys = append(keys, "idem:"+idemKey)
	}
	thirdCode := req.ThirdCode
	if thirdCode != "" {
		keys = append(keys, "third:"+req.StoreID+":"+thirdCode)
	} else {
		thirdCode = "PB" + strings.ReplaceAll(store.NewTxID(), "-", "")[:20]
	}
	payload, err := pos.StampSubmission(req.Canonical, thirdCode)
	if err != nil {
		return 0, false, err
	}
	err = b.write(ctx, func(tx *store.Tx, a *after) error {
		id, duplicate = 0, false
		for _, k := range keys {
			seen, err := tx.POSKeyOf(k)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if seen.BodyHash != hash {
				return &SubmitConflictError{Key: k, ID: seen.OutboxID}
			}
			id, duplicate = seen.OutboxID, true
			return nil
		}
		txID := store.NewTxID()
		var err error
		id, err = tx.EnqueueOutbox(store.OutboxRow{TxID: txID, Kind: "submit", Op: "submit", Lane: "pos:" + txID,
			Payload: payload, Actor: actor})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.SavePOSKey(store.POSKey{Key: k, OutboxID: id, BodyHash: hash}); err != nil {
				return err
			}
		}
		a.outbox = true
		return tx.AppendAudit(store.Audit{Actor: actor, Action: "pos_submit", Detail: fmt.Sprintf("%d %s", id, thirdCode)})
	})
	return id, duplicate, err
}

// SubmitConflictError is an offline order handed in under a key (its
// thirdOrderCode, or an Idempotency-Key) that an other order has already.
type SubmitConflictError struct {
	Key string
	ID  int64 // the order that has the key
}

func (e *SubmitConflictError) Error() string {
	what := "thirdOrderCode"
	if strings.HasPrefix(e.Key, "idem:") {
		what = "Idempotency-Key"
	}
	return fmt.Sprintf("该 %s 已用于另一张不同的线下订单（编号 %d）：同一订单请原样重发，不同订单请换一个", what, e.ID)
}

// POSOrder is the state of an offline order handed in by the cashier system.
type POSOrder struct {
	ID             int64     `json:"id"`
	State          string    `json:"state"` // pending | done | failed
	ThirdOrderCode string    `json:"third_order_code,omitempty"`
	OrderCode      string    `json:"order_code,omitempty"`
	Attempts       int       `json:"attempts"`
	LastError      string    `json:"last_error,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	DoneAt         time.Time `json:"done_at,omitzero"`
}

// ErrUnknownPOSOrder is returned for an id that is not an offline order.
var ErrUnknownPOSOrder = &Error{Code: ENotFound, Message: "未找到该线下订单"}

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
	var req struct {
		ThirdOrderCode string `json:"thirdOrderCode"`
	}
	if json.Unmarshal(row.Payload, &req) == nil {
		p.ThirdOrderCode = req.ThirdOrderCode
	}
	return p, nil
}

package channel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/kaigedian"
)

// The outbox kinds of 开个店's calls.
const (
	kindStatus = "status_operation"
	kindRefund = "refund_operation"
	kindCancel = "cancel"
	// KindSubmit is an offline (POS) order uploaded with /order/submit.
	KindSubmit = "submit"
)

// opPayload is the body of an outbox row for an order operation. Rows
// written before channels existed have the same shape.
type opPayload struct {
	OrderCode string          `json:"order_code"`
	Status    int             `json:"status,omitempty"` // statusOperation orderStatus
	Action    int             `json:"action,omitempty"` // refundOperation action
	Reason    string          `json:"reason,omitempty"`
	Operator  string          `json:"operator,omitempty"`
	Courier   *bridge.Courier `json:"courier,omitempty"`
	// A 围餐 order is named with orderClient 19 and its thirdOrderCode too.
	OrderClient int    `json:"order_client,omitempty"`
	ThirdCode   string `json:"third_code,omitempty"`
}

// Prepare maps a neutral action onto 开个店's call: a statusOperation to
// the action's order status, a refundOperation (1 agree, 2 refuse), or an
// after-sales /order/cancel.
func (c *Channel) Prepare(req bridge.Request) (string, []byte, error) {
	if kind, payload, ok, err := prepareStore(req); ok {
		return kind, payload, err
	}
	op := opPayload{OrderCode: req.Code, Operator: req.Operator, Reason: req.Reason}
	if req.TableDining {
		op.OrderClient, op.ThirdCode = kaigedian.OrderClientTableDining, req.ThirdCode
	}
	kind := kindStatus
	switch req.Action {
	case bridge.ActAccept:
		op.Status = kaigedian.PlatformAccepted
	case bridge.ActReject:
		op.Status = kaigedian.PlatformRejected
	case bridge.ActMade:
		op.Status = kaigedian.PlatformMade
	case bridge.ActComplete:
		op.Status = kaigedian.PlatformCompleted
	case bridge.ActDeliver:
		op.Status, op.Courier = kaigedian.PlatformDelivering, req.Courier
	case bridge.ActRefundApprove:
		kind, op.Action = kindRefund, 1
	case bridge.ActRefundReject:
		kind, op.Action = kindRefund, 2
	case bridge.ActCancel:
		kind = kindCancel
	default:
		return "", nil, fmt.Errorf("开个店 has no call for action %q", req.Action)
	}
	payload, err := json.Marshal(op)
	return kind, payload, err
}

// Send makes the call of an outbox row under its transaction id.
func (c *Channel) Send(ctx context.Context, call bridge.Call) (string, error) {
	if res, ok, err := c.sendStore(ctx, call); ok {
		return res, err
	}
	if call.Kind == KindSubmit {
		var req kaigedian.SubmitRequest
		if err := json.Unmarshal(call.Payload, &req); err != nil {
			return "", fmt.Errorf("outbox row %d: %w", call.ID, err)
		}
		code, err := c.platform.Submit(ctx, call.TxID, req)
		if err != nil {
			return "", err
		}
		res, _ := json.Marshal(map[string]string{"order_code": code})
		return string(res), nil
	}
	var op opPayload
	if err := json.Unmarshal(call.Payload, &op); err != nil {
		return "", fmt.Errorf("outbox row %d: %w", call.ID, err)
	}
	switch call.Kind {
	case kindStatus:
		req := kaigedian.StatusOperationRequest{OrderCode: op.OrderCode, OrderStatus: op.Status, Reason: op.Reason, Operator: op.Operator,
			ThirdOrderCode: op.ThirdCode, OrderClient: op.OrderClient}
		if c := op.Courier; c != nil {
			req.Delivery = &kaigedian.DeliveryInfo{ContactsName: c.Name, Mobile: c.Mobile, ExpressChannelCode: c.ChannelCode,
				ExpressChannelName: c.ChannelName, ExpressNo: c.ExpressNo, Remark: c.Remark}
		}
		return "", c.platform.StatusOperation(ctx, call.TxID, req)
	case kindRefund:
		return "", c.platform.RefundOperation(ctx, call.TxID, kaigedian.RefundOperationRequest{OrderCode: op.OrderCode,
			Action: op.Action, Reason: op.Reason, Operator: op.Operator})
	case kindCancel:
		return "", c.platform.Cancel(ctx, call.TxID, kaigedian.CancelRequest{OrderCode: op.OrderCode, Reason: op.Reason, Operator: op.Operator,
			ThirdOrderCode: op.ThirdCode, OrderClient: op.OrderClient})
	}
	return "", fmt.Errorf("outbox row %d: unknown kind %q", call.ID, call.Kind)
}

// authRefusal reports a refused signature or credential: a problem of the
// link (a key or token being changed), not of the call, which heals; the
// call is retried rather than given up.
func authRefusal(err error) bool {
	var pe *kaigedian.PlatformError
	if !errors.As(err, &pe) {
		return false
	}
	return pe.Code == "401" || pe.Code == "403" || pe.HTTPStatus == 401 || pe.HTTPStatus == 403 ||
		strings.Contains(pe.Message, "签名") || strings.Contains(pe.Message, "token")
}

package bridge

import (
	"fmt"

	"github.com/posbridge/posbridge/order"
)

// Action is a staff (or scanner) decision about an order.
type Action string

const (
	ActAccept        Action = "accept"
	ActReject        Action = "reject"
	ActMade          Action = "made"
	ActComplete      Action = "complete"
	ActDeliver       Action = "deliver"
	ActRefundApprove Action = "refund_approve"
	ActRefundReject  Action = "refund_reject"
	ActCancel        Action = "cancel" // merchant after-sales refund (/order/cancel)
)

// ErrUnknownOrder is returned for an order code posbridge has never seen.
var ErrUnknownOrder = &Error{Code: ENotFound, Message: "未找到该订单"}

// ErrReasonRequired is returned when an after-sales refund (/order/cancel) has no reason.
var ErrReasonRequired = &Error{Code: EInvalid, Message: "请填写原因"}

// StateError says that the order's state does not allow a step. Message is a
// Chinese sentence a cashier understands.
type StateError struct {
	Code    string
	Status  order.Status
	Message string
}

func (e *StateError) Error() string { return e.Message }

// stateMessage explains, in Chinese, why nothing can be done with an order in
// status s.
func stateMessage(s order.Status) string {
	switch s {
	case order.StatusPendingPayment:
		return "订单未支付"
	case order.StatusNew:
		return "该订单未接单"
	case order.StatusAccepted:
		return "订单制作中"
	case order.StatusMade:
		return "订单已制作完成"
	case order.StatusDelivering:
		return "订单配送中"
	case order.StatusCompleted:
		return "订单已完成"
	case order.StatusCancelled:
		return "订单已取消"
	case order.StatusRejected:
		return "订单已拒单"
	case order.StatusRefundRequested:
		return "顾客申请退款中，请先处理退款"
	case order.StatusRefundProcessing:
		return "已同意退款，等待平台确认"
	case order.StatusRefunded:
		return "订单已退款"
	}
	return "订单状态未知"
}

// checkAction returns the status an action leads to, or a StateError when the
// order's state does not allow it. Nothing is changed.
func checkAction(st order.State, act Action) (order.Status, error) {
	s := st.Status
	refuse := func(what string) error {
		return &StateError{Code: st.Code, Status: s, Message: stateMessage(s) + "，" + what}
	}
	switch act {
	case ActAccept:
		if s == order.StatusNew {
			return order.StatusAccepted, nil
		}
		return "", refuse("不能接单")
	case ActReject:
		if s == order.StatusNew {
			return order.StatusRejected, nil
		}
		return "", refuse("不能拒单")
	case ActMade:
		if s == order.StatusAccepted {
			return order.StatusMade, nil
		}
		return "", refuse("不能标记制作完成")
	case ActComplete:
		switch s {
		case order.StatusAccepted, order.StatusMade, order.StatusDelivering:
			return order.StatusCompleted, nil
		}
		return "", refuse("不能完成订单")
	case ActDeliver:
		if !st.Type.IsDelivery() {
			return "", &StateError{Code: st.Code, Status: s, Message: "该订单不是外送订单，不能配送"}
		}
		if s == order.StatusAccepted || s == order.StatusMade {
			return order.StatusDelivering, nil
		}
		return "", refuse("不能开始配送")
	case ActRefundApprove:
		if s == order.StatusRefundRequested {
			// Refunded only once the platform says so (machine.go).
			return order.StatusRefundProcessing, nil
		}
		return "", &StateError{Code: st.Code, Status: s, Message: "该订单没有待处理的退款申请"}
	case ActRefundReject:
		if s == order.StatusRefundRequested {
			back := st.StatusBeforeRefund
			if back == "" {
				back = order.StatusAccepted
			}
			return back, nil
		}
		return "", &StateError{Code: st.Code, Status: s, Message: "该订单没有待处理的退款申请"}
	case ActCancel:
		if st.CancelRequested {
			return "", &StateError{Code: st.Code, Status: s, Message: "已发起退款，等待平台处理"}
		}
		switch s {
		case order.StatusAccepted, order.StatusMade, order.StatusCompleted:
			return s, nil // the platform decides; the status follows its push
		case order.StatusNew:
			return "", &StateError{Code: st.Code, Status: s, Message: "该订单未接单，请使用拒单"}
		}
		return "", refuse("不能发起退款")
	}
	return "", fmt.Errorf("unknown action %q", act)
}

// Outcomes of a scan that did not fail.
const (
	ScanTaken    = "taken"
	ScanRepeated = "repeated"
)

// ScanResult is what a scan did. Outcome says so for the edges: ScanTaken
// when a step was taken, ScanRepeated for a repeated read, or the error
// code (EConflict when the state does not allow a step, ENotFound for an
// unknown code, EInvalid for an empty one, EInternal).
type ScanResult struct {
	Code    string       `json:"code,omitempty"`
	Action  string       `json:"action,omitempty"` // made | completed | duplicate_read
	Status  order.Status `json:"status,omitempty"`
	Error   string       `json:"error,omitempty"`
	Outcome string       `json:"-"`
	Pickup  string       `json:"pickup_no,omitempty"`
	Message string       `json:"message,omitempty"` // what to show large on the console
	// Candidates: a typed pickup number several orders share; staff pick one.
	Candidates []ScanCandidate `json:"candidates,omitempty"`
}

// scanStep decides what a (non-duplicate) scan of an order does.
func scanStep(st order.State) (Action, *ScanResult) {
	switch st.Status {
	case order.StatusAccepted:
		return ActMade, nil
	case order.StatusMade:
		if st.Type.IsDelivery() {
			return "", &ScanResult{Code: st.Code, Status: st.Status, Outcome: EConflict,
				Error: "外送订单已制作完成，请在控制台填写骑手信息后配送"}
		}
		return ActComplete, nil
	}
	return "", &ScanResult{Code: st.Code, Status: st.Status, Outcome: EConflict, Error: stateMessage(st.Status)}
}

package kaigedian

import (
	"context"
	"strconv"
	"strings"
)

// Commands change an order on the platform. They are never retried here:
// the caller's outbox retries them with the same transaction id.

// StatusOperation order statuses (§3.6).
const (
	OpAccept     = 3
	OpDelivering = 4
	OpComplete   = 5
	OpReject     = 7
	OpMade       = 31
)

// StatusOperationRequest moves an order: 3 accept, 7 reject (with Reason),
// 31 made, 4 delivering (with Delivery), 5 complete.
type StatusOperationRequest struct {
	OrderCode   string
	OrderStatus int
	// ThirdOrderCode and OrderClient address a 围餐 order (§3.10): the
	// platform takes either code, and orderClient 19 names the channel.
	ThirdOrderCode string
	OrderClient    int
	Reason         string
	Operator       string
	Delivery       *DeliveryInfo
}

// DeliveryInfo is the courier of a delivering order; name and mobile are required.
type DeliveryInfo struct {
	ContactsName       string `json:"contactsName"`
	Mobile             string `json:"mobile"`
	ExpressChannelCode string `json:"expressChannelCode,omitempty"`
	ExpressChannelName string `json:"expressChannelName,omitempty"`
	ExpressNo          string `json:"expressNo,omitempty"`
	Remark             string `json:"remark,omitempty"`
}

type wireStatusOperation struct {
	OrderCode      string        `json:"orderCode,omitempty"`
	ThirdOrderCode string        `json:"thirdOrderCode,omitempty"`
	OrderStatus    string        `json:"orderStatus"` // a String in the table
	OrderClient    string        `json:"orderClient,omitempty"`
	Reason         string        `json:"reason,omitempty"`
	Operator       string        `json:"operator,omitempty"`
	DeliveryInfo   *DeliveryInfo `json:"deliveryInfo,omitempty"`
}

// Validate lists what is wrong with the request.
func (r StatusOperationRequest) Validate() []FieldError {
	var p []FieldError
	if strings.TrimSpace(r.OrderCode) == "" && strings.TrimSpace(r.ThirdOrderCode) == "" {
		p = append(p, FieldError{"orderCode", "is empty"})
	}
	switch r.OrderStatus {
	case OpAccept, OpMade, OpComplete, OpReject:
	case OpDelivering:
		switch {
		case r.Delivery == nil:
			p = append(p, FieldError{"deliveryInfo", "is required for status 4 (delivering)"})
		default:
			if strings.TrimSpace(r.Delivery.ContactsName) == "" {
				p = append(p, FieldError{"deliveryInfo.contactsName", "is empty (courier name)"})
			}
			if strings.TrimSpace(r.Delivery.Mobile) == "" {
				p = append(p, FieldError{"deliveryInfo.mobile", "is empty (courier phone)"})
			}
		}
	default:
		p = append(p, FieldError{"orderStatus", strconv.Itoa(r.OrderStatus) + " is not one of 3, 4, 5, 7, 31"})
	}
	return p
}

// StatusOperation sends /order/statusOperation once with transaction id txID.
func (c *Client) StatusOperation(ctx context.Context, txID string, req StatusOperationRequest) error {
	if err := invalid(PathStatusOperation, req.Validate()); err != nil {
		return err
	}
	body := wireStatusOperation{
		OrderCode:      strings.TrimSpace(req.OrderCode),
		ThirdOrderCode: strings.TrimSpace(req.ThirdOrderCode),
		OrderStatus:    strconv.Itoa(req.OrderStatus),
		OrderClient:    orderClientText(req.OrderClient),
		Reason:         req.Reason,
		Operator:       req.Operator,
	}
	if req.OrderStatus == OpDelivering {
		body.DeliveryInfo = req.Delivery
	}
	_, err := c.command(ctx, PathStatusOperation, txID, body)
	return err
}

// Refund decisions (§3.7).
const (
	RefundAgree  = 1
	RefundRefuse = 2
)

// RefundOperationRequest answers a customer's refund request.
type RefundOperationRequest struct {
	OrderCode string
	Action    int // 1 agree, 2 refuse
	Reason    string
	Operator  string
}

// Validate lists what is wrong with the request.
func (r RefundOperationRequest) Validate() []FieldError {
	var p []FieldError
	if strings.TrimSpace(r.OrderCode) == "" {
		p = append(p, FieldError{"orderCode", "is empty"})
	}
	if r.Action != RefundAgree && r.Action != RefundRefuse {
		p = append(p, FieldError{"action", strconv.Itoa(r.Action) + " is not 1 (agree) or 2 (refuse)"})
	}
	return p
}

// RefundOperation sends /order/refundOperation once with transaction id txID.
func (c *Client) RefundOperation(ctx context.Context, txID string, req RefundOperationRequest) error {
	if err := invalid(PathRefundOperation, req.Validate()); err != nil {
		return err
	}
	body := struct {
		OrderCode string `json:"orderCode"`
		Action    int    `json:"action"`
		Reason    string `json:"reason,omitempty"`
		Operator  string `json:"operator,omitempty"`
	}{strings.TrimSpace(req.OrderCode), req.Action, req.Reason, req.Operator}
	_, err := c.command(ctx, PathRefundOperation, txID, body)
	return err
}

// CancelRequest is a merchant-initiated after-sales refund (§3.8).
type CancelRequest struct {
	OrderCode string
	Reason    string // required
	Operator  string
	// ThirdOrderCode and OrderClient address a 围餐 order, as in statusOperation.
	ThirdOrderCode string
	OrderClient    int
}

// Validate lists what is wrong with the request.
func (r CancelRequest) Validate() []FieldError {
	var p []FieldError
	if strings.TrimSpace(r.OrderCode) == "" && strings.TrimSpace(r.ThirdOrderCode) == "" {
		p = append(p, FieldError{"orderCode", "is empty"})
	}
	if strings.TrimSpace(r.Reason) == "" {
		p = append(p, FieldError{"reason", "is required"})
	}
	return p
}

// Cancel sends /order/cancel once with transaction id txID. The refund is
// asynchronous: watch the order status for the outcome.
func (c *Client) Cancel(ctx context.Context, txID string, req CancelRequest) error {
	if err := invalid(PathCancel, req.Validate()); err != nil {
		return err
	}
	body := struct {
		OrderCode      string `json:"orderCode,omitempty"`
		ThirdOrderCode string `json:"thirdOrderCode,omitempty"`
		OrderClient    string `json:"orderClient,omitempty"`
		Reason         string `json:"reason"`
		Operator       string `json:"operator,omitempty"`
	}{strings.TrimSpace(req.OrderCode), strings.TrimSpace(req.ThirdOrderCode), orderClientText(req.OrderClient), req.Reason, req.Operator}
	_, err := c.command(ctx, PathCancel, txID, body)
	return err
}

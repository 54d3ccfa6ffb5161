// Package channel is 开个店 as a channel of bridge: it decodes pushes,
// fetches details, turns neutral actions into the platform's calls, tells
// where a call stands before it is sent again, and classifies the
// platform's errors. It implements bridge's port from outside bridge, so
// that bridge never imports 开个店's wire types.
package channel

import (
	"context"
	"errors"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// Platform is the part of the 开个店 client the channel uses.
// *kaigedian.Client implements it.
type Platform interface {
	QueryDetail(ctx context.Context, codes []string) ([]kaigedian.Detail, error)
	BatchOrderStatus(ctx context.Context, codes []string) ([]kaigedian.OrderStatus, error)
	StatusOperation(ctx context.Context, txID string, req kaigedian.StatusOperationRequest) error
	RefundOperation(ctx context.Context, txID string, req kaigedian.RefundOperationRequest) error
	Cancel(ctx context.Context, txID string, req kaigedian.CancelRequest) error
	Submit(ctx context.Context, txID string, req kaigedian.SubmitRequest) (string, error)
	BatchQuery(ctx context.Context, req kaigedian.BatchQueryRequest) (*kaigedian.BatchQueryResult, error)
	QueryRefundOrders(ctx context.Context, req kaigedian.RefundQueryRequest) (*kaigedian.RefundQueryResult, error)
}

var (
	_ bridge.Channel = (*Channel)(nil)
	_ Platform       = (*kaigedian.Client)(nil)
)

// Channel is 开个店 behind bridge's channel port.
type Channel struct {
	platform Platform
	now      func() time.Time
}

// New is the channel of platform; now is the wall clock (nil: time.Now).
func New(platform Platform, now func() time.Time) *Channel {
	if now == nil {
		now = time.Now
	}
	return &Channel{platform: platform, now: now}
}

// Source is 开个店's.
func (c *Channel) Source() order.Source { return order.SourceKaigedian }

// Decode reads a push the receiver committed to the inbox.
func (c *Channel) Decode(kind string, body []byte) (order.Change, error) {
	ch, err := kaigedian.DecodePush(kaigedian.PushKind(kind), body)
	ch.Via, ch.Source = order.ViaPush, order.SourceKaigedian
	return ch, err
}

// Details asks queryDetail for the orders of codes (at most ten a call,
// the platform's limit; bridge batches them so).
func (c *Channel) Details(ctx context.Context, codes []string) ([]bridge.Detail, error) {
	details, err := c.platform.QueryDetail(ctx, codes)
	if err != nil {
		return nil, err
	}
	out := make([]bridge.Detail, len(details))
	for i, d := range details {
		out[i] = bridge.Detail{Order: d.Order, Raw: d.Raw}
		out[i].Order.Source = order.SourceKaigedian
	}
	return out, nil
}

// Statuses asks batchOrderStatus where the platform has the orders of codes.
func (c *Channel) Statuses(ctx context.Context, codes []string) ([]order.Change, error) {
	statuses, err := c.platform.BatchOrderStatus(ctx, codes)
	if err != nil {
		return nil, err
	}
	out := make([]order.Change, 0, len(statuses))
	for _, s := range statuses {
		out = append(out, order.Change{Kind: order.ChangeStatus, Via: order.ViaReconcile, Source: order.SourceKaigedian,
			Code: s.Code, PlatformStatus: s.PlatformStatus, At: c.now()})
	}
	return out, nil
}

// Classify: the client's retry rules, and a refused signature or
// credential is retried too (a key or token being changed heals).
func (c *Channel) Classify(err error) bridge.Verdict {
	var pe *kaigedian.PlatformError
	refused := errors.As(err, &pe) && pe.HTTPStatus >= 200 && pe.HTTPStatus < 300 && pe.Message != ""
	return bridge.Verdict{Retry: kaigedian.IsRetryable(err) || authRefusal(err), Message: kaigedian.Explain(err), Refused: refused}
}

// StatusOf is the lifecycle status of a 开个店 orderStatus.
func (c *Channel) StatusOf(code int) (order.Status, bool) { return kaigedian.StatusFromPlatform(code) }

// CodeOf is the 开个店 orderStatus of a lifecycle status (0: none).
func (c *Channel) CodeOf(s order.Status) int { return kaigedian.PlatformCode(s) }

// ValidCode reports a code the documents can produce (digits, bounded).
func (c *Channel) ValidCode(code string) bool { return kaigedian.ValidOrderCode(code) }

package wechatpay

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// SyncStatus sends a body made by BuildSyncBody for ref. Success is a
// verified 2xx (WeChat Pay answers 204 No Content); everything else is an
// error for Classify and InstallerMessage. The call has no idempotency key:
// repeating it with the same body is how a sync is retried.
func (c *Client) SyncStatus(ctx context.Context, body []byte, ref SyncRef) (*Reply, error) {
	var head struct {
		OutOrderNo string     `json:"out_order_no"`
		Status     SyncAction `json:"status"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadBody, err)
	}
	if ref.OutOrderNo == "" || head.OutOrderNo != ref.OutOrderNo || head.Status != ref.Action {
		return nil, fmt.Errorf("%w: body is %s %s, ref is %s %s", ErrBadBody, head.OutOrderNo, head.Status, ref.OutOrderNo, ref.Action)
	}
	reply, err := c.do(ctx, http.MethodPost, SyncPath, body)
	if err != nil {
		c.log.Warn("wechatpay sync failed", "out_order_no", ref.OutOrderNo, "status", ref.Action,
			"class", Classify(err).String(), "err", err)
		return nil, err
	}
	c.log.Info("wechatpay sync done", "out_order_no", ref.OutOrderNo, "status", ref.Action,
		"http", reply.HTTPStatus, "request_id", reply.RequestID)
	return reply, nil
}

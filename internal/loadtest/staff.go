package loadtest

import (
	"context"
	"encoding/json"
	mrand "math/rand/v2"
	"net/http"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// staff plays the people of the mixed scenario for one order: the customer
// who may cancel or ask for a refund, and the staff who accept or reject,
// decide refunds and scan the order made and completed — staff through the
// console API only, as the staff page does.
type staff struct {
	rig *Rig
	rec *Recorder
	rng *mrand.Rand
}

func newStaff(rig *Rig, rec *Recorder, seed uint64) *staff {
	return &staff{rig: rig, rec: rec, rng: mrand.New(mrand.NewPCG(seed, 11))}
}

// orderView is the part of GET /api/orders/{code} staff look at.
type orderView struct {
	Status   order.Status `json:"status"`
	Decision string       `json:"decision"`
}

func (s *staff) pause(ctx context.Context, lo, hi time.Duration) bool {
	d := lo + time.Duration(s.rng.Int64N(int64(hi-lo)+1))
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

func (s *staff) handle(ctx context.Context, code string) {
	if s.rng.Float64() < 0.10 {
		// The customer gives up before the store accepts (or just after: then
		// the platform refuses the cancel and the order goes on).
		go func() {
			if !s.pause(ctx, 0, 500*time.Millisecond) {
				return
			}
			if err := s.rig.Env.Fake.CancelByUser(code, "用户取消"); err != nil {
				s.rec.Action("cancel_too_late")
				return
			}
			s.rec.Action("customer_cancel")
		}()
	}
	v, ok := s.waitView(ctx, code, func(v orderView) bool {
		return v.Decision == "accept" || v.Status == order.StatusCancelled
	})
	if !ok || v.Status == order.StatusCancelled {
		return
	}
	if !s.pause(ctx, 100*time.Millisecond, 600*time.Millisecond) {
		return
	}
	if s.rng.Float64() < 0.08 {
		s.act(code, "reject", map[string]string{"reason": "商品已售罄"})
		return
	}
	if !s.act(code, "accept", nil) {
		return
	}
	if s.rig.Env.WaitPlatform(code, kaigedian.PlatformAccepted, 15*time.Second) != nil {
		if snap, ok := s.rig.Env.Fake.Order(code); !ok || snap.PlatformStatus != kaigedian.PlatformCancelled {
			s.rec.Errorf("mixed: %s accepted by staff but not on the platform within 15s", code)
		}
		return
	}
	switch x := s.rng.Float64(); {
	case x < 0.15:
		s.refund(ctx, code)
	case x < 0.55:
		s.scanTwice(ctx, code)
	}
}

// refund: the customer asks, staff decide (half approve, half refuse).
func (s *staff) refund(ctx context.Context, code string) {
	if !s.pause(ctx, 50*time.Millisecond, 400*time.Millisecond) {
		return
	}
	if err := s.rig.Env.Fake.RequestRefund(code, "不想要了"); err != nil {
		s.rec.Errorf("mixed: refund request on %s: %v", code, err)
		return
	}
	s.rec.Action("refund_request")
	if _, ok := s.waitView(ctx, code, func(v orderView) bool { return v.Decision == "refund" }); !ok {
		s.rec.Errorf("mixed: refund request on %s never reached staff", code)
		return
	}
	if !s.pause(ctx, 100*time.Millisecond, 500*time.Millisecond) {
		return
	}
	if s.rng.Float64() < 0.5 {
		s.act(code, "refund/approve", nil)
	} else {
		s.act(code, "refund/reject", map[string]string{"reason": "餐品已制作"})
	}
}

// scanTwice scans the order's barcode: made, then completed.
func (s *staff) scanTwice(ctx context.Context, code string) {
	for _, step := range []string{"scan_made", "scan_completed"} {
		if !s.pause(ctx, 100*time.Millisecond, 400*time.Millisecond) {
			return
		}
		var res struct {
			Action string `json:"action"`
			Error  string `json:"error"`
		}
		status, err := s.rig.Env.API(http.MethodPost, "/api/scan", map[string]string{"code": code}, &res)
		switch {
		case err != nil:
			s.rec.Errorf("mixed: scan %s: %v", code, err)
			return
		case status == http.StatusAccepted:
			s.rec.Action(step)
		case status == http.StatusConflict:
			s.rec.Action(step + "_refused") // e.g. a delivery order waits for its courier
			return
		default:
			s.rec.Errorf("mixed: scan %s answered %d %s", code, status, res.Error)
			return
		}
	}
}

// act posts a staff action; a 409 (the order moved meanwhile) is part of the
// game, anything else is an error of the run.
func (s *staff) act(code, action string, body any) bool {
	var res map[string]any
	status, err := s.rig.Env.API(http.MethodPost, "/api/orders/"+code+"/"+action, body, &res)
	switch {
	case err != nil:
		s.rec.Errorf("mixed: %s %s: %v", action, code, err)
		return false
	case status == http.StatusAccepted:
		s.rec.Action(action)
		return true
	case status == http.StatusConflict:
		s.rec.Action(action + "_conflict")
		return false
	}
	s.rec.Errorf("mixed: %s %s answered %d %v", action, code, status, res)
	return false
}

// waitView polls the order's view until cond holds (15 s at most).
func (s *staff) waitView(ctx context.Context, code string, cond func(orderView) bool) (orderView, bool) {
	deadline := time.Now().Add(15 * time.Second)
	var v orderView
	for time.Now().Before(deadline) && ctx.Err() == nil {
		var raw json.RawMessage
		status, err := s.rig.Env.API(http.MethodGet, "/api/orders/"+code, nil, &raw)
		if err == nil && status == http.StatusOK && json.Unmarshal(raw, &v) == nil && cond(v) {
			return v, true
		}
		time.Sleep(50 * time.Millisecond)
	}
	if ctx.Err() == nil {
		s.rec.Errorf("mixed: order %s never reached the awaited state (last %+v)", code, v)
	}
	return v, false
}

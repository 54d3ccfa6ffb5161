package kaigedian

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
)

// Documented enum values (§5). Anything else is kept raw in Change.Unknown.
var (
	knownOrderStatus    = []int{1, 2, 3, 31, 4, 5, 6, 7}
	knownCancelStatus   = []int{1, 3, 4, 5, 6}
	knownDeliveryStatus = []int{0, 1, 2, 3, 4, 5, 6, 7, 8}
	knownEventType      = []int{1}
)

func knownCancelType(n int) bool { return n >= 1 && n <= 12 }

// DecodePush normalises a push body (the business JSON, or a whole
// envelope) into an order.Change. A body that fits another kind better than
// kind is decoded as that kind; the historical 2019 shapes (§4.7) are read
// too. Unknown enum values are not errors: they are left out of the typed
// fields and kept raw in Change.Unknown. It never panics.
func DecodePush(kind PushKind, body []byte) (c order.Change, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = order.Change{}, badPush("unreadable push: %v", r)
		}
	}()
	fields, ferr := objectFields(body)
	if ferr != nil {
		return order.Change{}, badPush("malformed JSON: %v", ferr)
	}
	if _, ok := fields["requestBody"]; ok {
		in, perr := ParseIncoming(bytes.TrimSpace(body))
		if perr != nil || len(in.Body) == 0 {
			return order.Change{}, badPush("requestBody is unreadable")
		}
		if fields, ferr = objectFields(in.Body); ferr != nil {
			return order.Change{}, badPush("requestBody is not a JSON object: %v", ferr)
		}
	}
	if !kind.Valid() {
		return order.Change{}, badPush("unknown push kind %q", kind)
	}
	if kind, c.Code, err = resolvePushKind(fields, kind); err != nil {
		return order.Change{}, err
	}
	d := pushDecoder{fields: fields}
	c.Via, c.Source = order.ViaPush, order.SourceKaigedian
	switch kind {
	case PushRefund:
		c.Kind = order.ChangeRefund
		if v, ok := d.enum(knownCancelStatus, "refundStatus", "refundstatus"); ok {
			c.CancelStatus = order.RefundStatus(v)
		}
		if v, ok := d.enumFunc(knownCancelType, "refundType"); ok {
			c.CancelType = order.CancelType(v)
		}
		c.Reason = d.text("refundReason")
		c.At = d.time("timeStamp")
	case PushDelivery:
		c.Kind = order.ChangeDelivery
		if v, ok := d.enum(knownDeliveryStatus, "deliveryStatus"); ok {
			c.DeliveryStatus = v
		}
		c.RiderName = d.text("riderName")
		c.RiderPhone = d.text("riderPhone")
		c.Reason = d.text("remark")
		c.At = d.time("updateTime", "timeStamp")
		if u, err := DecodeDeliveryPush(body); err == nil {
			c.Waybill = &order.Waybill{ID: u.DeliveryID, Text: u.Text(), NeedsStaff: DeliveryNeedsStaff(u.Status) && u.StatusKnown,
				Channel: u.Channel(), Remark: u.Remark}
		}
	case PushProduct:
		c.Kind = order.ChangeProduct
		pc, err := DecodeProductPush(body)
		if err != nil {
			return order.Change{}, err
		}
		c.Added, c.Batch = pc.Items(), pc.Batch()
	case PushEvent:
		c.Kind = order.ChangeEvent
		if v, ok := d.enum(knownEventType, "eventType"); ok {
			c.EventType = v
		}
		c.At = d.time("timeStamp")
	default:
		c.Kind = order.ChangeStatus
		// statusCode was the status field of /order/statusChange until
		// 2019-05-13, and orderState an even older name.
		if v, ok := d.enum(knownOrderStatus, "orderStatus", "orderState", "statusCode"); ok {
			c.PlatformStatus = v
		}
		if v, ok := d.enumFunc(knownCancelType, "cancelType"); ok {
			c.CancelType = order.CancelType(v)
		}
		if v, ok := d.enum(knownCancelStatus, "cancelStatus"); ok {
			c.CancelStatus = order.RefundStatus(v)
		}
		c.Reason = d.text("cancelReason")
		c.At = d.time("timeStamp")
	}
	if len(d.unknown) > 0 {
		c.Unknown = d.unknown
	}
	return c, nil
}

// pushDecoder reads optional push fields leniently, collecting values the
// documents do not define.
type pushDecoder struct {
	fields  map[string]json.RawMessage
	unknown map[string]string
}

// first returns the first of names present with a non-empty value.
func (d *pushDecoder) first(names ...string) (name, value string, ok bool) {
	for _, n := range names {
		v, present := d.fields[n]
		if !present {
			continue
		}
		s, err := flexString(v)
		if err != nil {
			d.keep(n, string(bytes.TrimSpace(v)))
			continue
		}
		if s = strings.TrimSpace(s); s != "" {
			return n, s, true
		}
	}
	return "", "", false
}

func (d *pushDecoder) keep(name, raw string) {
	if d.unknown == nil {
		d.unknown = map[string]string{}
	}
	d.unknown[name] = raw
}

func (d *pushDecoder) enum(known []int, names ...string) (int, bool) {
	return d.enumFunc(func(n int) bool { return slices.Contains(known, n) }, names...)
}

func (d *pushDecoder) enumFunc(known func(int) bool, names ...string) (int, bool) {
	name, s, ok := d.first(names...)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || !known(n) {
		d.keep(name, s)
		return 0, false
	}
	return n, true
}

func (d *pushDecoder) text(names ...string) string {
	_, s, _ := d.first(names...)
	return s
}

// time reads a change time: epoch ms or s, or a documented wall-clock text.
func (d *pushDecoder) time(names ...string) time.Time {
	name, s, ok := d.first(names...)
	if !ok {
		return time.Time{}
	}
	t, ok := ParseTime(s)
	if !ok {
		d.keep(name, s)
	}
	return t
}

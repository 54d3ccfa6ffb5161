package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/posbridge/posbridge/ordering/checkout"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/payment/sandbox"
	"github.com/posbridge/posbridge/store"
)

// payURL is §6.6: a new attempt at the restaurant's provider (takeout.pay_mch;
// the sandbox when none is named and the sandbox runs) and its pay page;
// 403 exactly in the seed's cases; {"url": ""} when the provider failed
// (the page tries again).
func (s *Server) payURL(w http.ResponseWriter, r *http.Request) {
	rest, o, ok := s.ownOrder(w, r)
	if !ok {
		return
	}
	method := r.URL.Query().Get("method")
	switch method {
	case "", "wechat":
	case "member":
		if s.opt.Members == nil {
			writeDetail(w, http.StatusForbidden, "会员卡支付尚未开通。")
			return
		}
		s.memberPayURL(w, r, rest, o) // members_pay.go
		return
	default:
		writeFields(w, map[string]any{"method": []string{"应是 wechat 或 member"}})
		return
	}
	if o.PaidType != menu.PaidWeChat {
		writeDetail(w, http.StatusForbidden, "这笔订单不是微信支付。")
		return
	}
	if o.Status != 0 {
		writeDetail(w, http.StatusForbidden, "订单已支付、已取消或已完成，不能再支付。")
		return
	}
	m := rest.Menu()
	if s.opt.Payments == nil || m == nil {
		writeDetail(w, http.StatusForbidden, checkout.ErrNoProvider.Error())
		return
	}
	mch := m.Restaurant.Takeout.PayMch
	if mch == "" {
		mch = sandbox.Name
	}
	openid := r.URL.Query().Get("openid")
	if mch == "qf" && openid == "" {
		writeDetail(w, http.StatusForbidden, "缺少 openid：请在微信中打开页面后再支付。")
		return
	}
	if len(openid) > 128 {
		writeFields(w, map[string]any{"openid": []string{"太长了"}})
		return
	}
	ret := s.pageURL(r, url.Values{"rid": {strconv.FormatInt(rest.ID, 10)}, "tid": {strconv.FormatInt(o.TableID, 10)}, "oid": {strconv.FormatInt(o.ID, 10)}})
	name := m.Restaurant.Name
	u, err := s.opt.Payments.PayURL(r.Context(), checkout.PayRequest{Order: o, Provider: mch, OpenID: openid,
		Description: name + " 订单 " + o.TradeNo, ShopName: name, ReturnURL: ret})
	switch {
	case errors.Is(err, checkout.ErrNoProvider):
		writeDetail(w, http.StatusForbidden, err.Error())
	case errors.Is(err, checkout.ErrNotPayable):
		writeDetail(w, http.StatusForbidden, "订单已支付、已取消或已完成，不能再支付。")
	case err != nil:
		s.log.Warn("ordering: no pay page", "trade_no", o.TradeNo, "err", err)
		writeJSON(w, http.StatusOK, map[string]string{"url": ""})
	default:
		writeJSON(w, http.StatusOK, map[string]string{"url": u})
	}
}

// isPaid is §6.7: the provider is asked when no notification came.
func (s *Server) isPaid(w http.ResponseWriter, r *http.Request) {
	_, o, ok := s.ownOrder(w, r)
	if !ok {
		return
	}
	paid := !o.PaidAt.IsZero()
	if !paid && s.opt.Payments != nil {
		var err error
		if paid, err = s.opt.Payments.IsPaid(r.Context(), o); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]bool{"is_paid": paid})
}

// paymentNotify takes a provider's notification (…/payments/qf/notify,
// …/sqb/notify): the raw bytes go to the provider's check and our signed
// query; a forged or replayed one changes nothing and gets 400, one we
// could not confirm now 503 (the provider sends it again).
func (s *Server) paymentNotify(w http.ResponseWriter, r *http.Request) {
	if s.opt.Payments == nil {
		notFound(w)
		return
	}
	provider := r.PathValue("provider")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<10))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	ack, err := s.opt.Payments.Notify(r.Context(), provider, payment.Notification{Header: r.Header, Query: r.URL.Query(), Body: body})
	switch {
	case errors.Is(err, checkout.ErrForged), errors.Is(err, checkout.ErrNoProvider):
		http.Error(w, "notification refused", http.StatusBadRequest)
	case err != nil:
		s.log.Warn("ordering: payment notification not confirmed yet", "provider", provider, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, ack)
	}
}

// PlacePaid hands an order that was just paid online to the flow (prompt,
// sound, printing) and tells its phone; checkout.Options.Paid.
func (s *Server) PlacePaid(ctx context.Context, o *store.OrderingOrder) {
	s.events.publish(o.ID)
	s.place(ctx, o)
}

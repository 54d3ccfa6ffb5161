package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/ordering/money"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/views"
	"github.com/posbridge/posbridge/store"
)

// priceView is a §12.1 entry.
type priceView struct {
	MoneyPrice money.String `json:"money_price"`
	Price      money.String `json:"price"`
}

func (s *Server) topUpProvider(rest *Restaurant) payment.Provider {
	if s.opt.Members.TopUpProvider == nil {
		return nil
	}
	mch := "sandbox"
	if m := rest.Menu(); m != nil && m.Restaurant.Takeout.PayMch != "" {
		mch = m.Restaurant.Takeout.PayMch
	}
	return s.opt.Members.TopUpProvider(rest.ID, mch)
}

// depositPrices is §12.1: the price list of ordering.members.top_ups; only
// WeChat Pay (through the restaurant's provider) is offered.
func (s *Server) depositPrices(w http.ResponseWriter, r *http.Request) {
	_, rest, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	list := s.opt.Members.Ledger.Config().PriceList()
	wechat := make([]priceView, 0, len(list))
	for _, e := range list {
		wechat = append(wechat, priceView{MoneyPrice: money.String(e.CreditFen), Price: money.String(e.PayFen)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"can_order": len(list) > 0 && s.topUpProvider(rest) != nil,
		"wechat": wechat, "alipay": []priceView{}})
}

// depositView is a deposit order of §12.2 (with deposit_time always, and
// order_id and feedback for §13.1).
type depositView struct {
	ID          int64         `json:"id"`
	OrderID     string        `json:"order_id,omitempty"`
	Feedback    *feedbackView `json:"feedback,omitempty"`
	PayType     string        `json:"pay_type"`
	MoneyPrice  money.String  `json:"money_price"`
	Price       money.String  `json:"price"`
	Status      string        `json:"status"`
	PayTime     *string       `json:"pay_time"`
	DepositTime *string       `json:"deposit_time"`
	ExpiryTime  string        `json:"expiry_time"`
	CreateTime  string        `json:"create_time"`
}

// feedbackView is an appeal's state (§13.1, §14.1).
type feedbackView struct {
	Status    string `json:"status"`
	HasImages bool   `json:"has_images"`
}

func optTime(t time.Time, rest *Restaurant) *string {
	if t.IsZero() {
		return nil
	}
	v := seedTime(t, rest)
	return &v
}

func depositOf(d *store.MemberDeposit, rest *Restaurant, now time.Time) depositView {
	status := d.Status
	if status == store.DepositNew && !now.Before(d.ExpiryAt) {
		status = store.DepositExpired // the sweep has not run yet
	}
	return depositView{ID: d.ID, PayType: d.PayType, MoneyPrice: money.String(d.CreditFen), Price: money.String(d.PayFen),
		Status: status, PayTime: optTime(d.PaidAt, rest), DepositTime: optTime(d.DepositAt, rest),
		ExpiryTime: seedTime(d.ExpiryAt, rest), CreateTime: seedTime(d.CreatedAt, rest)}
}

// depositList is §12.2: the customer's top-up orders, newest first.
func (s *Server) depositList(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	list, _, err := s.opt.DB.MemberDeposits(r.Context(), rest.ID, customerKey(c), 1000, 0)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]depositView, 0, len(list))
	for i := range list {
		out = append(out, depositOf(&list[i], rest, s.now()))
	}
	page, err := views.Paginate(out, r.URL.Path, r.URL.Query())
	if err != nil {
		writeDetail(w, http.StatusNotFound, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// depositCreate is §12.3: 201 with the order; 400 for an amount not in
// the price list, 403 without a card.
func (s *Server) depositCreate(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	var body struct {
		PayType    string `json:"pay_type"`
		MoneyPrice any    `json:"money_price"`
		Price      any    `json:"price"`
	}
	if !decodeSmall(w, r, &body) {
		return
	}
	if s.topUpProvider(rest) == nil {
		writeNonField(w, "本店暂未开通在线充值")
		return
	}
	if body.PayType == "" {
		body.PayType = "wechat"
	}
	d, err := s.opt.Members.Ledger.CreateDeposit(r.Context(), rest.ID, customerKey(c), body.PayType, amountText(body.MoneyPrice),
		amountText(body.Price), s.opt.Members.DepositTTL)
	if err != nil {
		s.memberError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, depositOf(d, rest, s.now()))
}

// amountText is a JSON string or number as its text ("10", 10, "10.00").
func amountText(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// myDeposit is the path's top-up order of the logged-in customer; another
// customer's is 404.
func (s *Server) myDeposit(w http.ResponseWriter, r *http.Request) (*store.MemberDeposit, *Restaurant, bool) {
	c, rest, ok := s.memberLogin(w, r)
	if !ok {
		return nil, nil, false
	}
	id, ok := pathID(w, r)
	if !ok {
		return nil, nil, false
	}
	d, err := s.opt.DB.MemberDepositByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (d.CustomerID != customerKey(c) || d.RestaurantID != rest.ID)) {
		notFound(w)
		return nil, nil, false
	}
	if err != nil {
		s.writeError(w, r, err)
		return nil, nil, false
	}
	return d, rest, true
}

// depositPayURL is §12.4: the provider's pay page; 403 when the order
// expired or was paid, or 钱方 needs an openid the page did not give.
func (s *Server) depositPayURL(w http.ResponseWriter, r *http.Request) {
	d, rest, ok := s.myDeposit(w, r)
	if !ok {
		return
	}
	p := s.topUpProvider(rest)
	if p == nil {
		writeDetail(w, http.StatusForbidden, "本店暂未开通在线充值")
		return
	}
	if err := members.CanPay(d, s.now()); err != nil {
		s.memberError(w, r, err)
		return
	}
	openID := strings.TrimSpace(r.URL.Query().Get("openid"))
	if p.Name() == "qf" && openID == "" {
		writeDetail(w, http.StatusForbidden, "请先获取微信 openid")
		return
	}
	base := strings.TrimRight(s.opt.Members.PublicURL, "/")
	rid := strconv.FormatInt(rest.ID, 10)
	url, err := s.opt.Members.Ledger.DepositCheckout(r.Context(), p, d, s.orgName(rest), openID,
		base+prefix+"deposit-payments/"+p.Name()+"/notify", base+"/?rid="+rid+"&doid="+strconv.FormatInt(d.ID, 10))
	if err != nil {
		s.log.Warn("ordering: top-up pay page not created", "deposit", d.ID, "provider", p.Name(), "err", err)
		writeJSON(w, http.StatusOK, map[string]string{"url": ""}) // §6.6: "" = ask again
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"url": url})
}

// depositIsPaid is §12.5: when no notification came, the provider is asked
// before the answer.
func (s *Server) depositIsPaid(w http.ResponseWriter, r *http.Request) {
	d, rest, ok := s.myDeposit(w, r)
	if !ok {
		return
	}
	if d.Status != store.DepositSuccess {
		if p := s.topUpProvider(rest); p != nil {
			if err := s.opt.Members.Ledger.SettleDeposit(r.Context(), p, d); err != nil {
				s.log.Warn("ordering: top-up query failed", "deposit", d.ID, "err", err)
			}
			if again, err := s.opt.DB.MemberDepositByID(r.Context(), d.ID); err == nil {
				d = again
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"is_paid": d.Status == store.DepositSuccess, "order": depositOf(d, rest, s.now())})
}

// depositNotify takes a provider's notification about a top-up: verified
// by the provider's own rules and turned into an outcome only by a signed
// query; answered with the provider's ack once applied.
func (s *Server) depositNotify(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("provider")
	var p payment.Provider
	for _, rest := range s.restaurants {
		if c := s.opt.Members.TopUpProvider; c != nil {
			if p = c(rest.ID, name); p != nil {
				break
			}
		}
	}
	if p == nil {
		notFound(w)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		writeDetail(w, http.StatusRequestEntityTooLarge, "请求内容太大。")
		return
	}
	o, err := p.ConfirmNotification(r.Context(), payment.Notification{Header: r.Header, Query: r.URL.Query(), Body: body}, s.opt.Members.Ledger.LookupAttempt)
	switch {
	case errors.Is(err, payment.ErrNothingToApply):
	case errors.Is(err, payment.ErrBadSignature), errors.Is(err, payment.ErrUnknownAttempt):
		writeDetail(w, http.StatusForbidden, "notification refused")
		return
	case err != nil:
		s.log.Warn("ordering: top-up notification not confirmed", "provider", name, "err", err)
		writeDetail(w, http.StatusServiceUnavailable, "try again")
		return
	default:
		if _, err := s.opt.Members.Ledger.ApplyOutcome(r.Context(), o); err != nil {
			s.log.Error("ordering: top-up payment not applied", "trade_no", o.TradeNo, "err", err)
			writeDetail(w, http.StatusServiceUnavailable, "try again")
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, p.NotificationAck())
}

package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/store"
)

// memberPayPath is posbridge's own card payment page (§6.6 method=member):
// GET shows the order and the card and changes nothing; only its POST
// debits the card.
const memberPayPath = "/member-pay"

// payTicketTTL bounds how long a pay-url stays usable.
const payTicketTTL = 15 * time.Minute

// memberDiscount is the env's member discount for a logged-in customer
// with a card (nil otherwise): the card level's percent of what is left.
func (s *Server) memberDiscount(r *http.Request, rest *Restaurant) func(pricing.Fen) (string, pricing.Fen) {
	if s.opt.Members == nil {
		return nil
	}
	c, ok := s.optionalLogin(r)
	if !ok || c.RestaurantID != rest.ID {
		return nil
	}
	card, err := s.opt.Members.Ledger.CardOf(r.Context(), rest.ID, customerKey(c))
	if err != nil || card.Level.DiscountPercent >= 100 {
		return nil
	}
	return func(left pricing.Fen) (string, pricing.Fen) {
		return "会员" + discountWord(card.Level.DiscountPercent), card.Level.MemberDiscount(left)
	}
}

// ticket: restaurant, order, customer and expiry, signed with PayKey.
func (s *Server) payTicket(restaurantID, orderID int64, customerID string, exp time.Time) string {
	body := fmt.Sprintf("%d.%d.%s.%d", restaurantID, orderID, customerID, exp.Unix())
	m := hmac.New(sha256.New, s.opt.Members.PayKey)
	m.Write([]byte("member-pay:" + body))
	return base64.RawURLEncoding.EncodeToString([]byte(body)) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

type payTicketClaims struct {
	restaurantID, orderID int64
	customerID            string
}

func (s *Server) readTicket(t string) (payTicketClaims, bool) {
	b64, sig, ok := strings.Cut(t, ".")
	if !ok || len(t) > 300 {
		return payTicketClaims{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(b64)
	if err != nil {
		return payTicketClaims{}, false
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 4 {
		return payTicketClaims{}, false
	}
	rid, e1 := strconv.ParseInt(parts[0], 10, 64)
	oid, e2 := strconv.ParseInt(parts[1], 10, 64)
	exp, e3 := strconv.ParseInt(parts[3], 10, 64)
	if e1 != nil || e2 != nil || e3 != nil {
		return payTicketClaims{}, false
	}
	want := s.payTicket(rid, oid, parts[2], time.Unix(exp, 0))
	if !hmac.Equal([]byte(want), []byte(b64+"."+sig)) || !s.now().Before(time.Unix(exp, 0)) {
		return payTicketClaims{}, false
	}
	return payTicketClaims{restaurantID: rid, orderID: oid, customerID: parts[2]}, true
}

// payable says why an order cannot be paid with the card ("" = it can).
func (s *Server) payable(r *http.Request, o *store.OrderingOrder) (string, error) {
	rec, err := orders.Decode(o.OrderJSON)
	if err != nil {
		return "", err
	}
	if rec.PaidType != menu.PaidMemberCard {
		return "这笔订单不是会员卡支付", nil
	}
	if _, err := s.opt.DB.MemberOrderPayment(r.Context(), o.ID); err == nil {
		return "订单已支付", nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	if !orders.Status(o.Status).Open() {
		return "订单已取消或已完成", nil
	}
	return "", nil
}

// memberPayURL is §6.6 for method=member (payURL hands it over): the URL
// of the confirmation page for the logged-in customer's card, for the order
// of the phone holding its view_token. 403 for an order not paid by card,
// paid, cancelled or completed, or a customer without a card.
func (s *Server) memberPayURL(w http.ResponseWriter, r *http.Request, rest *Restaurant, o *store.OrderingOrder) {
	c, lrest, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	if lrest.ID != rest.ID {
		writeDetail(w, http.StatusForbidden, "登录的餐厅与订单不一致")
		return
	}
	why, err := s.payable(r, o)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if why != "" {
		writeDetail(w, http.StatusForbidden, why)
		return
	}
	if _, err := s.opt.Members.Ledger.CardOf(r.Context(), rest.ID, customerKey(c)); err != nil {
		s.memberError(w, r, err)
		return
	}
	t := s.payTicket(rest.ID, o.ID, customerKey(c), s.now().Add(payTicketTTL))
	writeJSON(w, http.StatusOK, map[string]string{"url": strings.TrimRight(s.opt.Members.PublicURL, "/") + memberPayPath + "?t=" + t})
}

var payPage = template.Must(template.New("pay").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>会员卡支付</title><style nonce="{{.Nonce}}">
body{font-family:system-ui,sans-serif;margin:0;background:#f5f5f5;color:#222}
main{max-width:420px;margin:0 auto;padding:24px 16px}
h1{font-size:20px;margin:0 0 16px}
.card{background:#fff;border-radius:12px;padding:16px;margin-bottom:16px}
.amount{font-size:32px;font-weight:700;margin:8px 0}
.row{display:flex;justify-content:space-between;margin:6px 0}
label{display:block;margin:12px 0 6px}
input{width:100%;box-sizing:border-box;font-size:18px;padding:10px;border:1px solid #ccc;border-radius:8px}
button,a.btn{display:block;width:100%;box-sizing:border-box;text-align:center;font-size:18px;padding:14px;border:0;border-radius:8px;background:#e4393c;color:#fff;text-decoration:none;margin-top:16px}
.err{color:#c00;margin:8px 0}.ok{color:#080;font-size:20px;font-weight:700}
</style></head><body><main>
<h1>{{.Shop}} · 会员卡支付</h1>
{{if .Done}}<div class="card"><p class="ok" id="paid">支付成功</p>
<div class="row"><span>支付金额</span><span>{{.Amount}}</span></div>
<div class="row"><span>卡内余额</span><span id="balance">{{.Balance}}</span></div>
{{if .Points}}<div class="row"><span>获得积分</span><span>{{.Points}}</span></div>{{end}}</div>
<a class="btn" id="back" href="{{.Back}}">返回订单</a>
{{else}}<div class="card"><div>订单 {{.TradeNo}}</div><div class="amount" id="amount">{{.Amount}}</div>
<div class="row"><span>会员卡</span><span>{{.CardNo}}</span></div>
<div class="row"><span>卡内余额</span><span id="balance">{{.Balance}}</span></div></div>
{{if .Error}}<p class="err" id="error">{{.Error}}</p>{{end}}
{{if .CanPay}}<form method="post" action="{{.Action}}">
<input type="hidden" name="t" value="{{.Ticket}}">
{{if .NeedsPassword}}<label for="card_pwd">会员卡密码</label>
<input id="card_pwd" name="card_pwd" type="password" inputmode="numeric" autocomplete="off" maxlength="64" required>{{end}}
<button id="pay" type="submit">确认支付 {{.Amount}}</button></form>{{end}}
<a class="btn" href="{{.Back}}">返回</a>{{end}}
</main></body></html>`))

type payPageData struct {
	Nonce, Shop, TradeNo, Amount, Balance, CardNo, Error, Ticket, Action, Back string
	Points                                                                     int64
	Done, CanPay, NeedsPassword                                                bool
}

// payContext loads what both halves of the page need, or writes an error
// page.
func (s *Server) payContext(w http.ResponseWriter, r *http.Request, t string) (payTicketClaims, *Restaurant, *store.OrderingOrder, members.Card, bool) {
	tc, ok := s.readTicket(t)
	if !ok {
		s.payMessage(w, http.StatusForbidden, "支付链接无效或已过期，请返回订单重新支付")
		return tc, nil, nil, members.Card{}, false
	}
	rest, ok := s.restaurants[tc.restaurantID]
	if !ok {
		s.payMessage(w, http.StatusNotFound, "餐厅不存在")
		return tc, nil, nil, members.Card{}, false
	}
	o, err := s.opt.DB.OrderingOrder(r.Context(), tc.orderID)
	if err == nil && o.RestaurantID != rest.ID {
		err = store.ErrNotFound
	}
	if err != nil {
		s.payMessage(w, http.StatusNotFound, "订单不存在")
		return tc, nil, nil, members.Card{}, false
	}
	card, err := s.opt.Members.Ledger.CardOf(r.Context(), rest.ID, tc.customerID)
	if err != nil {
		s.payMessage(w, http.StatusForbidden, "没有可用的会员卡")
		return tc, nil, nil, members.Card{}, false
	}
	return tc, rest, o, card, true
}

func (s *Server) payMessage(w http.ResponseWriter, status int, msg string) {
	s.renderPay(w, status, payPageData{Shop: "posbridge", Error: msg, Back: "/"})
}

func (s *Server) renderPay(w http.ResponseWriter, status int, d payPageData) {
	d.Nonce = newToken()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-"+d.Nonce+"'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	payPage.Execute(w, d)
}

func (s *Server) pageData(rest *Restaurant, o *store.OrderingOrder, card members.Card, t string) payPageData {
	return payPageData{Shop: s.orgName(rest), TradeNo: o.TradeNo, Amount: yuanSign(order.Fen(o.TotalFee)),
		Balance: yuanSign(order.Fen(card.BalanceFen)), CardNo: card.CardNo, Ticket: t, Action: memberPayPath,
		NeedsPassword: card.PasswordHash != "",
		Back:          "/?" + url.Values{"rid": {strconv.FormatInt(rest.ID, 10)}, "tid": {strconv.FormatInt(o.TableID, 10)}, "oid": {strconv.FormatInt(o.ID, 10)}}.Encode()}
}

func yuanSign(f order.Fen) string { return "￥" + f.Yuan() }

// memberPayPage is the GET: it only reads.
func (s *Server) memberPayPage(w http.ResponseWriter, r *http.Request) {
	t := r.URL.Query().Get("t")
	_, rest, o, card, ok := s.payContext(w, r, t)
	if !ok {
		return
	}
	d := s.pageData(rest, o, card, t)
	why, err := s.payable(r, o)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d.Error, d.CanPay = why, why == ""
	s.renderPay(w, http.StatusOK, d)
}

// memberPayConfirm is the POST: the password when the card has one, then
// the debit, the payment row and the points in one transaction.
func (s *Server) memberPayConfirm(w http.ResponseWriter, r *http.Request) {
	if origin := r.Header.Get("Origin"); origin != "" && origin != "null" {
		if u, err := url.Parse(origin); err != nil || u.Host != r.Host {
			s.payMessage(w, http.StatusForbidden, "请从本店页面发起支付")
			return
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		s.payMessage(w, http.StatusBadRequest, "请求无效")
		return
	}
	t := r.PostForm.Get("t")
	tc, rest, o, card, ok := s.payContext(w, r, t)
	if !ok {
		return
	}
	d := s.pageData(rest, o, card, t)
	why, err := s.payable(r, o)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if why != "" {
		d.Error = why
		s.renderPay(w, http.StatusConflict, d)
		return
	}
	p, fresh, err := s.opt.Members.Ledger.PayOrder(r.Context(), rest.ID, tc.customerID, r.PostForm.Get("card_pwd"), o.ID, order.Fen(o.TotalFee))
	if errors.Is(err, store.ErrNotPayable) { // expired unpaid meanwhile: nothing debited
		d.Error = "订单已超时取消，请重新下单"
		s.renderPay(w, http.StatusConflict, d)
		return
	}
	if err != nil {
		status := http.StatusBadRequest
		switch {
		case errors.Is(err, members.ErrTooManyTries):
			status = http.StatusTooManyRequests
		case errors.Is(err, members.ErrWrongCard), errors.Is(err, members.ErrPasswordNeeded), errors.Is(err, members.ErrInsufficient),
			errors.Is(err, members.ErrNoCard):
		default:
			s.log.Error("ordering: member payment failed", "order", o.ID, "err", err)
			status = http.StatusInternalServerError
			err = errors.New("支付失败，请稍后再试")
		}
		d.Error, d.CanPay = err.Error(), true
		if errors.Is(err, members.ErrInsufficient) {
			d.CanPay = false
		}
		s.renderPay(w, status, d)
		return
	}
	s.log.Info("ordering: order paid with a member card", "order", o.ID, "trade_no", o.TradeNo, "fen", p.AmountFen)
	if fresh {
		s.placePaidByCard(r.Context(), o.ID)
	}
	if after, err := s.opt.Members.Ledger.CardOf(r.Context(), rest.ID, tc.customerID); err == nil {
		d.Balance = yuanSign(order.Fen(after.BalanceFen))
	}
	d.Done, d.Points = true, p.Points
	s.renderPay(w, http.StatusOK, d)
}

// placePaidByCard hands an order the card just paid to the flow (prompt,
// sound, printing), as PlacePaid does for one paid online: it waited at
// status 0 until now. A crash before the hand-over leaves it to the sweep
// (status 1, not placed).
func (s *Server) placePaidByCard(ctx context.Context, orderID int64) {
	o, err := s.opt.DB.OrderingOrder(ctx, orderID)
	if err != nil {
		s.log.Warn("ordering: a card-paid order to hand over is unreadable; the sweep retries", "order", orderID, "err", err)
		return
	}
	s.handing.Add(1)
	go func() {
		defer s.handing.Done()
		s.PlacePaid(context.WithoutCancel(ctx), o)
	}()
}

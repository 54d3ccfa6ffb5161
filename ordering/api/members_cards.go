package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/ordering/money"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/views"
	"github.com/posbridge/posbridge/store"
)

// memberError answers a ledger error in the seed's codes (§11): 403 for a
// card that is there or missing, 400 for a wrong or taken card, 429 for
// too many tries.
func (s *Server) memberError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, members.ErrHasCard), errors.Is(err, members.ErrNoCard), errors.Is(err, members.ErrDepositClosed):
		writeDetail(w, http.StatusForbidden, err.Error())
	case errors.Is(err, members.ErrWrongCard), errors.Is(err, members.ErrCardTaken), errors.Is(err, members.ErrNeedsPassword),
		errors.Is(err, members.ErrInsufficient), errors.Is(err, members.ErrPasswordNeeded), errors.Is(err, members.ErrNotInPriceList),
		errors.Is(err, members.ErrAppealImages), errors.Is(err, members.ErrAppealTwice), errors.Is(err, members.ErrAppealDone),
		errors.Is(err, members.ErrAppealPhone), errors.Is(err, members.ErrAppealReason):
		writeNonField(w, err.Error())
	case errors.Is(err, members.ErrTooManyTries):
		w.Header().Set("Retry-After", "3600")
		writeDetail(w, http.StatusTooManyRequests, err.Error())
	case errors.Is(err, members.ErrUnknownDeposit):
		notFound(w)
	default:
		s.writeError(w, r, err)
	}
}

// cardOpen is §11.1: 200, 403 when the customer has a card.
func (s *Server) cardOpen(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	if _, err := s.opt.Members.Ledger.Open(r.Context(), rest.ID, customerKey(c)); err != nil {
		s.memberError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// cardBind is §11.2: a card staff issued, by number and password.
func (s *Server) cardBind(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	var body struct {
		CardID  json.RawMessage `json:"card_id"`
		CardPwd string          `json:"card_pwd"`
	}
	if !decodeSmall(w, r, &body) {
		return
	}
	no := jsonText(body.CardID)
	if no == "" {
		writeFields(w, map[string]any{"card_id": []string{"请填写会员卡号"}})
		return
	}
	if _, err := s.opt.Members.Ledger.Bind(r.Context(), rest.ID, customerKey(c), no, body.CardPwd); err != nil {
		s.memberError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// jsonText is a JSON string or number as text ("" otherwise): card numbers
// are digits, and pages send them either way.
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// decodeSmall reads a small JSON body (an empty one is {}).
func decodeSmall(w http.ResponseWriter, r *http.Request, v any) bool {
	body, ok := readBody(w, r, 8<<10)
	if !ok {
		return false
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return true
	}
	if err := json.Unmarshal(body, v); err != nil {
		writeNonField(w, "JSON 格式错误")
		return false
	}
	return true
}

// cardReply is §11.3.
type cardReply struct {
	CurScore     int64        `json:"cur_score"`
	Status       int          `json:"status"`
	CardLevel    string       `json:"card_level"`
	Discount     json.Number  `json:"discount"`
	DiscountDesc string       `json:"discount_desc"`
	Balance      money.String `json:"balance"`
	CardID       string       `json:"card_id"`
}

func cardView(c members.Card) cardReply {
	d := c.Level.DiscountPercent
	desc := "无折扣"
	if d < 100 {
		desc = discountWord(d)
	}
	return cardReply{CurScore: c.Points, Status: 1, CardLevel: c.Level.Name, Discount: json.Number(percentText(d)),
		DiscountDesc: desc, Balance: money.String(c.BalanceFen), CardID: c.CardNo}
}

// percentText is 90 → "0.9", 85 → "0.85", 100 → "1".
func percentText(p int) string {
	if p%100 == 0 {
		return strconv.Itoa(p / 100)
	}
	s := fmt.Sprintf("%d.%02d", p/100, p%100)
	return strings.TrimRight(s, "0")
}

// discountWord is 90 → 九折, 85 → 八五折.
func discountWord(p int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	if p%10 == 0 {
		return digits[p/10] + "折"
	}
	return digits[p/10] + digits[p%10] + "折"
}

func (s *Server) myCard(w http.ResponseWriter, r *http.Request) (members.Card, *Restaurant, bool) {
	c, rest, ok := s.memberLogin(w, r)
	if !ok {
		return members.Card{}, nil, false
	}
	card, err := s.opt.Members.Ledger.CardOf(r.Context(), rest.ID, customerKey(c))
	if err != nil {
		s.memberError(w, r, err)
		return members.Card{}, nil, false
	}
	return card, rest, true
}

// cardQuery is §11.3.
func (s *Server) cardQuery(w http.ResponseWriter, r *http.Request) {
	card, _, ok := s.myCard(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, cardView(card))
}

// consumeLog is a §11.4 row: type 1 money in (top-up, refund, opening,
// adjustment up), 2 money out.
type consumeLog struct {
	OriMoney    money.Number `json:"ori_money"`
	ActMoney    money.Number `json:"act_money"`
	Description string       `json:"description"`
	OrgName     string       `json:"org_name"`
	Amount      money.Number `json:"amount"`
	Time        string       `json:"time"`
	Type        int          `json:"type"`
}

// scoreLog is a §11.5 row.
type scoreLog struct {
	OrgName     string `json:"org_name"`
	Type        int    `json:"type"`
	Description string `json:"description"`
	SaveScore   int64  `json:"save_score"`
	Time        string `json:"time"`
}

// Score types of §11.5.
const (
	scoreTopUpBonus = 9
	scoreEarned     = 7
	scoreRedeemed   = 71
	scoreOther      = 0
)

var entryWords = map[string]string{
	"payment": "消费", "refund": "退款", "top_up": "充值", "top_up_refund": "充值退款", "opening": "开卡余额",
	"adjust": "人工调整", "earned": "消费获得积分", "unearned": "退款扣回积分", "redeemed": "积分抵扣", "top_up_bonus": "充值赠送积分", "top_up_bonus_refund": "充值退款扣回赠送积分",
}

func describe(e store.MemberEntry) string {
	word := entryWords[e.Reason]
	if word == "" {
		word = e.Reason
	}
	if e.Account == store.AccountBalance {
		word += order.Fen(abs(e.Delta)).Yuan()
	} else {
		word += strconv.FormatInt(abs(e.Delta), 10)
	}
	if e.Note != "" {
		word += "（" + e.Note + "）"
	}
	return word + "\n"
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// ledgerPage reads one page of a card's account in the seed's page shape.
func ledgerPage[T any](s *Server, w http.ResponseWriter, r *http.Request, card members.Card, account string, row func(store.MemberEntry) T) {
	q := r.URL.Query()
	size := views.DefaultPageSize
	if n, err := strconv.Atoi(q.Get("page_size")); err == nil && n > 0 {
		size = min(n, views.MaxPageSize)
	}
	page := 1
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			writeDetail(w, http.StatusNotFound, views.ErrInvalidPage.Error())
			return
		}
		page = n
	}
	rows, total, err := s.opt.Members.Ledger.Entries(r.Context(), card.ID, account, size, (page-1)*size)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	pages := max(1, (total+size-1)/size)
	if page > pages {
		writeDetail(w, http.StatusNotFound, views.ErrInvalidPage.Error())
		return
	}
	out := views.Page[T]{Count: total, Results: make([]T, 0, len(rows))}
	for _, e := range rows {
		out.Results = append(out.Results, row(e))
	}
	link := func(n int) *string {
		qq := r.URL.Query()
		qq.Set("page", strconv.Itoa(n))
		qq.Set("page_size", strconv.Itoa(size))
		u := r.URL.Path + "?" + qq.Encode()
		return &u
	}
	if page < pages {
		out.Next = link(page + 1)
	}
	if page > 1 {
		out.Previous = link(page - 1)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) orgName(rest *Restaurant) string {
	if m := rest.Menu(); m != nil && m.Restaurant.Name != "" {
		return m.Restaurant.Name
	}
	return s.opt.Members.ShopName
}

func seedTime(t time.Time, rest *Restaurant) string {
	return t.In(rest.Schedule.Zone()).Format(orders.TimeLayout)
}

// cardConsumeLogs is §11.4: the balance's rows, newest first.
func (s *Server) cardConsumeLogs(w http.ResponseWriter, r *http.Request) {
	card, rest, ok := s.myCard(w, r)
	if !ok {
		return
	}
	org := s.orgName(rest)
	ledgerPage(s, w, r, card, store.AccountBalance, func(e store.MemberEntry) consumeLog {
		typ := 2
		if e.Delta > 0 {
			typ = 1
		}
		return consumeLog{OriMoney: money.Number(abs(e.Delta)), ActMoney: money.Number(abs(e.Delta)), Description: describe(e),
			OrgName: org, Amount: money.Number(e.After), Time: seedTime(e.At, rest), Type: typ}
	})
}

// cardScoreLogs is §11.5: the points' rows with the seed's types.
func (s *Server) cardScoreLogs(w http.ResponseWriter, r *http.Request) {
	card, rest, ok := s.myCard(w, r)
	if !ok {
		return
	}
	org := s.orgName(rest)
	ledgerPage(s, w, r, card, store.AccountPoints, func(e store.MemberEntry) scoreLog {
		typ := scoreOther
		switch e.Reason {
		case "top_up_bonus":
			typ = scoreTopUpBonus
		case "earned":
			typ = scoreEarned
		case "redeemed":
			typ = scoreRedeemed
		}
		return scoreLog{OrgName: org, Type: typ, Description: describe(e), SaveScore: e.Delta, Time: seedTime(e.At, rest)}
	})
}

// cardUnbind is §11.6: 200, 403 without a card.
func (s *Server) cardUnbind(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	if err := s.opt.Members.Ledger.Unbind(r.Context(), rest.ID, customerKey(c)); err != nil {
		s.memberError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

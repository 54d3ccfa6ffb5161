package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/store"
)

// createRequest is §6.5's body: the cart pricing checks and the customer's
// own fields.
type createRequest struct {
	pricing.OrderRequest
	QRCodeVersion   *pricing.Int `json:"qrcode_version,omitempty"` // an alias of ver (digest §1.8)
	UserAddress     *pricing.Int `json:"user_address,omitempty"`
	CustomerName    string       `json:"customer_name"`
	CustomerPhone   string       `json:"customer_phone"`
	CustomerAddress string       `json:"customer_address"`
	Remark          string       `json:"remark"`
	PlanTime        string       `json:"plan_time"`
	ClientKey       string       `json:"client_key"` // the Idempotency-Key, for clients that cannot set headers
}

// createReply is the order object with the token that reads it.
type createReply struct {
	orders.View
	ViewToken string `json:"view_token"`
}

// Bounds of the customer's free text (anything stored from outside is bounded).
var textLimits = []struct {
	field string
	max   int
	get   func(*createRequest) string
}{
	{"customer_name", 40, func(c *createRequest) string { return c.CustomerName }},
	{"customer_phone", 20, func(c *createRequest) string { return c.CustomerPhone }},
	{"customer_address", 200, func(c *createRequest) string { return c.CustomerAddress }},
	{"remark", 200, func(c *createRequest) string { return c.Remark }},
}

const maxLineNote = 100

var idemKeyRE = regexp.MustCompile(`^[A-Za-z0-9_.:-]{8,80}$`)

// createOrder is §6.5: everything recomputed from the menu, the open state,
// the sticker's version, the table's cap, the Idempotency-Key; 200 with the
// order and its view_token.
func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) {
	client := s.clientAddr(r)
	if ok, retry := s.creates.allow(client); !ok {
		tooMany(w, retry)
		return
	}
	rest, m, ok := s.restaurant(w, r, "")
	if !ok {
		return
	}
	body, ok := readBody(w, r, maxBody)
	if !ok {
		return
	}
	var req createRequest
	if err := pricing.Decode(body, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if key == "" {
		key = strings.TrimSpace(req.ClientKey)
	}
	if key != "" && !idemKeyRE.MatchString(key) {
		writeFields(w, map[string]any{"Idempotency-Key": []string{"应是 8 到 80 个字母、数字或 -_.: 组成的唯一编号（例如 UUID）"}})
		return
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if key != "" {
		// An answered key is answered again before anything else is
		// checked: the store may have closed since the first try.
		if done, ok := s.replay(w, r, rest, key, hash); done || !ok {
			return
		}
	}
	caller, loggedIn := s.optionalCaller(r)
	if !s.checkCreate(w, r, rest, &req, loggedIn) {
		return
	}
	env, err := s.env(r, rest, int64(req.TableID))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	addr, ok := s.deliveryAddress(w, r, rest, m, &req, caller, &env)
	if !ok {
		return
	}
	q, err := pricing.PriceOrder(m, &req.OrderRequest, env)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	planTime, ok := s.planTime(w, rest, req.PlanTime)
	if !ok {
		return
	}
	rec := orders.FromQuote(q)
	rec.PaidType = menu.PaidOffline
	if req.PaidType != nil {
		rec.PaidType = int(*req.PaidType)
	}
	rec.CustomerName, rec.CustomerPhone, rec.CustomerAddress = strings.TrimSpace(req.CustomerName), normalizePhone(req.CustomerPhone), strings.TrimSpace(req.CustomerAddress)
	if addr != nil { // the address book's entry is what the rider reads
		rec.UserAddress, rec.CustomerName, rec.CustomerPhone, rec.CustomerAddress = addr.ID, addr.Name, addr.Phone, addr.Address
	}
	status := orders.Awaiting
	if rec.PaidType == menu.PaidWeChat || rec.PaidType == menu.PaidMemberCard {
		status = orders.Placed // waits for its payment (online, or the card's confirmation page); handed to the flow when paid
	}
	rec.CustomerCount, rec.Remark, rec.PlanTime = int(req.CustomerCount), strings.TrimSpace(req.Remark), planTime
	token := newToken()
	now := s.now()
	o, replay, err := s.opt.DB.CreateOrderingOrder(r.Context(), store.NewOrderingOrder{
		Order: store.OrderingOrder{
			RestaurantID: rest.ID, StoreID: rest.StoreID, TableID: q.Table.ID, TableName: q.Table.Name, EatType: int(q.EatType),
			Status: int(status), BusinessDay: rest.Schedule.BusinessDate(now).Format(time.DateOnly),
			CustomerCount: rec.CustomerCount, TotalFee: int64(q.TotalFee), ViewTokenHash: tokenHash(token),
			OrderJSON: rec.Encode(), ClientAddr: client, CustomerID: caller.CustomerID, PaidType: rec.PaidType,
		},
		IdemKey: key, BodyHash: hash, TakeCode: orders.HasTakeCode(int(q.EatType)), TakeCodeStart: s.opt.TakeCodeStart,
		RealTable: !q.Table.IsVirtual(), OpenCap: s.opt.OpenOrdersPerTable, MealIdle: mealIdle,
	})
	switch {
	case errors.Is(err, store.ErrIdempotencyConflict):
		writeDetail(w, http.StatusConflict, "这个 Idempotency-Key 已用于另一笔订单，请换一个新的。")
		return
	case errors.Is(err, store.ErrTableFull):
		w.Header().Set("Retry-After", "60")
		writeDetail(w, http.StatusTooManyRequests, "这一桌还有 "+strconv.Itoa(s.opt.OpenOrdersPerTable)+" 笔订单没有完成，请稍后再下单，或请服务员帮忙。")
		return
	case err != nil:
		s.writeError(w, r, err)
		return
	}
	if replay { // a concurrent twin won the race: it holds the token
		s.answerReplay(w, r, rest, o)
		return
	}
	// The order is durable: the phone has its answer now, and the hand-over
	// to the flow (the inbox, then bridge) goes on beside it; after a crash
	// the sweep hands over what was not.
	if o.Status == int(orders.Placed) {
		writeJSON(w, http.StatusOK, createReply{View: orders.NewView(o, &rec, rest.Schedule.Zone(), orders.Owner), ViewToken: token})
		return
	}
	s.handing.Add(1)
	go func() {
		defer s.handing.Done()
		s.place(context.WithoutCancel(r.Context()), o)
	}()
	writeJSON(w, http.StatusOK, createReply{View: orders.NewView(o, &rec, rest.Schedule.Zone(), orders.Owner), ViewToken: token})
}

// replay answers a key seen before: the same body gets its order again
// (done), another body 409 (done). ok false: an error was written.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, rest *Restaurant, key, hash string) (done, ok bool) {
	seen, id, err := s.opt.DB.OrderingIdempotencyKey(r.Context(), rest.ID, key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, true
	case err != nil:
		s.writeError(w, r, err)
		return true, false
	case seen != hash:
		writeDetail(w, http.StatusConflict, "这个 Idempotency-Key 已用于另一笔订单，请换一个新的。")
		return true, true
	}
	o, err := s.opt.DB.OrderingOrder(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return true, false
	}
	s.answerReplay(w, r, rest, o)
	return true, true
}

// answerReplay is the order of a repeated create with a fresh view_token:
// the page lost the first reply (and its token) to a dropped connection,
// and it proves it is the same phone by the key and the body.
func (s *Server) answerReplay(w http.ResponseWriter, r *http.Request, rest *Restaurant, o *store.OrderingOrder) {
	token := newToken()
	if err := s.opt.DB.AddOrderingViewToken(r.Context(), o.ID, tokenHash(token)); err != nil {
		s.writeError(w, r, err)
		return
	}
	rec, err := orders.Decode(o.OrderJSON)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, createReply{View: orders.NewView(o, rec, rest.Schedule.Zone(), orders.Owner), ViewToken: token})
}

// checkCreate checks what pricing does not: the restaurant, ver's spelling,
// the customer's address book (a login), the text bounds.
func (s *Server) checkCreate(w http.ResponseWriter, r *http.Request, rest *Restaurant, req *createRequest, loggedIn bool) bool {
	if !restaurantMatches(w, rest, int64(req.Restaurant)) {
		return false
	}
	vers := []*pricing.Int{req.Ver, req.QRCodeVersion}
	for _, name := range []string{"ver", "qrcode_version"} {
		if v := r.URL.Query().Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				writeFields(w, map[string]any{name: []string{"应是整数"}})
				return false
			}
			pv := pricing.Int(n)
			vers = append(vers, &pv)
		}
	}
	for _, v := range vers {
		if v == nil {
			continue
		}
		if req.Ver != nil && *req.Ver != *v {
			writeFields(w, map[string]any{"ver": []string{"二维码版本前后不一致"}})
			return false
		}
		req.Ver = v
	}
	if req.UserAddress != nil && !loggedIn {
		writeFields(w, map[string]any{"user_address": []string{"使用收货地址需要先登录"}})
		return false
	}
	bad := map[string]any{}
	for _, l := range textLimits {
		if utf8.RuneCountInString(l.get(req)) > l.max {
			bad[l.field] = []string{"最多 " + strconv.Itoa(l.max) + " 个字"}
		}
	}
	if p := strings.TrimSpace(req.CustomerPhone); p != "" && normalizePhone(p) == "" {
		bad["customer_phone"] = []string{"手机号码格式错误"}
	}
	for i, l := range req.Products {
		if utf8.RuneCountInString(l.Req) > maxLineNote {
			lines := make([]any, len(req.Products))
			for j := range lines {
				lines[j] = map[string]any{}
			}
			lines[i] = map[string]any{"req": []string{"备注最多 " + strconv.Itoa(maxLineNote) + " 个字"}}
			bad["products"] = lines
			break
		}
	}
	if len(bad) > 0 {
		writeFields(w, bad)
		return false
	}
	return true
}

var (
	mainlandRE = regexp.MustCompile(`^1[0-9]{10}$`)
	e164RE     = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

// normalizePhone is the seed's rule (§1.3): +86 is dropped, other country
// codes kept; "" when it is no phone number.
func normalizePhone(p string) string {
	p = strings.ReplaceAll(strings.TrimSpace(p), " ", "")
	p = strings.TrimPrefix(p, "+86")
	if mainlandRE.MatchString(p) || e164RE.MatchString(p) {
		return p
	}
	return ""
}

// planTime reads §6.5's plan_time (ISO 8601 in the seed's spellings; no
// offset = the restaurant's zone). It must not lie in the past.
func (s *Server) planTime(w http.ResponseWriter, rest *Restaurant, text string) (time.Time, bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return time.Time{}, true
	}
	var t time.Time
	var err error
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02T15:04-0700", "2006-01-02T15:04Z07:00"} {
		if t, err = time.Parse(layout, text); err == nil {
			break
		}
	}
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02T15:04", text, rest.Schedule.Zone())
	}
	if err != nil {
		writeFields(w, map[string]any{"plan_time": []string{"时间格式应像 2019-04-28T15:22+0800"}})
		return time.Time{}, false
	}
	now := s.now()
	if t.Before(now.Add(-time.Minute)) {
		writeFields(w, map[string]any{"plan_time": []string{"预计时间已经过去，请重新选择"}})
		return time.Time{}, false
	}
	if t.After(now.Add(7 * 24 * time.Hour)) {
		writeFields(w, map[string]any{"plan_time": []string{"最多只能预约 7 天以内"}})
		return time.Time{}, false
	}
	return t, true
}

// newToken is a view_token: 128 random bits.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte("posbridge-view-token:" + token))
	return hex.EncodeToString(sum[:])
}

// place hands a stored order to the flow; a failure is retried by the
// sweep (the order is safe in the store either way).
func (s *Server) place(ctx context.Context, o *store.OrderingOrder) {
	if s.opt.Placer == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.opt.Placer.Place(ctx, o); err != nil {
		s.log.Warn("ordering: order not handed to the flow yet; retrying", "trade_no", o.TradeNo, "err", err)
		return
	}
	if err := s.opt.DB.MarkOrderingPlaced(ctx, o.ID); err != nil {
		s.log.Warn("ordering: cannot mark an order handed over", "trade_no", o.TradeNo, "err", err)
	}
}

// WaitHandOvers waits for the hand-overs under way beside replies (a
// stopping daemon lets them finish; the sweep does the rest after a crash).
func (s *Server) WaitHandOvers() { s.handing.Wait() }

package api

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/store"
)

// maxSmallBody bounds the bodies of logins and addresses.
const maxSmallBody = 8 << 10

// decodeSmall reads a small JSON body into v (415, 413 and 400 written).
func (s *Server) decodeSmall(w http.ResponseWriter, r *http.Request, v any) bool {
	body, ok := readBody(w, r, maxSmallBody)
	if !ok {
		return false
	}
	if err := pricing.Decode(body, v); err != nil {
		s.writeError(w, r, err)
		return false
	}
	return true
}

// customerCall is how the customer endpoints with a body begin: accounts
// on (404 otherwise), the small body decoded into req, the restaurant its
// res_id (resID, a field of req) names. ok false: the answer is written.
func (s *Server) customerCall(w http.ResponseWriter, r *http.Request, req any, resID **pricing.Int) (*Restaurant, bool) {
	if !s.customersOn(w) || !s.decodeSmall(w, r, req) {
		return nil, false
	}
	return s.customerRestaurant(w, r, *resID)
}

// customerRestaurant is the restaurant a login body names (res_id in the
// body, or in the query); the two must agree.
func (s *Server) customerRestaurant(w http.ResponseWriter, r *http.Request, body *pricing.Int) (*Restaurant, bool) {
	q := r.URL.Query().Get("res_id")
	if body != nil {
		b := strconv.FormatInt(int64(*body), 10)
		if q != "" && q != b {
			writeFields(w, map[string]any{"res_id": []string{"与网址中的 res_id 不一致"}})
			return nil, false
		}
		q = b
	}
	rest, _, ok := s.restaurant(w, r, q)
	return rest, ok
}

// customersOn: the listener has accounts (404 otherwise, as for a path it
// does not serve).
func (s *Server) customersOn(w http.ResponseWriter) bool {
	if s.opt.Customers == nil {
		notFound(w)
		return false
	}
	return true
}

type sendTokenRequest struct {
	ResID   *pricing.Int `json:"res_id"`
	Phone   string       `json:"phone"`
	Context string       `json:"context"`
}

// sendPhoneToken is §3.1.
func (s *Server) sendPhoneToken(w http.ResponseWriter, r *http.Request) {
	var req sendTokenRequest
	rest, ok := s.customerCall(w, r, &req, &req.ResID)
	if !ok {
		return
	}
	if strings.TrimSpace(req.Context) == "" {
		writeFields(w, map[string]any{"context": []string{"使用场景(context)不能为空"}})
		return
	}
	sent, err := s.opt.Customers.SendCode(r.Context(), rest.ID, req.Phone, req.Context, s.clientAddr(r))
	switch {
	case errors.Is(err, customers.ErrBadContext):
		writeFields(w, map[string]any{"context": []string{err.Error()}})
	case errors.Is(err, customers.ErrBadPhone):
		writeFields(w, map[string]any{"phone": []string{"手机号码格式错误"}})
	case errors.Is(err, customers.ErrTooSoon):
		w.Header().Set("Retry-After", "60")
		writeDetail(w, http.StatusTooManyRequests, err.Error())
	case errors.Is(err, customers.ErrSendLimit):
		w.Header().Set("Retry-After", "3600")
		writeDetail(w, http.StatusTooManyRequests, err.Error())
	case err != nil:
		s.log.Warn("ordering: SMS code not sent", "err", err)
		writeJSON(w, http.StatusOK, map[string]bool{"send": false})
	default:
		writeJSON(w, http.StatusOK, map[string]bool{"send": sent})
	}
}

type loginRequest struct {
	ResID    *pricing.Int `json:"res_id"`
	Username string       `json:"username"`
	Password string       `json:"password"`
	UserType *pricing.Int `json:"user_type"`
}

// loginReply is §3.2's shape (and §9.3's, §10.1's with openid).
type loginReply struct {
	ID     int64   `json:"id"`
	Token  string  `json:"token"`
	TTL    int     `json:"ttl"`
	OpenID *string `json:"openid,omitempty"`
}

// login is §3.2: the phone and its SMS code, or (user_type 2, §3.5) a
// Facebook token in password. Wrong credentials are 403.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	rest, ok := s.customerCall(w, r, &req, &req.ResID)
	if !ok {
		return
	}
	bad := map[string]any{}
	if strings.TrimSpace(req.Username) == "" {
		bad["username"] = []string{"请填写手机号码"}
	}
	if strings.TrimSpace(req.Password) == "" {
		bad["password"] = []string{"请填写验证码"}
	}
	if len(req.Password) > 1024 {
		bad["password"] = []string{"太长了"}
	}
	if len(bad) > 0 {
		writeFields(w, bad)
		return
	}
	if req.UserType != nil && *req.UserType == 2 {
		s.facebookLogin(w, r, rest, strings.TrimSpace(req.Password), "", false)
		return
	}
	if req.UserType != nil {
		writeFields(w, map[string]any{"user_type": []string{"只支持手机验证码登录（不填）或 Facebook 登录（2）"}})
		return
	}
	id, token, ttl, err := s.opt.Customers.Login(r.Context(), rest.ID, req.Username, strings.TrimSpace(req.Password))
	switch {
	case errors.Is(err, customers.ErrWrongCode):
		writeDetail(w, http.StatusForbidden, "手机号码或验证码不正确。")
	case err != nil:
		s.writeError(w, r, err)
	default:
		writeJSON(w, http.StatusOK, loginReply{ID: id, Token: token, TTL: ttl})
	}
}

// facebookLogin is §3.5 and §10.1.
func (s *Server) facebookLogin(w http.ResponseWriter, r *http.Request, rest *Restaurant, token, userID string, withOpenID bool) {
	if s.opt.OAuth == nil {
		writeDetail(w, http.StatusForbidden, customers.ErrNotConfigured.Error())
		return
	}
	l, err := s.opt.OAuth.FacebookLoginAs(r.Context(), rest.ID, token, userID)
	switch {
	case errors.Is(err, customers.ErrFacebookLogin) && withOpenID:
		writeFields(w, map[string]any{"access_token": []string{err.Error()}})
	case errors.Is(err, customers.ErrFacebookLogin), errors.Is(err, customers.ErrNotConfigured):
		writeDetail(w, http.StatusForbidden, err.Error())
	case err != nil:
		s.log.Warn("ordering: Facebook login failed", "err", err)
		writeDetail(w, http.StatusServiceUnavailable, "Facebook 暂时无法登录，请稍后再试。")
	default:
		rep := loginReply{ID: l.CustomerID, Token: l.Token, TTL: l.TTL}
		if withOpenID {
			empty := ""
			rep.OpenID = &empty
		}
		writeJSON(w, http.StatusOK, rep)
	}
}

type facebookRequest struct {
	ResID       *pricing.Int `json:"res_id"`
	UserID      any          `json:"user_id"` // a number in the seed's example; ids pass 2^53
	AccessToken string       `json:"access_token"`
	Name        string       `json:"name"`
}

// facebookDebugToken is §10.1.
func (s *Server) facebookDebugToken(w http.ResponseWriter, r *http.Request) {
	var req facebookRequest
	rest, ok := s.customerCall(w, r, &req, &req.ResID)
	if !ok {
		return
	}
	uid := ""
	switch v := req.UserID.(type) {
	case string:
		uid = v
	case float64:
		uid = strconv.FormatFloat(v, 'f', -1, 64)
	}
	if req.AccessToken == "" || len(req.AccessToken) > 1024 {
		writeFields(w, map[string]any{"access_token": []string{"缺少 Facebook 登录令牌"}})
		return
	}
	s.facebookLogin(w, r, rest, req.AccessToken, uid, true)
}

// addressView is §4's address object.
type addressView struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Gender    int      `json:"gender"`
	Phone     string   `json:"phone"`
	Address   string   `json:"address"`
	Longitude *float64 `json:"longitude"`
	Latitude  *float64 `json:"latitude"`
	Distance  float64  `json:"distance"`
	IsDefault bool     `json:"is_default"`
}

// newAddressView computes the distance from the restaurant (haversine).
func newAddressView(a *store.CustomerAddress, rest *Restaurant) addressView {
	v := addressView{ID: a.ID, Name: a.Name, Gender: a.Gender, Phone: a.Phone, Address: a.Address, Longitude: a.Longitude,
		Latitude: a.Latitude, Distance: -1, IsDefault: a.IsDefault}
	if m := rest.Menu(); m != nil {
		t := m.Restaurant.Takeout
		if d := customers.DistanceKm(a, t.Longitude, t.Latitude); d >= 0 {
			v.Distance = float64(int64(d*1000+0.5)) / 1000 // meters, as km
		}
	}
	return v
}

// meReply is §3.3.
type meReply struct {
	ID         int64         `json:"id"`
	Username   string        `json:"username"`
	Phone      string        `json:"phone"`
	Email      string        `json:"email"`
	Avatar     string        `json:"avatar"`
	NickName   string        `json:"nick_name"`
	Addresses  []addressView `json:"addresses"`
	MemberCard *struct {
		CardID string `json:"card_id"`
	} `json:"member_card"`
}

// me is §3.3.
func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	c, ok := s.Authenticate(w, r)
	if !ok || !s.customersOn(w) {
		return
	}
	s.writeMe(w, r, c)
}

func (s *Server) writeMe(w http.ResponseWriter, r *http.Request, c Caller) {
	cust, err := s.opt.DB.CustomerByID(r.Context(), c.CustomerID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.opt.Customers.Addresses(r.Context(), c.CustomerID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rest := s.restaurants[c.RestaurantID]
	out := meReply{ID: cust.ID, Username: cust.Phone, Phone: cust.Phone, Avatar: cust.Avatar, NickName: cust.NickName, Addresses: []addressView{}}
	for i := range list {
		if rest != nil {
			out.Addresses = append(out.Addresses, newAddressView(&list[i], rest))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

type meRequest struct {
	Avatar   *string `json:"avatar"`
	NickName *string `json:"nick_name"`
}

// updateMe is §3.4: the nick name and the avatar's URL.
func (s *Server) updateMe(w http.ResponseWriter, r *http.Request) {
	c, ok := s.Authenticate(w, r)
	if !ok || !s.customersOn(w) {
		return
	}
	var req meRequest
	if !s.decodeSmall(w, r, &req) {
		return
	}
	cust, err := s.opt.DB.CustomerByID(r.Context(), c.CustomerID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	nick, avatar := cust.NickName, cust.Avatar
	bad := map[string]any{}
	if req.NickName != nil {
		nick = strings.TrimSpace(*req.NickName)
		if utf8.RuneCountInString(nick) > 32 {
			bad["nick_name"] = []string{"最多 32 个字"}
		}
	}
	if req.Avatar != nil {
		avatar = strings.TrimSpace(*req.Avatar)
		if u, err := url.Parse(avatar); avatar != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(avatar) > 500) {
			bad["avatar"] = []string{"应是图片的网址（http 或 https，最多 500 字符）"}
		}
	}
	if len(bad) > 0 {
		writeFields(w, bad)
		return
	}
	if err := s.opt.DB.Write(r.Context(), func(tx *store.Tx) error { return tx.SetCustomerProfile(c.CustomerID, nick, avatar) }); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeMe(w, r, c)
}

type bindPhoneRequest struct {
	Phone string `json:"phone"`
	Token string `json:"token"`
}

// bindPhone is §3.6.
func (s *Server) bindPhone(w http.ResponseWriter, r *http.Request) {
	c, ok := s.Authenticate(w, r)
	if !ok || !s.customersOn(w) {
		return
	}
	var req bindPhoneRequest
	if !s.decodeSmall(w, r, &req) {
		return
	}
	err := s.opt.Customers.BindPhone(r.Context(), c.CustomerID, req.Phone, strings.TrimSpace(req.Token))
	switch {
	case errors.Is(err, customers.ErrBadPhone):
		writeFields(w, map[string]any{"phone": []string{"手机号码格式错误"}})
	case errors.Is(err, customers.ErrWrongCode):
		writeFields(w, map[string]any{"token": []string{err.Error()}})
	case errors.Is(err, customers.ErrPhoneInUse):
		writeFields(w, map[string]any{"phone": []string{err.Error()}})
	case errors.Is(err, customers.ErrHasPhone):
		writeDetail(w, http.StatusForbidden, "用户已绑定手机号码")
	case err != nil:
		s.writeError(w, r, err)
	default:
		s.writeMe(w, r, c)
	}
}

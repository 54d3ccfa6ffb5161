package wechatpay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// beijing is the +08:00 offset WeChat Pay's times are written in; a fixed
// zone needs no tzdata (Windows store PCs may lack it).
var beijing = time.FixedZone("CST", 8*3600)

// Documented lengths (String(N)) of the sync's fields, and our own bounds
// for the free-text fields whose length the documents leave open.
const (
	lenID        = 32  // mchids, appids, openids, out_shop_no
	lenToken     = 256 // login_token
	lenEntry     = 256 // order_entry
	lenOrderNo   = 64  // out_order_no, transaction_id, out_trade_no
	lenTable     = 32  // out_table_no: length not documented (inferred, the usual String(32))
	lenDishNo    = 64  // out_dish_no: not documented (inferred)
	lenDishName  = 128 // name: not documented (inferred)
	maxCount     = 100_000_00
	maxPriority  = 100
	fullDiscount = 100
)

// syncBody is the request body, fields in the seed's order. Optional
// fields are omitted, never null.
type syncBody struct {
	SpMchID        string     `json:"sp_mchid,omitempty"`
	SpAppID        string     `json:"sp_appid,omitempty"`
	ChannelID      string     `json:"channel_id,omitempty"`
	SubMchID       string     `json:"sub_mchid"`
	SubAppID       string     `json:"sub_appid,omitempty"`
	OutShopNo      string     `json:"out_shop_no"`
	OpenID         string     `json:"openid,omitempty"`
	SubOpenID      string     `json:"sub_openid,omitempty"`
	LoginToken     string     `json:"login_token"`
	OrderEntry     string     `json:"order_entry"`
	TotalAmount    int64      `json:"total_amount"`
	DiscountAmount int64      `json:"discount_amount"`
	UserAmount     int64      `json:"user_amount"`
	Status         SyncAction `json:"status"`
	ActionTime     string     `json:"action_time"`
	PayTime        string     `json:"pay_time,omitempty"`
	TransactionID  string     `json:"transaction_id,omitempty"`
	OutTradeNo     string     `json:"out_trade_no,omitempty"`
	OutOrderNo     string     `json:"out_order_no"`
	OutTableNo     string     `json:"out_table_no,omitempty"`
	PeopleCount    int        `json:"people_count,omitempty"`
	DishList       []wireDish `json:"dish_list"`
}

type wireDish struct {
	OutDishNo  string          `json:"out_dish_no"`
	Name       string          `json:"name"`
	Price      int64           `json:"price"`
	Unit       DishUnit        `json:"unit"`
	Count      hundredths      `json:"count"`
	Discount   *int            `json:"discount,omitempty"`
	Type       string          `json:"type,omitempty"`
	Priority   *int            `json:"priority,omitempty"`
	Properties *wireProperties `json:"properties,omitempty"`
}

// wireProperties: the first four are required inside the object, so the
// object is sent only when each of them has a documented value.
type wireProperties struct {
	Taste        string `json:"taste"`
	Cuisine      string `json:"cuisine"`
	MainMaterial string `json:"main_material"`
	Ingredients  string `json:"ingredients"`
	Others       string `json:"others,omitempty"`
}

// BuildSyncBody returns the exact body of POST /v3/catering/orders/sync-status
// for the order: the same bytes for the same Config and SyncOrder, every
// time. An order that is not reported gets a *NotSyncable (errors.As) with
// the reason, and no body.
func BuildSyncBody(cfg *Config, o *SyncOrder) ([]byte, error) {
	if !cfg.Enabled {
		return nil, notSyncable(NotSyncableDisabled, "wechatpay.enabled is false")
	}
	b, err := newSyncBody(cfg, o)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // order_entry keeps its & as is; the bytes are signed as sent either way
	if err := enc.Encode(b); err != nil {
		return nil, fmt.Errorf("wechatpay: encode sync body: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func newSyncBody(cfg *Config, o *SyncOrder) (*syncBody, error) {
	invalid := func(format string, args ...any) error {
		return notSyncable(NotSyncableInvalid, fmt.Sprintf(format, args...))
	}
	if o.Action != ActionCreateDeal && o.Action != ActionPaySuccess {
		return nil, invalid("action %q is neither CREATE_DEAL nor PAY_SUCCESS", o.Action)
	}
	r, ok := cfg.Restaurant(o.RestaurantID)
	if !ok {
		return nil, notSyncable(NotSyncableUnknownRestaurant, fmt.Sprintf("restaurant %d is not in wechatpay.restaurants", o.RestaurantID))
	}
	b := &syncBody{
		SubMchID: strings.TrimSpace(r.SubMchID), SubAppID: strings.TrimSpace(r.SubAppID),
		OutShopNo: strings.TrimSpace(r.OutShopNo), Status: o.Action,
	}
	if cfg.Mode == ModeChannel {
		b.ChannelID = strings.TrimSpace(cfg.ChannelID)
	} else {
		b.SpMchID, b.SpAppID = strings.TrimSpace(cfg.SpMchID), strings.TrimSpace(cfg.SpAppID)
	}
	if err := b.setCustomer(cfg, r, &o.Customer); err != nil {
		return nil, err
	}
	if !plainID(o.OutOrderNo, lenOrderNo) {
		return nil, invalid("out_order_no %q is empty, longer than %d or not plain ASCII", o.OutOrderNo, lenOrderNo)
	}
	b.OutOrderNo = o.OutOrderNo
	if !validURL(o.OrderEntry, lenEntry) {
		return nil, invalid("order_entry %q is empty, longer than %d bytes or holds spaces or emoji", o.OrderEntry, lenEntry)
	}
	b.OrderEntry = o.OrderEntry
	if o.ActionTime.IsZero() {
		return nil, invalid("action_time is not set")
	}
	b.ActionTime = o.ActionTime.In(beijing).Format(time.RFC3339)
	if o.Action == ActionPaySuccess {
		if err := b.setPayment(o.Payment); err != nil {
			return nil, err
		}
	}
	cv, err := newCNYConverter(o.Currency)
	if err != nil {
		return nil, invalid("%v", err)
	}
	if err := b.setAmounts(o, cv); err != nil {
		return nil, err
	}
	b.OutTableNo = cleanText(o.TableName, lenTable)
	if o.PeopleCount < 0 {
		return nil, invalid("people_count %d is negative", o.PeopleCount)
	}
	b.PeopleCount = o.PeopleCount
	if len(o.Dishes) == 0 {
		return nil, invalid("the order has no dishes (dish_list is required)")
	}
	for i := range o.Dishes {
		d, err := wireDishOf(r, &o.Dishes[i], cv)
		if err != nil {
			return nil, invalid("dish %d: %v", i, err)
		}
		b.DishList = append(b.DishList, d)
	}
	return b, nil
}

// setCustomer picks sub_openid or openid by the account the login belongs
// to. Any other account's openid is not sent.
func (b *syncBody) setCustomer(cfg *Config, r *Restaurant, c *WeChatLogin) error {
	openid, appid := strings.TrimSpace(c.OpenID), strings.TrimSpace(c.AppID)
	if openid == "" {
		return notSyncable(NotSyncableNoLogin, "the order was placed without a WeChat login (no openid)")
	}
	switch {
	case appid != "" && appid == b.SubAppID:
		b.SubOpenID = openid
	case appid != "" && cfg.Mode != ModeChannel && appid == b.SpAppID:
		b.OpenID = openid
	default:
		return notSyncable(NotSyncableForeignOpenID, fmt.Sprintf("the openid belongs to account %q, which is neither the restaurant's sub_appid %q nor the provider's sp_appid", appid, b.SubAppID))
	}
	if !plainID(openid, lenID) {
		return notSyncable(NotSyncableInvalid, fmt.Sprintf("openid of %d bytes is not a WeChat openid (at most %d plain characters)", len(openid), lenID))
	}
	token := strings.TrimSpace(c.LoginToken)
	if token == "" {
		return notSyncable(NotSyncableNoLoginToken, "no page access_token is kept for the customer's login")
	}
	if !plainID(token, lenToken) {
		return notSyncable(NotSyncableInvalid, fmt.Sprintf("login_token of %d bytes does not fit String(%d)", len(token), lenToken))
	}
	b.LoginToken = token
	return nil
}

func (b *syncBody) setPayment(p *SyncPayment) error {
	if p == nil || p.TransactionID == "" {
		return notSyncable(NotSyncableNoWeChatPayment, "PAY_SUCCESS needs the WeChat Pay transaction_id of the payment")
	}
	switch {
	case p.PayTime.IsZero():
		return notSyncable(NotSyncableInvalid, "pay_time is not set")
	case !plainID(p.TransactionID, lenOrderNo):
		return notSyncable(NotSyncableInvalid, fmt.Sprintf("transaction_id %q is longer than %d or not plain ASCII", p.TransactionID, lenOrderNo))
	case !plainID(p.OutTradeNo, lenOrderNo):
		return notSyncable(NotSyncableInvalid, fmt.Sprintf("out_trade_no %q is empty, longer than %d or not plain ASCII", p.OutTradeNo, lenOrderNo))
	}
	b.PayTime = p.PayTime.In(beijing).Format(time.RFC3339)
	b.TransactionID, b.OutTradeNo = p.TransactionID, p.OutTradeNo
	return nil
}

// setAmounts writes the amounts in CNY fen. For another currency the
// customer's CNY amount is the one charged (UserAmountCNY) or converted,
// the discount is converted, and the total is their sum, so that the three
// still add up after rounding.
func (b *syncBody) setAmounts(o *SyncOrder, cv *cnyConverter) error {
	for _, a := range []struct {
		name string
		v    int64
	}{{"total_amount", o.TotalAmount}, {"discount_amount", o.DiscountAmount}, {"user_amount", o.UserAmount}} {
		if a.v < 0 || a.v > maxMinorUnits {
			return notSyncable(NotSyncableInvalid, fmt.Sprintf("%s %d is out of range", a.name, a.v))
		}
	}
	if o.TotalAmount != o.DiscountAmount+o.UserAmount {
		return notSyncable(NotSyncableInvalid, fmt.Sprintf("total %d is not discount %d + paid %d", o.TotalAmount, o.DiscountAmount, o.UserAmount))
	}
	if cv == nil {
		b.TotalAmount, b.DiscountAmount, b.UserAmount = o.TotalAmount, o.DiscountAmount, o.UserAmount
		return nil
	}
	user := cv.fen(o.UserAmount)
	if o.UserAmountCNY != nil {
		user = *o.UserAmountCNY
	}
	discount := cv.fen(o.DiscountAmount)
	if user < 0 || user > maxMinorUnits || discount > maxMinorUnits {
		return notSyncable(NotSyncableInvalid, fmt.Sprintf("CNY amounts %d and %d are out of range", user, discount))
	}
	b.TotalAmount, b.DiscountAmount, b.UserAmount = user+discount, discount, user
	return nil
}

func wireDishOf(r *Restaurant, d *SyncDish, cv *cnyConverter) (wireDish, error) {
	w := wireDish{OutDishNo: d.OutDishNo, Unit: d.Unit, Count: hundredths(d.CountHundredths)}
	if !plainID(d.OutDishNo, lenDishNo) {
		return w, fmt.Errorf("out_dish_no %q is empty, longer than %d or not plain ASCII", d.OutDishNo, lenDishNo)
	}
	if w.Name = cleanText(d.Name, lenDishName); w.Name == "" {
		w.Name = d.OutDishNo // a name of emoji only: the dish number is better than nothing
	}
	if d.Price < 0 || d.Price > maxMinorUnits {
		return w, fmt.Errorf("price %d is out of range", d.Price)
	}
	w.Price = cv.fen(d.Price)
	switch d.Unit {
	case "":
		w.Unit = UnitByShare
	case UnitByShare, UnitByWeight:
	default:
		return w, fmt.Errorf("unit %q is neither BY_SHARE nor BY_WEIGHT", d.Unit)
	}
	if d.CountHundredths <= 0 || d.CountHundredths > maxCount {
		return w, fmt.Errorf("count %d hundredths is out of range", d.CountHundredths)
	}
	if d.Discount != nil {
		if *d.Discount < 0 || *d.Discount > fullDiscount {
			return w, fmt.Errorf("discount %d%% is not a percentage from 0 to 100", *d.Discount)
		}
		w.Discount = new(*d.Discount)
	}
	if t, ok := r.DishType(d.CategoryID); ok && IsDishType(t) {
		w.Type = t
	}
	if d.Priority > 0 {
		w.Priority = new(min(d.Priority, maxPriority))
	}
	w.Properties = dishProperties(d.Specs, d.Tags)
	return w, nil
}

// dishProperties keeps the words of the documented vocabularies, each
// property's values in the documented order and joined with " | ". Words
// that fit no vocabulary (大杯, 三分糖) are left out, and so is the whole
// object when one of its four required properties has no value.
func dishProperties(lists ...[]string) *wireProperties {
	found := make([][]int, len(propertyVocabs))
	for _, list := range lists {
		for _, word := range list {
			p, pos, ok := vocabIndex(strings.TrimSpace(word))
			if ok && !slices.Contains(found[p], pos) {
				found[p] = append(found[p], pos)
			}
		}
	}
	joined := make([]string, len(propertyVocabs))
	for p, positions := range found {
		slices.Sort(positions)
		words := make([]string, len(positions))
		for i, pos := range positions {
			words[i] = propertyVocabs[p].values[pos]
		}
		joined[p] = strings.Join(words, propertySeparator)
	}
	props := &wireProperties{Taste: joined[0], Cuisine: joined[1], MainMaterial: joined[2], Ingredients: joined[3], Others: joined[4]}
	if props.Taste == "" || props.Cuisine == "" || props.MainMaterial == "" || props.Ingredients == "" {
		return nil
	}
	return props
}

// validURL: the page URL (official account) or page path (mini program) is
// not empty, at most n bytes, valid UTF-8 of one to three bytes a
// character, without spaces or control characters. A URL is never cut.
func validURL(s string, n int) bool {
	if s == "" || len(s) > n || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7F || r > 0xFFFF {
			return false
		}
	}
	return true
}

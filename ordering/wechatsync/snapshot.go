package wechatsync

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/ordering/sticker"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay"
)

// snapshot is the sync of action for the stored order, the customer who
// placed it and (PAY_SUCCESS) its WeChat Pay payment. Reasons not to sync
// come back as *wechatpay.NotSyncable; other errors are reads to retry.
func (r *Reporter) snapshot(ctx context.Context, t bridge.Transition, action wechatpay.SyncAction) (*wechatpay.SyncOrder, error) {
	if !r.opt.Config.Enabled {
		return nil, &wechatpay.NotSyncable{Reason: wechatpay.NotSyncableDisabled}
	}
	o, err := r.opt.DB.OrderingOrderByTradeNo(ctx, t.Code)
	if err != nil {
		return nil, err
	}
	rec, err := orders.Decode(o.OrderJSON)
	if err != nil {
		return nil, &wechatpay.NotSyncable{Reason: wechatpay.NotSyncableInvalid, Detail: err.Error()}
	}
	snap := &wechatpay.SyncOrder{
		Action: action, RestaurantID: o.RestaurantID, OutOrderNo: o.TradeNo, TableName: o.TableName, PeopleCount: max(rec.CustomerCount, 0),
		DiscountAmount: int64(rec.DiscountFee), UserAmount: int64(rec.TotalFee), ActionTime: t.At,
	}
	// The total is what the customer pays before discounts: the sum keeps
	// the documented total = discount + paid whatever fees the order had.
	snap.TotalAmount = snap.DiscountAmount + snap.UserAmount
	var m *menu.Menu
	if r.opt.Menus != nil {
		m, _, _ = r.opt.Menus.Menu(o.RestaurantID)
	}
	snap.Currency = currencyOf(m)
	snap.OrderEntry = r.orderEntry(o, m)
	for i := range rec.Lines {
		snap.Dishes = append(snap.Dishes, dishOf(&rec.Lines[i], m))
	}
	if snap.Customer, err = r.login(ctx, o); err != nil {
		return nil, err
	}
	if action == wechatpay.ActionPaySuccess {
		if r.opt.Payments != nil {
			if snap.Payment, err = r.opt.Payments.WeChatPayment(ctx, o.TradeNo); err != nil {
				return nil, err
			}
		}
		if snap.Payment == nil {
			return nil, &wechatpay.NotSyncable{Reason: wechatpay.NotSyncableNoWeChatPayment, Detail: "no WeChat Pay payment is recorded for the order"}
		}
	}
	return snap, nil
}

// login is the WeChat login of the customer who placed the order: under
// the restaurant's sub_appid, else the provider's sp_appid. A customer
// with only another account's openid gets that account, which the body
// builder refuses with the reason (foreign_openid); none is no login.
func (r *Reporter) login(ctx context.Context, o *store.OrderingOrder) (wechatpay.WeChatLogin, error) {
	id, ok, err := r.opt.DB.OrderingOrderCustomer(ctx, o.TradeNo)
	if err == nil && !ok && r.opt.CustomerOf != nil {
		id, ok, err = r.opt.CustomerOf(ctx, o.TradeNo)
	}
	if err != nil || !ok || r.opt.Identities == nil {
		return wechatpay.WeChatLogin{}, err
	}
	var apps []string
	if rest, found := r.opt.Config.Restaurant(o.RestaurantID); found && rest.SubAppID != "" {
		apps = append(apps, strings.TrimSpace(rest.SubAppID))
	}
	if r.opt.Config.Mode != wechatpay.ModeChannel && r.opt.Config.SpAppID != "" {
		apps = append(apps, strings.TrimSpace(r.opt.Config.SpAppID))
	}
	for _, app := range apps {
		ident, found, err := r.opt.Identities.WeChatIdentity(ctx, id, app)
		if err != nil {
			return wechatpay.WeChatLogin{}, err
		}
		if found {
			return loginOf(id, ident), nil
		}
	}
	idents, err := r.opt.DB.CustomerIdentities(ctx, id)
	if err != nil {
		return wechatpay.WeChatLogin{}, err
	}
	for _, ident := range idents {
		if ident.Provider == "wechat" {
			return wechatpay.WeChatLogin{OpenID: "(another account)", AppID: ident.AppID}, nil
		}
	}
	return wechatpay.WeChatLogin{}, nil
}

func loginOf(customerID int64, i store.CustomerIdentity) wechatpay.WeChatLogin {
	return wechatpay.WeChatLogin{OpenID: i.Subject, AppID: i.AppID, LoginToken: i.AccessToken, TokenIssuedAt: i.TokenAt,
		SessionRef: strconv.FormatInt(customerID, 10)}
}

// orderEntry is the page the order was placed on: its table's sticker URL
// (the table's current QR version when the menu knows it).
func (r *Reporter) orderEntry(o *store.OrderingOrder, m *menu.Menu) string {
	version := 0
	if m != nil {
		if t, ok := m.Table(o.TableID); ok {
			version = t.QRCodeVersion
		}
	}
	if r.opt.PublicURL == nil {
		return ""
	}
	u, err := sticker.URL(r.opt.PublicURL(), o.RestaurantID, o.TableID, version)
	if err != nil {
		return ""
	}
	return u
}

var isoCurrency = regexp.MustCompile(`^[A-Z]{3}$`)

// currencyOf is the menu's currency: an ISO code other than CNY with a
// cny_exrate is converted; anything else is taken as CNY.
func currencyOf(m *menu.Menu) wechatpay.Currency {
	if m == nil {
		return wechatpay.Currency{}
	}
	code := strings.ToUpper(strings.TrimSpace(m.Restaurant.CurrencyName))
	rate := m.Restaurant.Takeout.CNYExrate
	if !isoCurrency.MatchString(code) || code == "CNY" || code == "RMB" || rate.IsZero() {
		return wechatpay.Currency{}
	}
	return wechatpay.Currency{Code: code, DecimalPlaces: m.Restaurant.DecimalPlaces, CNYRate: rate.String()}
}

// dishOf is one line as a dish: its unit price with extras, its count in
// hundredths, its menu category and position, and the words the customer
// chose (the builder keeps those of the documented vocabularies).
func dishOf(l *pricing.PricedLine, m *menu.Menu) wechatpay.SyncDish {
	d := wechatpay.SyncDish{OutDishNo: strconv.FormatInt(l.ProductID, 10), Name: l.Name, Price: int64(l.UnitPrice),
		CountHundredths: int64(l.Qty) * 100}
	if m != nil {
		if p, ok := m.Product(l.ProductID); ok {
			d.CategoryID = strconv.FormatInt(p.Category, 10)
		}
		for i := range m.Products {
			if m.Products[i].ID == l.ProductID {
				d.Priority = i + 1
				break
			}
		}
	}
	d.Specs = append(d.Specs, strings.TrimSpace(l.Unit))
	d.Specs = append(d.Specs, strings.FieldsFunc(l.Req, func(c rune) bool { return strings.ContainsRune(",，、/ |;；", c) })...)
	for _, c := range l.Condiments {
		d.Specs = append(d.Specs, c.Name)
	}
	return d
}

package wechatpay

// NotSyncableReason says why an order is not reported to WeChat Pay.
type NotSyncableReason string

// Reasons of NotSyncable.
const (
	NotSyncableDisabled          NotSyncableReason = "disabled"           // wechatpay.enabled is false
	NotSyncableNoLogin           NotSyncableReason = "no_wechat_login"    // placed without a WeChat login
	NotSyncableForeignOpenID     NotSyncableReason = "foreign_openid"     // the openid belongs to another account
	NotSyncableNoLoginToken      NotSyncableReason = "no_login_token"     // no page access_token kept
	NotSyncableUnknownRestaurant NotSyncableReason = "unknown_restaurant" // not in wechatpay.restaurants
	NotSyncableNoWeChatPayment   NotSyncableReason = "no_wechat_payment"  // PAY_SUCCESS without a WeChat Pay payment
	NotSyncableInvalid           NotSyncableReason = "invalid_order"      // a field cannot be sent as the documents require
)

// NotSyncable is BuildSyncBody's answer for an order that is not reported:
// a normal outcome, not a failure. The outbox records it and never sends;
// Message goes into the order's history.
type NotSyncable struct {
	Reason NotSyncableReason
	Detail string // English, for the log
}

func (e *NotSyncable) Error() string {
	s := "wechatpay: order not synced (" + string(e.Reason) + ")"
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Message says in Chinese why the order is not reported to WeChat Pay.
func (e *NotSyncable) Message() string {
	switch e.Reason {
	case NotSyncableDisabled:
		return "未开启微信支付点餐同步（wechatpay.enabled），不同步"
	case NotSyncableNoLogin:
		return "顾客未用微信登录下单，不同步到微信支付"
	case NotSyncableForeignOpenID:
		return "顾客的微信身份属于其他公众号（不是本餐厅或服务商的公众号），不同步到微信支付"
	case NotSyncableNoLoginToken:
		return "没有顾客的微信登录票据（access_token），不同步到微信支付"
	case NotSyncableUnknownRestaurant:
		return "该餐厅未配置在 wechatpay.restaurants 中，不同步到微信支付"
	case NotSyncableNoWeChatPayment:
		return "订单不是通过微信支付付款，不同步支付状态"
	}
	return "订单数据不符合微信支付的要求，不同步：" + e.Detail
}

func notSyncable(reason NotSyncableReason, detail string) *NotSyncable {
	return &NotSyncable{Reason: reason, Detail: detail}
}

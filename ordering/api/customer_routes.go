package api

import "net/http"

// customerRoutes are issue 16's endpoints: logins, the customer, addresses,
// WeChat and Facebook, 钱方's openid flow, online payment and the
// providers' notifications.
func (s *Server) customerRoutes(handle func(string, map[string]http.HandlerFunc)) {
	handle("users/send-phone-token", map[string]http.HandlerFunc{"POST": s.sendPhoneToken})
	handle("users/login", map[string]http.HandlerFunc{"POST": s.login})
	handle("users/me", map[string]http.HandlerFunc{"GET": s.me, "POST": s.updateMe, "PATCH": s.updateMe})
	handle("users/bind-phone", map[string]http.HandlerFunc{"POST": s.bindPhone})
	handle("user-addresses", map[string]http.HandlerFunc{"GET": s.addressList, "POST": s.addressCreate})
	handle("user-addresses/{id}", map[string]http.HandlerFunc{"GET": s.addressDetail, "PUT": s.addressPut, "PATCH": s.addressPatch,
		"DELETE": s.addressDelete})
	handle("user-addresses/{id}/set-default", map[string]http.HandlerFunc{"POST": s.addressSetDefault})
	handle("weixin/authorize-url", map[string]http.HandlerFunc{"GET": s.weixinAuthorizeURL})
	handle("weixin/access-token", map[string]http.HandlerFunc{"POST": s.weixinAccessToken})
	handle("weixin/jssdk-config", map[string]http.HandlerFunc{"GET": s.weixinJSSDKConfig, "POST": s.weixinJSSDKConfig})
	handle("facebook/authorize-url", map[string]http.HandlerFunc{"GET": s.facebookAuthorizeURL})
	handle("facebook/debug-token", map[string]http.HandlerFunc{"POST": s.facebookDebugToken})
	handle("qfpay/authorize-url", map[string]http.HandlerFunc{"GET": s.qfpayAuthorizeURL})
	handle("qfpay/get-weixin-openid", map[string]http.HandlerFunc{"POST": s.qfpayOpenID})
	handle("orders/{id}/pay-url", map[string]http.HandlerFunc{"GET": s.payURL})
	handle("orders/{id}/is-paid", map[string]http.HandlerFunc{"GET": s.isPaid})
	handle("payments/{provider}/notify", map[string]http.HandlerFunc{"POST": s.paymentNotify})
}

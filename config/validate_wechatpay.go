package config

import "strings"

// wechatPay adds the problems of the WeChat Pay sync section, found by the
// wechatpay package itself (it knows what each of its keys must look like),
// pointed at the line that set them.
func (v *validator) wechatPay() {
	for _, p := range v.c.WeChatPay.Validate() {
		key := p.Key
		if !strings.HasPrefix(key, "wechatpay") {
			key = joinKey("wechatpay", key)
		}
		v.add(p.Warning, key, "%s", p.Message)
	}
}

// Package qfpay is the 钱方 QFPay open API as the scan-to-order channel uses
// it: WeChat OAuth through QFPay's official account (get_weixin_oauth_code,
// get_weixin_openid), the WeChat JSAPI payment (pay_type 800207) shown on
// QFPay's hosted page, query, refund, reversal, and the asynchronous
// notifications (MD5 of the raw body and the client key). Every request is
// signed as the documents say: the non-empty parameters sorted by name,
// joined as name=value with &, the client key appended, MD5 in upper-case hex.
//
// Amounts are integer fen (txamt). The client key is never sent, logged or
// put into an error text.
package qfpay

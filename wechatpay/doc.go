// Package wechatpay reports scan-to-order orders to WeChat Pay's catering
// order sync (点餐订单信息同步, POST /v3/catering/orders/sync-status) under the
// APIv3 rules: request signing, verification of every reply, platform
// certificates, typed errors, and the sync body itself.
//
// Who signs: every request is signed with the merchant API key and
// certificate serial of the 服务商 (service provider, mode service_provider,
// Authorization mchid = sp_mchid) or the 渠道商 (channel, mode channel,
// mchid = channel_id) that serves the store — never with a key of the
// restaurant (the sub-merchant, sub_mchid), which has no part in this call.
// The integrator who is that provider configures it; a restaurant that is
// not served by a provider cannot use this sync.
//
// The package knows orders only through SyncOrder, a neutral snapshot the
// caller fills in; BuildSyncBody turns it into the exact bytes to send, the
// same bytes for the same snapshot, so that the outbox can resend them.
// Client.SyncStatus sends such a body. The sub-package fake is a WeChat Pay
// server for tests and the sandbox that checks our signatures as WeChat Pay
// does and signs its replies with a key of its own.
package wechatpay

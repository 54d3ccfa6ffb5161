// Package wechat is the official-account side of the scan-to-order page:
// web authorisation (网页授权: the authorize URL, code → page access_token
// and openid, refresh, user info), the basic access_token (stable_token) and
// the jsapi_ticket, both cached until shortly before they expire with one
// fetch in flight at a time, and the JS-SDK signature for wx.config.
//
// The AppSecret and every token stay on the server: they are never logged
// and never part of an error text.
package wechat

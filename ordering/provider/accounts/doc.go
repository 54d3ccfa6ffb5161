// Package accounts holds the store's accounts at the outside providers of
// scan-to-order (钱方, 收钱吧, the SMS gateway, WeChat, Facebook): their config
// shape, defaults and checks. It is apart from the clients so that config,
// and everything that reads a Config (bridge among them), holds no net/http.
package accounts

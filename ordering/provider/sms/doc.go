// Package sms sends login codes through the store's own SMS gateway: a
// webhook that takes {"phone","code","context","restaurant_id"} with
// "Authorization: Bearer <token>" and must answer 2xx within 5 s, else the
// code counts as not sent. Phone numbers appear in logs only masked; codes
// and the token never.
package sms

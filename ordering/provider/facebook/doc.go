// Package facebook checks a customer's Facebook login token at the Graph
// API (debug_token with the app token app_id|app_secret): valid, issued for
// this app, a user token, not expired and, when the page names one, for that
// user. The app secret is never logged or part of an error text.
package facebook

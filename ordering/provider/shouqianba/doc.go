// Package shouqianba is 收钱吧's upay Web API as the scan-to-order channel
// uses it: terminal activation and the daily check-in (the terminal_sn and
// its rotating terminal_key kept in a 0600 file in the data folder, replaced
// atomically), the WAP cashier URL (收钱吧's own page does WeChat's OAuth and
// payment), query, refund, cancel and revoke, each reply read in its three
// layers (HTTP, result_code, biz_response), and notifications.
//
// 收钱吧 does not publish how its notifications are signed. They are
// verified (RSA-SHA256 over the raw body, the signature the last token of
// Authorization) when a public key file is configured, and in every case
// only a signed query of our own turns one into an outcome.
//
// API bodies are signed as MD5(body + key) in lower-case hex (the official
// demo), with the vendor key for activation and the terminal key after it;
// the WAP URL as upper-case MD5 of the sorted raw parameters + "&key=".
// Amounts are integer fen, sent as strings. No key is ever logged or put
// into an error text.
package shouqianba

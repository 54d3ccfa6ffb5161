// Package payment is the neutral vocabulary of online payment for the
// scan-to-order channel: one Provider interface that 钱方 (qfpay), 收钱吧
// (shouqianba) and the sandbox's simulated pay page implement, attempts
// identified by our own trade number, outcomes in four states, refunds with
// their own idempotency key, and notifications that are only ever turned
// into an outcome by a signed query of our own.
package payment

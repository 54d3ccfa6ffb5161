// Package provider holds what the outside-service clients of the
// scan-to-order channel share: configuration problems an installer can act
// on, and the transport error every client returns when a provider could not
// be reached. The clients themselves live in the sub-packages (sms, wechat,
// facebook, qfpay, shouqianba), each with a fake server under fake/ that
// checks requests the way the provider does.
package provider

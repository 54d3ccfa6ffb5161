// Package wxconfig is the wechatpay section of posbridge.yaml and its
// checks, apart from the WeChat Pay client: config reads and validates it
// without importing an HTTP client (bridge, which imports config, holds no
// net/http).
package wxconfig

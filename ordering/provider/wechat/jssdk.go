package wechat

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// JSConfig is what the page passes to wx.config (the camel-case names are
// WeChat's: nonceStr, not noncestr).
type JSConfig struct {
	AppID     string   `json:"appId"`
	Timestamp int64    `json:"timestamp"`
	NonceStr  string   `json:"nonceStr"`
	Signature string   `json:"signature"`
	JSAPIList []string `json:"jsApiList"`
}

// Signature is the JS-SDK signature: lower-case hex SHA-1 of
// jsapi_ticket=…&noncestr=…&timestamp=…&url=… (names in ASCII order, values
// raw, not escaped).
func Signature(ticket, nonceStr string, timestamp int64, pageURL string) string {
	s := "jsapi_ticket=" + ticket + "&noncestr=" + nonceStr + "&timestamp=" + strconv.FormatInt(timestamp, 10) + "&url=" + pageURL
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// SignedURL is the part of a page URL that is signed: all of it up to '#'.
func SignedURL(pageURL string) string {
	if i := strings.IndexByte(pageURL, '#'); i >= 0 {
		return pageURL[:i]
	}
	return pageURL
}

// JSSDKConfig signs wx.config for pageURL, the full URL the browser shows
// (location.href, taken from the page: behind a proxy the server's idea of
// its own URL differs). The fragment is dropped; the query is kept.
func (c *Client) JSSDKConfig(ctx context.Context, pageURL string, jsAPIList []string) (JSConfig, error) {
	pageURL = SignedURL(strings.TrimSpace(pageURL))
	u, err := url.Parse(pageURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return JSConfig{}, fmt.Errorf("wechat js-sdk: %q is not the page's absolute URL", pageURL)
	}
	ticket, err := c.JSAPITicket(ctx)
	if err != nil {
		return JSConfig{}, err
	}
	ts := c.now().Unix()
	nonce := wire.Nonce(16)
	if jsAPIList == nil {
		jsAPIList = []string{}
	}
	return JSConfig{AppID: c.cfg.AppID, Timestamp: ts, NonceStr: nonce, Signature: Signature(ticket, nonce, ts, pageURL), JSAPIList: jsAPIList}, nil
}

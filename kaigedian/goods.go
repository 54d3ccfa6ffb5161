package kaigedian

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// 沽清 (sold out) by the merchant's own product code (goods.md "商品沽清接口
// （商家自定义商品ID）"): the customer code is the thirdProductId of order
// lines, so staff can pick items from the orders they see.
const (
	PathSellOut       = "/goods/skuItem/sellOutByCustomerCode"
	PathCancelSellOut = "/goods/skuItem/cancelSellOutByCustomerCode"
)

// Sales channels a product can be sold out in (goods.md channelId). The
// field is optional; without it the platform applies its own default,
// which the documents do not name.
const (
	SellChannelPickup   = "saas"         // 自提
	SellChannelDelivery = "saasdelivery" // 外卖
	SellChannelMall     = "saasmall"     // 微商城
	SellChannelTable    = "wc"           // 围餐
)

// SellChannels are the documented channelId values, in the documents' order.
var SellChannels = []string{SellChannelPickup, SellChannelDelivery, SellChannelMall, SellChannelTable}

// SellChannelName is the Chinese name staff know a channel by.
func SellChannelName(id string) string {
	switch id {
	case SellChannelPickup:
		return "自提"
	case SellChannelDelivery:
		return "外卖"
	case SellChannelMall:
		return "微商城"
	case SellChannelTable:
		return "围餐"
	case "":
		return "全部渠道"
	}
	return id
}

// MaxSellOutCodes bounds one call; the documents give no limit, so this is
// the largest batch we send at once (the caller splits longer lists).
const MaxSellOutCodes = 100

// SellOutRequest marks products sold out (or back on sale) in one store.
type SellOutRequest struct {
	StoreID       string
	CustomerCodes []string // the merchant's product codes (thirdProductId)
	ChannelID     string   // one of SellChannels, or "" for the platform's default
}

// SellOutResult is the platform's answer: responseBody null means every
// code succeeded; a list names the codes that failed (partial success).
type SellOutResult struct {
	Requested []string
	Failed    []string
}

// Succeeded are the requested codes the platform did not list as failed.
func (r SellOutResult) Succeeded() []string {
	var ok []string
	for _, c := range r.Requested {
		if !slices.Contains(r.Failed, c) {
			ok = append(ok, c)
		}
	}
	return ok
}

// Validate lists what is wrong with the request.
func (r SellOutRequest) Validate() []FieldError {
	var p []FieldError
	if strings.TrimSpace(r.StoreID) == "" {
		p = append(p, FieldError{"storeId", "is empty"})
	}
	switch n := len(r.CustomerCodes); {
	case n == 0:
		p = append(p, FieldError{"customerCodes", "is empty: name at least one product code"})
	case n > MaxSellOutCodes:
		p = append(p, FieldError{"customerCodes", fmt.Sprintf("has %d codes; send at most %d per call", n, MaxSellOutCodes)})
	}
	for i, c := range r.CustomerCodes {
		if !ValidProductCode(c) {
			p = append(p, FieldError{fmt.Sprintf("customerCodes[%d]", i), fmt.Sprintf("%q is not a product code: 1 to 64 letters, digits, '_', '-' or '.'", Cut(c, 70))})
		}
	}
	if r.ChannelID != "" && !slices.Contains(SellChannels, r.ChannelID) {
		p = append(p, FieldError{"channelId", fmt.Sprintf("%q is not one of saas, saasdelivery, saasmall, wc", Cut(r.ChannelID, 40))})
	}
	return p
}

// ValidProductCode reports whether s could be a merchant product code. The
// documents' codes are digits or short ASCII words ("we232"); anything else
// is refused before it is stored or sent.
func ValidProductCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

type wireSellOut struct {
	StoreID       string   `json:"storeId"`
	CustomerCodes []string `json:"customerCodes"`
	PartnerID     string   `json:"partnerId"` // required by the table, absent from the example
	ChannelID     string   `json:"channelId,omitempty"`
}

// SellOut sends sellOutByCustomerCode once with transaction id txID.
func (c *Client) SellOut(ctx context.Context, txID string, req SellOutRequest) (SellOutResult, error) {
	return c.sellOut(ctx, PathSellOut, txID, req)
}

// CancelSellOut puts products back on sale (cancelSellOutByCustomerCode).
func (c *Client) CancelSellOut(ctx context.Context, txID string, req SellOutRequest) (SellOutResult, error) {
	return c.sellOut(ctx, PathCancelSellOut, txID, req)
}

func (c *Client) sellOut(ctx context.Context, path, txID string, req SellOutRequest) (SellOutResult, error) {
	if err := invalid(path, req.Validate()); err != nil {
		return SellOutResult{}, err
	}
	codes := make([]string, len(req.CustomerCodes))
	for i, code := range req.CustomerCodes {
		codes[i] = strings.TrimSpace(code)
	}
	r, err := c.command(ctx, path, txID, wireSellOut{strings.TrimSpace(req.StoreID), codes, c.cfg.PartnerID, req.ChannelID})
	if err != nil {
		return SellOutResult{}, err
	}
	res := SellOutResult{Requested: codes}
	failed, err := DecodeSellOutBody(r.resp)
	if err != nil {
		return res, &DecodeError{Path: path, Err: err, Snippet: snippetString(r.resp.RawBody)}
	}
	res.Failed = failed
	return res, nil
}

// DecodeSellOutBody reads the failed codes of a sell-out reply: nothing for
// null/"" (all succeeded), else an array of codes (strings or numbers).
func DecodeSellOutBody(r *Response) ([]string, error) {
	if r.BodyInvalid != nil {
		return nil, r.BodyInvalid
	}
	if len(r.Body) == 0 {
		return nil, nil
	}
	var raw []json.RawMessage
	if err := decodeLenient(r.Body, &raw); err != nil {
		return nil, fmt.Errorf("responseBody is not a list of failed codes: %w", err)
	}
	failed := make([]string, 0, len(raw))
	for _, v := range raw {
		s, err := flexString(v)
		if err != nil {
			return nil, fmt.Errorf("failed code: %w", err)
		}
		if s = strings.TrimSpace(s); s != "" {
			failed = append(failed, s)
		}
	}
	return failed, nil
}

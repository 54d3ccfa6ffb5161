package kaigedian

import (
	"crypto/rsa"
	"fmt"

	"github.com/posbridge/posbridge/order"
)

// The third-party order detail (获取第三方订单详情, 围餐): before a table order is
// settled online, the platform asks posbridge for the lines as the store
// sees them and replaces the online lines with them. posbridge serves it on
// the push listener and authenticates it as a push.

// ThirdDetailRequest is what the platform asks for. The table requires
// storeId and barCounter and one of the codes; the example sends both codes
// empty and neither storeId nor barCounter, so a request is answered when
// it names a code or a table.
type ThirdDetailRequest struct {
	OrderCode      string
	ThirdOrderCode string
	OrderClient    int
	StoreID        string
	BarCounter     string // the table
}

// ParseThirdDetailRequest authenticates raw like a push and reads the request.
func ParseThirdDetailRequest(raw []byte, check PushCheck) (ThirdDetailRequest, PushInfo, error) {
	info, fields, err := AuthenticatePush(raw, check)
	if err != nil {
		return ThirdDetailRequest{}, PushInfo{}, err
	}
	d := pushDecoder{fields: fields}
	req := ThirdDetailRequest{
		OrderCode: d.text("orderCode"), ThirdOrderCode: d.text("thirdOrderCode"),
		StoreID: d.text("storeId"), BarCounter: d.text("barCounter"),
	}
	if _, s, ok := d.first("orderClient"); ok {
		if n, ok := parseIntText(s); ok {
			req.OrderClient = int(n)
		}
	}
	for _, c := range []struct{ name, v string }{{"orderCode", req.OrderCode}, {"thirdOrderCode", req.ThirdOrderCode}} {
		if c.v != "" && !ValidOrderCode(c.v) {
			return ThirdDetailRequest{}, PushInfo{}, badPush("%s %q is not an order code", c.name, cut(c.v, 70))
		}
	}
	if len([]rune(req.StoreID)) > 64 || len([]rune(req.BarCounter)) > 32 {
		return ThirdDetailRequest{}, PushInfo{}, badPush("storeId or barCounter is too long")
	}
	if req.OrderCode == "" && req.ThirdOrderCode == "" && req.BarCounter == "" {
		return ThirdDetailRequest{}, PushInfo{}, badPush("orderCode, thirdOrderCode and barCounter are all empty: name the order or the table")
	}
	return req, info, nil
}

// ThirdDetailItem is one line of the answer (§3.10's shape; weight in
// whole grams, sharePrice the line's discount in fen).
type ThirdDetailItem struct {
	ProductSeq       int               `json:"productSeq"`
	ProductID        string            `json:"productId,omitempty"`
	ParentProductID  string            `json:"parentProductId,omitempty"`
	ThirdProductID   string            `json:"thirdProductId,omitempty"`
	ProductProperty  string            `json:"productProperty"`
	ProductQuantity  int               `json:"productQuantity"`
	SharePrice       order.Fen         `json:"sharePrice"`
	Weight           int64             `json:"weight,omitempty"`
	ProductType      int               `json:"productType"`
	ProductPrice     order.Fen         `json:"productPrice"`
	Unit             string            `json:"unit"`
	ProductPicURL    string            `json:"productPicUrl,omitempty"`
	ProductComboList []ThirdDetailItem `json:"productComboList,omitempty"`
}

// ThirdDetailReply is the answer's responseBody.
type ThirdDetailReply struct {
	PeopleNumber  int               `json:"peopleNumber"`
	OrderItemList []ThirdDetailItem `json:"orderItemList"`
}

// ThirdDetailItemsFrom renders order lines for the answer; a set meal's
// price is the sum of its parts, as the table says.
func ThirdDetailItemsFrom(items []order.Item) []ThirdDetailItem {
	out := make([]ThirdDetailItem, 0, len(items))
	for _, t := range TableItemsFrom(items) {
		out = append(out, thirdDetailItem(t))
	}
	for i := range out {
		out[i].SharePrice = items[i].SharePrice
	}
	return out
}

func thirdDetailItem(t TableItem) ThirdDetailItem {
	d := ThirdDetailItem{
		ProductSeq: t.ProductSeq, ProductID: t.ProductID, ParentProductID: t.ParentProductID,
		ThirdProductID: t.ThirdProductID, ProductProperty: t.ProductProperty, ProductQuantity: t.ProductQuantity,
		Weight: int64(t.Weight + 0.5), ProductType: t.ProductType, ProductPrice: t.ProductPrice, Unit: t.Unit,
	}
	for _, c := range t.ProductComboList {
		d.ProductComboList = append(d.ProductComboList, thirdDetailItem(c))
	}
	return d
}

// SignedReply is a response envelope posbridge answers a platform request
// with, signed with the merchant key over every non-empty field but sign
// (the rule the documents' signed responses follow, §2.6). body is
// serialised into responseBody; nil leaves it "". Both spellings of the
// result code are sent (§7 #1). Without a key the reply is unsigned.
func SignedReply(key *rsa.PrivateKey, code, message string, body any) ([]byte, error) {
	text := ""
	if body != nil {
		b, err := marshalJSON(body)
		if err != nil {
			return nil, fmt.Errorf("kaigedian: encode reply body: %w", err)
		}
		text = string(b)
	}
	params := map[string]string{"ver": Version, "statusCode": code, "code": code, "message": message, "responseBody": text}
	sign := ""
	if key != nil {
		var err error
		if sign, err = Sign(key, params); err != nil {
			return nil, err
		}
	}
	return marshalJSON(struct {
		Ver          string `json:"ver"`
		StatusCode   string `json:"statusCode"`
		Code         string `json:"code"`
		Message      string `json:"message"`
		ResponseBody string `json:"responseBody"`
		Sign         string `json:"sign,omitempty"`
	}{Version, code, code, message, text, sign})
}

// VerifyReply checks a response envelope's sign with pub over its other
// fields, as SignedReply made it.
func VerifyReply(pub *rsa.PublicKey, raw []byte) error {
	in, err := ParseIncoming(raw)
	if err != nil {
		return err
	}
	return in.Verify(pub)
}

// DecodeThirdDetailReply reads an answer's responseBody.
func DecodeThirdDetailReply(raw []byte) (ThirdDetailReply, error) {
	r, err := DecodeResponse(raw)
	if err != nil {
		return ThirdDetailReply{}, err
	}
	if !r.OK() {
		return ThirdDetailReply{}, &PlatformError{Code: r.Code, Message: r.Message}
	}
	var out ThirdDetailReply
	if err := r.DecodeBody(&out); err != nil {
		return ThirdDetailReply{}, err
	}
	return out, nil
}

// SignReply is SignedReply with the client's merchant key, for answers
// posbridge serves to the platform (the key itself never leaves the client).
func (c *Client) SignReply(code, message string, body any) ([]byte, error) {
	return SignedReply(c.cfg.PrivateKey, code, message, body)
}

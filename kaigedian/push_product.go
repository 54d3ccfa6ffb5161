package kaigedian

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/posbridge/posbridge/order"
)

// ProductChange is the 围餐 product change push (订单商品信息变更推送): items a
// customer added online to an open table order. The table and the example
// disagree on the shape (§4.5); DecodeProductPush reads both.
type ProductChange struct {
	OrderCode      string
	ThirdOrderCode string
	OrderClient    int
	Version        string // only in the example
	Products       []AddedProduct
}

// AddedProduct is one added line. The table's shape carries ids and the
// quantity only; the example's shape adds names, prices and attributes.
type AddedProduct struct {
	ProductID       string // productId, or the example's spuId
	SkuID           string
	ThirdProductID  string // thirdProductId, or the example's customerCode
	Name            string // spuName (example only)
	SkuName         string
	Quantity        int    // productQuantity, or the example's qty: the quantity added
	Price           int64  // originalPrice in fen when given (example only)
	ParentProductID string // a set meal's part names its parent
	ProductType     int
	Seq             int
	Weight          float64
	Attributes      []string // attributeValue of each attribute
}

// Label is what a kitchen ticket prints for the line.
func (a AddedProduct) Label() string {
	name := strings.TrimSpace(a.Name)
	if sku := strings.TrimSpace(a.SkuName); sku != "" && sku != name {
		if name == "" {
			name = sku
		} else {
			name += "（" + sku + "）"
		}
	}
	return name
}

type wireProductChange struct {
	Version        String             `json:"version"`
	ThirdOrderCode String             `json:"thirdOrderCode"`
	OrderCode      String             `json:"orderCode"`
	OrderClient    Int                `json:"orderClient"`
	Products       []wireAddedProduct `json:"products"`
}

type wireAddedProduct struct {
	ProductID       String `json:"productId"`
	ThirdProductID  String `json:"thirdProductId"`
	ProductQuantity Int    `json:"productQuantity"`
	// The example's names.
	SpuID           String `json:"spuId"`
	SkuID           String `json:"skuId"`
	SpuName         String `json:"spuName"`
	SkuName         String `json:"skuName"`
	Qty             Int    `json:"qty"`
	OriginalPrice   Int    `json:"originalPrice"`
	ParentProductID String `json:"parentProductId"`
	ProductType     Int    `json:"productType"`
	CustomerCode    String `json:"customerCode"`
	Weight          Float  `json:"weight"`
	ProductSeq      Int    `json:"productSeq"`
	Attributes      []struct {
		AttributeID    String `json:"attributeId"`
		AttributeValue String `json:"attributeValue"`
	} `json:"attributes"`
}

// MaxAddedProducts bounds the lines one push may add: a table order has
// tens of lines, never thousands.
const MaxAddedProducts = 200

// DecodeProductPush reads a product change push: the business JSON, or a
// whole envelope. It refuses a body without orderCode (the required id) or
// without any product, and never panics.
func DecodeProductPush(body []byte) (pc ProductChange, err error) {
	defer func() {
		if r := recover(); r != nil {
			pc, err = ProductChange{}, badPush("unreadable push: %v", r)
		}
	}()
	body = bytes.TrimSpace(body)
	fields, ferr := objectFields(body)
	if ferr != nil {
		return ProductChange{}, badPush("malformed JSON: %v", ferr)
	}
	if _, ok := fields["requestBody"]; ok {
		in, perr := ParseIncoming(body)
		if perr != nil || len(in.Body) == 0 {
			return ProductChange{}, badPush("requestBody is unreadable")
		}
		body = in.Body
	}
	code, err := pushIDOf(body, "orderCode")
	if err != nil {
		return ProductChange{}, err
	}
	var w wireProductChange
	if err := decodeLenient(body, &w); err != nil {
		return ProductChange{}, badPush("product change push: %v", err)
	}
	if len(w.Products) == 0 {
		return ProductChange{}, badPush("products is empty: the push adds nothing")
	}
	if len(w.Products) > MaxAddedProducts {
		return ProductChange{}, badPush("products has %d lines, more than %d", len(w.Products), MaxAddedProducts)
	}
	pc = ProductChange{OrderCode: code, ThirdOrderCode: cut(strings.TrimSpace(string(w.ThirdOrderCode)), 64),
		OrderClient: w.OrderClient.Int(), Version: cut(string(w.Version), 16)}
	for i, wp := range w.Products {
		ap := AddedProduct{
			ProductID:       cut(firstText(wp.ProductID, wp.SpuID), 64),
			SkuID:           cut(string(wp.SkuID), 64),
			ThirdProductID:  cut(firstText(wp.ThirdProductID, wp.CustomerCode), 64),
			Name:            cut(string(wp.SpuName), 60),
			SkuName:         cut(string(wp.SkuName), 60),
			Quantity:        int(firstInt(wp.ProductQuantity, wp.Qty)),
			Price:           int64(wp.OriginalPrice),
			ParentProductID: cut(string(wp.ParentProductID), 64),
			ProductType:     wp.ProductType.Int(),
			Seq:             wp.ProductSeq.Int(),
			Weight:          float64(wp.Weight),
		}
		for _, a := range wp.Attributes {
			if v := strings.TrimSpace(string(a.AttributeValue)); v != "" && len(ap.Attributes) < 10 {
				ap.Attributes = append(ap.Attributes, cut(v, 30))
			}
		}
		if ap.ProductID == "" && ap.ThirdProductID == "" {
			return ProductChange{}, badPush("products[%d] names no product (productId or thirdProductId)", i)
		}
		if ap.Quantity <= 0 || ap.Quantity > 999 {
			return ProductChange{}, badPush("products[%d] quantity %d is not 1 to 999", i, ap.Quantity)
		}
		pc.Products = append(pc.Products, ap)
	}
	return pc, nil
}

// pushIDOf reads a required id from a JSON object.
func pushIDOf(body []byte, name string) (string, error) {
	fields, err := objectFields(body)
	if err != nil {
		return "", badPush("malformed JSON: %v", err)
	}
	return pushID(fields, name)
}

func firstText(vals ...String) string {
	for _, v := range vals {
		if s := strings.TrimSpace(string(v)); s != "" {
			return s
		}
	}
	return ""
}

func firstInt(vals ...Int) Int {
	for _, v := range vals {
		if v != 0 {
			return v
		}
	}
	return 0
}

// String reports the change for a log line (no personal data in it).
func (pc ProductChange) String() string {
	return fmt.Sprintf("order %s (third %s): %d lines added", pc.OrderCode, pc.ThirdOrderCode, len(pc.Products))
}

// Items are the added lines as order lines: names, prices and attributes
// when the push's shape carries them.
func (pc ProductChange) Items() []order.Item {
	out := make([]order.Item, 0, len(pc.Products))
	for _, p := range pc.Products {
		out = append(out, order.Item{Seq: p.Seq, ProductID: p.ProductID, ThirdProductID: p.ThirdProductID, SkuID: p.SkuID,
			ParentProductID: p.ParentProductID, Name: p.Label(), Price: order.Fen(p.Price), Quantity: p.Quantity,
			WeightGrams: p.Weight, Property: strings.Join(p.Attributes, " / "), ProductType: p.ProductType})
	}
	return out
}

// Batch names the addition by its content: the platform sending the same
// push again gives the same batch.
func (pc ProductChange) Batch() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s", pc.OrderCode, pc.ThirdOrderCode)
	for _, p := range pc.Products {
		fmt.Fprintf(h, "|%s,%s,%s,%d,%s", p.ProductID, p.SkuID, p.ThirdProductID, p.Quantity, p.ParentProductID)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

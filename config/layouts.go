package config

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// LayoutsConfig says what each printed document holds (美团's 小票样式):
// the customer's receipt (顾客联), the store's copy (商家联), the kitchen
// ticket (后厨联), the delivery copy handed to the courier (配送联) and the
// cup label (杯贴). Edited in the console; stored in the settings layer.
type LayoutsConfig struct {
	Customer LayoutConfig `mapstructure:"customer" yaml:"customer" json:"customer"`
	Merchant LayoutConfig `mapstructure:"merchant" yaml:"merchant" json:"merchant"`
	Kitchen  LayoutConfig `mapstructure:"kitchen" yaml:"kitchen" json:"kitchen"`
	Delivery LayoutConfig `mapstructure:"delivery" yaml:"delivery" json:"delivery"`
	Label    LayoutConfig `mapstructure:"label" yaml:"label" json:"label"`
}

// LayoutConfig is one document's layout. Zero values keep the defaults.
type LayoutConfig struct {
	// Copies of the document, each printed as often as the printer's own
	// copies say; 0 = not printed. Defaults: 1, and 0 for 商家联 and 配送联.
	Copies int `mapstructure:"copies" yaml:"copies" json:"copies"`
	// Header is printed under the store name (顾客联, 商家联, 配送联) or at
	// the top; Footer at the end (it replaces print.footer).
	Header string `mapstructure:"header" yaml:"header" json:"header,omitempty"`
	Footer string `mapstructure:"footer" yaml:"footer" json:"footer,omitempty"`
	// FontSize of the item lines: 1 normal, 2 large, 3 extra large; 0 = the
	// printer's font_size.
	FontSize int `mapstructure:"font_size" yaml:"font_size" json:"font_size,omitempty"`
	// Hide lists the fields not printed (LayoutFields names them).
	Hide []string `mapstructure:"hide" yaml:"hide" json:"hide,omitempty"`
}

// Layout documents, as keys of layouts:.
const (
	DocCustomer = "customer"
	DocMerchant = "merchant"
	DocKitchen  = "kitchen"
	DocDelivery = "delivery"
	DocLabel    = "label"
)

// LayoutDocs are the documents in the order the console shows them.
var LayoutDocs = []string{DocCustomer, DocMerchant, DocKitchen, DocDelivery, DocLabel}

// LayoutDocLabels name the documents as staff know them.
var LayoutDocLabels = map[string]string{DocCustomer: "顾客联", DocMerchant: "商家联", DocKitchen: "后厨联", DocDelivery: "配送联", DocLabel: "杯贴"}

// receiptFields are the fields of 顾客联, 商家联 and 配送联.
var receiptFields = []string{"logo", "store", "title", "pickup", "table", "code", "times", "payment", "items", "options", "prices", "money", "note", "customer", "address", "qr", "barcode"}

// LayoutFields are the fields each document can hide, with their names.
var LayoutFields = map[string][]string{
	DocCustomer: receiptFields,
	DocMerchant: receiptFields,
	DocDelivery: receiptFields,
	DocKitchen:  {"title", "pickup", "table", "times", "options", "note", "code"},
	DocLabel:    {"pickup", "index", "options", "parts", "time", "qr"},
}

// LayoutFieldLabels name the fields in the console.
var LayoutFieldLabels = map[string]string{
	"logo": "标志图片", "store": "门店名", "title": "订单类型与渠道", "pickup": "取餐号", "table": "桌号", "code": "订单号",
	"times": "下单/预约时间", "payment": "支付方式", "items": "商品明细", "options": "规格与加料", "prices": "商品金额",
	"money": "合计与优惠", "note": "顾客备注", "customer": "顾客电话", "address": "收货地址", "qr": "二维码",
	"barcode": "条形码", "index": "杯序号 (1/3)", "parts": "套餐内容", "time": "下单时间",
}

// Doc is the layout of one document by its key.
func (l LayoutsConfig) Doc(doc string) LayoutConfig {
	c := Config{Layouts: l}
	return *c.layout(doc)
}

// DefaultLayouts are the layouts before any edit: the documents printed
// before layouts existed, unchanged, and 商家联 and 配送联 off.
func DefaultLayouts() LayoutsConfig {
	return LayoutsConfig{
		Customer: LayoutConfig{Copies: 1},
		Merchant: LayoutConfig{Copies: 0, Header: "商家联", Hide: []string{"qr", "barcode"}},
		Kitchen:  LayoutConfig{Copies: 1},
		Delivery: LayoutConfig{Copies: 0, Header: "配送联", Hide: []string{"prices", "payment"}},
		Label:    LayoutConfig{Copies: 1},
	}
}

// maxLayoutText bounds header and footer (characters).
const maxLayoutText = 200

func (v *validator) layouts() {
	for _, doc := range LayoutDocs {
		l := v.c.Layouts.Doc(doc)
		key := "layouts." + doc
		if l.Copies < 0 || l.Copies > 5 {
			v.err(key+".copies", "must be from 0 to 5 (0 = not printed)")
		}
		if l.FontSize < 0 || l.FontSize > 3 {
			v.err(key+".font_size", "must be 1 (normal), 2 (large) or 3 (extra large); leave it out for the printer's")
		}
		for _, t := range []struct{ name, s string }{{"header", l.Header}, {"footer", l.Footer}} {
			if n := utf8.RuneCountInString(t.s); n > maxLayoutText {
				v.err(key+"."+t.name, "is %d characters: at most %d fit on a receipt", n, maxLayoutText)
			}
		}
		for i, f := range l.Hide {
			if !slices.Contains(LayoutFields[doc], strings.TrimSpace(f)) {
				v.err(fmt.Sprintf("%s.hide[%d]", key, i), "%q is not a field of %s: use %s", f, LayoutDocLabels[doc], strings.Join(LayoutFields[doc], ", "))
			}
		}
	}
	if v.c.Layouts.Customer.Copies == 0 {
		v.warn("layouts.customer.copies", "is 0: no customer receipt prints")
	}
}

// layoutListDefaults gives each layout the hide list of base where the
// file wrote none (lists have no viper defaults), and reads "hide: []" as
// no list.
func (c *Config) layoutListDefaults(base *Config) {
	for _, doc := range LayoutDocs {
		l := c.layout(doc)
		if !c.isSet("layouts." + doc + ".hide") {
			l.Hide = slices.Clone(base.Layouts.Doc(doc).Hide)
		}
		if len(l.Hide) == 0 {
			l.Hide = nil
		}
	}
}

func (c *Config) layout(doc string) *LayoutConfig {
	switch doc {
	case DocCustomer:
		return &c.Layouts.Customer
	case DocMerchant:
		return &c.Layouts.Merchant
	case DocKitchen:
		return &c.Layouts.Kitchen
	case DocDelivery:
		return &c.Layouts.Delivery
	}
	return &c.Layouts.Label
}

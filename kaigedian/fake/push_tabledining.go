package fake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// AddedLine is an item a customer adds online to an open 围餐 order.
type AddedLine struct {
	Code     string // the merchant's product code (thirdProductId), e.g. R2001
	Quantity int
}

// AddOnline adds lines to an order as the mini program does and sends the
// product change push. exampleShape sends the document example's schema
// (spuId, qty, customerCode, names) instead of the table's (productId,
// thirdProductId, productQuantity).
func (p *Platform) AddOnline(code string, lines []AddedLine, exampleShape bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo, ok := p.orders[code]
	if !ok {
		return fmt.Errorf("fake: no order %s", code)
	}
	type tableLine struct {
		ProductID       string `json:"productId"`
		ThirdProductID  string `json:"thirdProductId"`
		ProductQuantity int    `json:"productQuantity"`
	}
	type exampleLine struct {
		SpuID         string `json:"spuId"`
		SkuID         string `json:"skuId"`
		SpuName       string `json:"spuName"`
		SkuName       string `json:"skuName"`
		OriginalPrice string `json:"originalPrice"`
		Qty           int    `json:"qty"`
		ProductType   string `json:"productType"`
		CustomerCode  string `json:"customerCode"`
		ProductSeq    int    `json:"productSeq"`
	}
	var table []tableLine
	var example []exampleLine
	for _, l := range lines {
		name, known := p.products[l.Code]
		if !known {
			return fmt.Errorf("fake: no product %s on the menus", l.Code)
		}
		if l.Quantity <= 0 {
			return fmt.Errorf("fake: quantity %d", l.Quantity)
		}
		price := menuPrice(l.Code)
		id := "13841863240749" + l.Code[1:]
		seq := len(fo.o.Items) + 1
		fo.o.Items = append(fo.o.Items, order.Item{Seq: seq, ProductID: id, ThirdProductID: l.Code, Name: name,
			Price: price, Quantity: l.Quantity, ProductType: 1})
		fo.o.Original += price * order.Fen(l.Quantity)
		fo.o.ActualPay += price * order.Fen(l.Quantity)
		table = append(table, tableLine{id, l.Code, l.Quantity})
		example = append(example, exampleLine{SpuID: id, SpuName: name, OriginalPrice: strconv.FormatInt(int64(price), 10),
			Qty: l.Quantity, ProductType: "1", CustomerCode: l.Code, ProductSeq: seq})
	}
	p.touch(fo)
	client := strconv.Itoa(int(fo.o.Channel))
	if exampleShape {
		p.enqueuePush(kaigedian.PushProduct, code, struct {
			Version        string        `json:"version"`
			ThirdOrderCode string        `json:"thirdOrderCode"`
			OrderCode      string        `json:"orderCode"`
			Products       []exampleLine `json:"products"`
		}{"1", fo.o.ThirdCode, code, example})
		return nil
	}
	p.enqueuePush(kaigedian.PushProduct, code, struct {
		ThirdOrderCode string      `json:"thirdOrderCode"`
		OrderCode      string      `json:"orderCode"`
		OrderClient    string      `json:"orderClient"`
		Products       []tableLine `json:"products"`
	}{fo.o.ThirdCode, code, client, table})
	return nil
}

func menuPrice(code string) order.Fen {
	for _, menu := range [][]dish{teaMenu, restaurantMenu} {
		for _, d := range menu {
			if d.id == code {
				return d.price
			}
			for _, c := range d.combo {
				if c.id == code {
					return c.price
				}
			}
		}
	}
	return 0
}

// DeliveryEvent is a waybill change the delivery platform reports.
type DeliveryEvent struct {
	Status            int
	RiderName         string
	RiderPhone        string
	Remark            string
	ChannelCode       string // default SelfDelivery
	ChannelName       string
	CancelReasonID    int
	ExceptionReasonID int
}

// Deliver sends a delivery push for an order in the current documents'
// shape (distribution.md: partnerId and storeId, deliveryStatus a number).
func (p *Platform) Deliver(code string, ev DeliveryEvent) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo, ok := p.orders[code]
	if !ok {
		return fmt.Errorf("fake: no order %s", code)
	}
	if fo.deliveryID == "" {
		fo.deliveryID = "D" + code
	}
	if ev.ChannelCode == "" {
		ev.ChannelCode, ev.ChannelName = "SelfDelivery", "自配送"
	}
	body := struct {
		OrderID           string `json:"orderId"`
		DeliveryID        string `json:"deliveryId"`
		DeliveryStatus    int    `json:"deliveryStatus"`
		RiderName         string `json:"riderName,omitempty"`
		RiderPhone        string `json:"riderPhone,omitempty"`
		Remark            string `json:"remark,omitempty"`
		ChannelDeliveryID string `json:"channelDeliveryId,omitempty"`
		ChannelCode       string `json:"channelCode"`
		ChannelName       string `json:"channelName,omitempty"`
		CancelReasonID    int    `json:"cancelReasonId,omitempty"`
		ExceptionReasonID int    `json:"exceptionReasonId,omitempty"`
		PartnerID         string `json:"partnerId"`
		StoreID           string `json:"storeId"`
	}{code, fo.deliveryID, ev.Status, ev.RiderName, ev.RiderPhone, ev.Remark, "C" + fo.deliveryID, ev.ChannelCode,
		ev.ChannelName, ev.CancelReasonID, ev.ExceptionReasonID, p.opts.PartnerID, fo.o.StoreID}
	p.enqueuePush(kaigedian.PushDelivery, code, body)
	return nil
}

// ThirdDetailPath is where the platform asks posbridge for a 围餐 order's
// lines (the URL the integrator registers, on the push listener).
const ThirdDetailPath = "/kaigedian/third/order-detail"

// FetchThirdDetail asks posbridge's push listener at baseURL for the POS
// view of a 围餐 order before settling it, as the platform does: a signed
// envelope in, a reply whose sign must verify with the merchant's public
// key. It returns the decoded reply and its raw bytes.
func (p *Platform) FetchThirdDetail(ctx context.Context, baseURL string, req kaigedian.ThirdDetailRequest) (kaigedian.ThirdDetailReply, []byte, error) {
	client := req.OrderClient
	if client == 0 {
		client = kaigedian.OrderClientTableDining
	}
	body := struct {
		OrderCode      string `json:"orderCode"`
		ThirdOrderCode string `json:"thirdOrderCode"`
		OrderClient    string `json:"orderClient"`
		StoreID        string `json:"storeId,omitempty"`
		BarCounter     string `json:"barCounter,omitempty"`
	}{req.OrderCode, req.ThirdOrderCode, strconv.Itoa(client), req.StoreID, req.BarCounter}
	text, err := json.Marshal(body)
	if err != nil {
		return kaigedian.ThirdDetailReply{}, nil, err
	}
	env, err := kaigedian.NewEnvelope(p.platformKey, p.opts.PartnerID, p.opts.AppID, text)
	if err != nil {
		return kaigedian.ThirdDetailReply{}, nil, err
	}
	payload, err := env.Marshal()
	if err != nil {
		return kaigedian.ThirdDetailReply{}, nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(baseURL, "/")+ThirdDetailPath, bytes.NewReader(payload))
	if err != nil {
		return kaigedian.ThirdDetailReply{}, nil, err
	}
	hr.Header.Set("Content-Type", "application/json;charset=utf-8")
	if p.opts.PushToken != "" {
		hr.Header.Set("X-Push-Token", p.opts.PushToken)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return kaigedian.ThirdDetailReply{}, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return kaigedian.ThirdDetailReply{}, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return kaigedian.ThirdDetailReply{}, raw, fmt.Errorf("fake: third-party order detail answered HTTP %d: %s", resp.StatusCode, kaigedian.Cut(string(raw), 200))
	}
	if err := kaigedian.VerifyReply(p.merchantPub, raw); err != nil {
		return kaigedian.ThirdDetailReply{}, raw, fmt.Errorf("fake: third-party order detail reply: %w", err)
	}
	reply, err := kaigedian.DecodeThirdDetailReply(raw)
	return reply, raw, err
}

package push

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// ThirdDetailPath is where 开个店 asks for a 围餐 order's lines before the
// customer settles online (获取第三方订单详情): on the push listener,
// authenticated as pushes are (token, signature, partnerId/appId).
const ThirdDetailPath = "/kaigedian/third/order-detail"

// TableOrders finds the order a third-party detail request names (the
// bridge implements it).
type TableOrders interface {
	// TableOrder is the order by its code, or its thirdOrderCode, or the
	// open 围餐 order at table in storeID: its lines as posbridge has them
	// and the number of guests (0 when unknown). ErrNoTableOrder when none.
	TableOrder(ctx context.Context, code, thirdCode, storeID, table string) (items []order.Item, people int, err error)
}

// ErrNoTableOrder: no order matches a third-party detail request.
var ErrNoTableOrder = errors.New("no such order")

// ReplySigner signs answers with the merchant key (*kaigedian.Client).
type ReplySigner interface {
	SignReply(code, message string, body any) ([]byte, error)
}

func (p *Receiver) thirdDetail(w http.ResponseWriter, r *http.Request) {
	const kind = kaigedian.PushKind("third_detail")
	remote := remoteIP(r)
	if p.RefuseAll != "" {
		p.reject(w, r, kind, remote, nil, int(max(r.ContentLength, 0)), http.StatusUnauthorized, "401", p.RefuseAll)
		return
	}
	if p.Token != "" && !p.tokenOK(r) {
		p.reject(w, r, kind, remote, nil, int(max(r.ContentLength, 0)), http.StatusUnauthorized, "401", "push token missing or wrong")
		return
	}
	if p.Tables == nil || p.Signer == nil {
		writeReply(w, http.StatusServiceUnavailable, "500", "围餐 order details are not served by this posbridge")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		p.reject(w, r, kind, remote, body, len(body), http.StatusRequestEntityTooLarge, "413", "body unreadable or over 1 MiB")
		return
	}
	req, _, err := kaigedian.ParseThirdDetailRequest(body, kaigedian.PushCheck{PublicKey: p.PublicKey, PartnerID: p.PartnerID, AppID: p.AppID})
	if err != nil {
		var pe *kaigedian.PushError
		status, code := http.StatusOK, "21"
		if errors.As(err, &pe) && pe.Status == kaigedian.PushStatusUnauthorized {
			p.reject(w, r, kind, remote, nil, len(body), http.StatusUnauthorized, "401", err.Error())
			return
		}
		// A request from the platform that lacks what it needs is answered
		// in a signed reply, as every answer of this endpoint is.
		if p.recordRefusal(w, r, kind, remote, body, len(body), status, code, err.Error()) {
			p.writeSigned(w, code, err.Error(), nil)
		}
		return
	}
	items, people, err := p.Tables.TableOrder(r.Context(), req.OrderCode, req.ThirdOrderCode, req.StoreID, req.BarCounter)
	switch {
	case errors.Is(err, ErrNoTableOrder):
		p.writeSigned(w, kaigedian.CodeInternal, "订单不存在", nil)
	case err != nil:
		p.log().Error("third-party order detail", "err", err)
		p.writeSigned(w, kaigedian.CodeInternal, "posbridge 读取订单失败，请重试", nil)
	default:
		p.writeSigned(w, kaigedian.CodeSuccess, "success",
			kaigedian.ThirdDetailReply{PeopleNumber: people, OrderItemList: kaigedian.ThirdDetailItemsFrom(items)})
	}
}

// writeSigned answers with a reply signed by the merchant key.
func (p *Receiver) writeSigned(w http.ResponseWriter, code, message string, body any) {
	reply, err := p.Signer.SignReply(code, message, body)
	if err != nil {
		writeReply(w, http.StatusInternalServerError, "500", "reply cannot be signed")
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	_, _ = w.Write(reply)
}

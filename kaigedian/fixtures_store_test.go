package kaigedian

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Assertions for the examples of the goods, store and 围餐 sections and the
// delivery pushes' full fields, added to fixtureChecks.
func init() {
	for name, check := range map[string]func(t *testing.T, raw []byte){
		"order-2020-12-08-28bd2c4/26-push-product.envelope.json": func(t *testing.T, raw []byte) {
			c := mustPush(t, PushProduct, raw, "342354324424")
			eq(t, c.Kind, "product")
			checkPlaceholderSignRefused(t, PushProduct, raw)
			pc, err := DecodeProductPush(raw)
			eq(t, err, nil)
			eq(t, pc.ThirdOrderCode, "1232")
			eq(t, pc.Version, "1")
			eq(t, len(pc.Products), 3)
			// The example's schema: spuId for the product, qty for the quantity.
			eq(t, pc.Products[0].ProductID, "1")
			eq(t, pc.Products[0].Quantity, 12)
			eq(t, pc.Products[0].ProductType, 7)
			eq(t, pc.Products[0].Weight, 10.0)
			eq(t, pc.Products[0].Attributes[0], "属性名称")
			eq(t, pc.Products[2].ParentProductID, "2")
		},
		"order-2020-12-08-28bd2c4/27-push-product.reply.json":             checkEmptySuccess,
		"order-2020-12-08-28bd2c4/30-updateOrderItem.response.json":       checkEmptySuccess,
		"order-2020-12-08-28bd2c4/31-payAfterSyncOrderInfo.response.json": checkEmptySuccess,
		// The example names neither code nor table: it is refused with 21,
		// so the platform sees what is missing.
		"order-2020-12-08-28bd2c4/28-third-order-detail.envelope.json": func(t *testing.T, raw []byte) {
			_, _, err := ParseThirdDetailRequest(raw, PushCheck{PartnerID: "1864"})
			eq(t, pushStatus(err), PushStatusBadRequest)
			_, _, err = ParseThirdDetailRequest(raw, PushCheck{PartnerID: "9999"})
			eq(t, pushStatus(err), PushStatusUnauthorized)
		},
		"goods-2020-09-15-bcbab52/02-sellOutByCustomerCode.response.json": func(t *testing.T, raw []byte) {
			failed, err := DecodeSellOutBody(mustResponse(t, raw))
			eq(t, err, nil)
			eq(t, len(failed), 4)
			eq(t, failed[3], "we232")
		},
		"goods-2020-09-15-bcbab52/04-cancelSellOutByCustomerCode.response.json": func(t *testing.T, raw []byte) {
			failed, err := DecodeSellOutBody(mustResponse(t, raw))
			eq(t, err, nil)
			eq(t, len(failed), 2)
		},
		"store-2020-09-16-14cbb06/02-setStoreStatus.response.json": func(t *testing.T, raw []byte) {
			r := mustResponse(t, raw)
			eq(t, r.Message, "成功")
			eq(t, len(r.Body), 0)
		},
	} {
		fixtureChecks[name] = check
	}
}

func TestDeliveryPushAllFields(t *testing.T) {
	raw := readFixture(t, "distribution-2020-11-13-f88118a/push-delivery-callback.envelope.json")
	u, err := DecodeDeliveryPush(raw)
	eq(t, err, nil)
	eq(t, u.OrderID, "213188750773378667828")
	eq(t, u.Status, DeliveryAbnormal)
	eq(t, u.ChannelCode, "MeiTuan")
	eq(t, u.Channel(), "美团")
	eq(t, u.RiderName, "王明艳")
	eq(t, u.ExceptionReasonID, 10001)
	eq(t, u.Text(), "运单异常（顾客电话关机）：联系不上顾客")
	eq(t, DeliveryNeedsStaff(u.Status), true)

	raw = readFixture(t, "distribution-2020-11-13-f88118a/push-delivery.envelope.json")
	u, err = DecodeDeliveryPush(raw)
	eq(t, err, nil)
	eq(t, u.Status, DeliveryCancelled)
	eq(t, u.CancelReasonID, 2)
	eq(t, u.Text(), "运单已取消（配送员没来取货）")

	_, err = DecodeDeliveryPush([]byte(`{"deliveryStatus":5}`))
	eq(t, pushStatus(err), PushStatusBadRequest)
	var pe *PushError
	eq(t, errors.As(err, &pe), true)
}

func TestSignedReplyVerifies(t *testing.T) {
	key, _ := testKeys(t)
	raw, err := SignedReply(key, CodeSuccess, "success", ThirdDetailReply{PeopleNumber: 4, OrderItemList: []ThirdDetailItem{{ProductSeq: 1, ProductID: "P1", ProductQuantity: 2, ProductType: 1, ProductPrice: 1200, Unit: "份"}}})
	eq(t, err, nil)
	eq(t, VerifyReply(&key.PublicKey, raw), nil)
	reply, err := DecodeThirdDetailReply(raw)
	eq(t, err, nil)
	eq(t, reply.PeopleNumber, 4)
	eq(t, reply.OrderItemList[0].ProductPrice, 1200)
	tampered := []byte(string(raw[:len(raw)-3]) + `"}`)
	if VerifyReply(&key.PublicKey, tampered) == nil {
		t.Fatal("a tampered reply verified")
	}
}

package render

import (
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer/document"
)

// Golden bytes of the 开个店 store's documents: 备餐提醒, 部分退款 (without and
// with an amount), 加菜, and a delivery receipt with invoice, tip and times.
func TestGoldenStoreDocuments(t *testing.T) {
	prof := func(key string) document.Profile { return profile(t, testProfiles[key]) }
	optsFor := func(key string) document.Options {
		o := document.OptionsFor(testProfiles[key], testPrintConfig())
		o.PrintedAt = fixedTime
		return o
	}
	added := sampleOrder()
	added.Items = added.Items[:1]
	addedOpts := optsFor("kitchen")
	addedOpts.Added = true
	times := deliveryOrder()
	times.NeedInvoice, times.DriverFee, times.PartlyRefunded = true, 300, true
	times.DeliveryAt = fixedTime.Add(10 * time.Minute)
	times.EstimatedArrive = fixedTime.Add(40 * time.Minute)
	times.ArrivedAt = fixedTime.Add(38 * time.Minute)
	for _, j := range []struct {
		name, printer string
		doc           document.Document
	}{
		{"reminder", "kitchen", document.ReminderSlip(sampleOrder(), optsFor("kitchen"))},
		{"partial_refund", "80mm", document.PartialRefundSlip(sampleOrder(), 0, nil, "少送一杯", optsFor("80mm"))},
		{"partial_refund_known", "80mm", document.PartialRefundSlip(sampleOrder(), 1200, sampleOrder().Items[:1], "", optsFor("80mm"))},
		{"kitchen_added", "kitchen", document.KitchenTickets(added, document.NewMatcher(testProfiles["kitchen"].Match), addedOpts)[0]},
		{"receipt_delivery_times", "80mm", document.Receipt(times, optsFor("80mm"))},
	} {
		t.Run(j.name, func(t *testing.T) {
			raw, err := j.doc.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := document.UnmarshalDocument(raw)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, j.name, render(t, back, prof(j.printer)))
		})
	}
}

// A partial refund slip never shows the order's whole amount as refunded,
// and says where the amount is when no document gives it.
func TestPartialRefundSlipNeverClaimsTheWholeAmount(t *testing.T) {
	o := sampleOrder()
	text := func(d document.Document) string {
		var sb strings.Builder
		for _, b := range d.Blocks {
			sb.WriteString(b.Text + "|" + b.Right + "\n")
		}
		return sb.String()
	}
	got := text(document.PartialRefundSlip(o, 0, nil, "", document.Options{ShowPrices: true}))
	if strings.Contains(got, o.ActualPay.String()) || !strings.Contains(got, document.PartialRefundBackOffice) || !strings.Contains(got, "部分退款") {
		t.Fatalf("slip:\n%s", got)
	}
	got = text(document.PartialRefundSlip(o, 350, []order.Item{o.Items[0]}, "", document.Options{}))
	if !strings.Contains(got, "￥3.50") || strings.Contains(got, document.PartialRefundBackOffice) {
		t.Fatalf("slip with a known amount and items:\n%s", got)
	}
}

package console_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// The 沽清 page in a real browser against the real daemon and the fake
// 开个店: the products of recent orders are listed, selecting two and
// pressing 沽清所选 marks them sold out on the platform, a typed unknown
// code comes back as a failure naming it, and 置休 shows as the store's
// status once the platform confirmed it.
func TestGoodsPageInBrowser(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{})
	t.Cleanup(func() { _ = env.Stop() })
	o := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypePickup, Items: []order.Item{
		{Seq: 1, ProductID: "138418632407491001", ThirdProductID: "T1001", Name: "珍珠奶茶", Price: 1500, Quantity: 1},
		{Seq: 2, ProductID: "138418632407491002", ThirdProductID: "T1002", Name: "杨枝甘露", Price: 1900, Quantity: 1},
	}})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(env.ConsoleURL + "/#goods"))
	b.wait("start overlay", `!document.getElementById('start-overlay').hidden`, 10*time.Second)
	b.click("#start-btn")
	b.wait("product rows", `document.querySelectorAll('#goods-body tr[data-code]').length === 2`, 10*time.Second)
	row := func(code string) string { return `#goods-body tr[data-code="` + code + `"]` }
	for _, c := range []string{"T1001", "T1002"} {
		b.click(row(c) + ` input[type=checkbox]`)
	}
	b.click("#goods-out")
	b.wait("both sold out", `['T1001','T1002'].every((c) => document.querySelector('#goods-body tr[data-code="' + c + '"]').innerText.includes('已沽清'))`, 10*time.Second)
	if got := env.Fake.SoldOut("1862", ""); !slices.Equal(got, []string{"T1001", "T1002"}) {
		t.Fatalf("platform sold out: %v", got)
	}
	b.wait("result line", `document.getElementById('goods-calls').innerText.includes('成功 T1001、T1002')`, 5*time.Second)

	// A typed code the platform does not know: partial success, named.
	b.do(chromedp.SendKeys("#goods-code", "NOPE9"))
	b.click(`#goods-add button[type=submit]`)
	b.wait("failure named", `document.querySelector('#goods-calls .call-partial') &&
		document.querySelector('#goods-calls .call-partial').innerText.includes('失败 NOPE9')`, 10*time.Second)
	b.shot("kgd19-goods-sold-out")

	// One back on sale.
	b.click(row("T1002") + ` input[type=checkbox]`)
	b.click("#goods-back")
	b.wait("back on sale", `document.querySelector(`+jsString(row("T1002"))+`).innerText.includes('在售')`, 10*time.Second)
	if got := env.Fake.SoldOut("1862", ""); !slices.Equal(got, []string{"T1001"}) {
		t.Fatalf("platform sold out after 取消沽清: %v", got)
	}

	// 置休, confirmed.
	b.click(`.store-card[data-store="1862"] button[data-event="rest"]`)
	b.wait("confirm dialog", `!document.getElementById('modal-backdrop').hidden`, 5*time.Second)
	b.click("#confirm-ok")
	b.wait("store resting", `document.getElementById('store-state-1862').innerText === '置休'`, 10*time.Second)
	if st := env.Fake.StoreStatusOf("1862"); !st.Resting {
		t.Fatalf("platform store status: %+v", st)
	}
	text := eval[string](b, `document.getElementById('view-goods').innerText`)
	for _, want := range []string{"门店状态：置休", "已沽清", "珍珠奶茶"} {
		if !strings.Contains(strings.ReplaceAll(text, "\n", ""), want) {
			t.Errorf("page lacks %q:\n%s", want, text)
		}
	}
	b.shot("kgd19-store-rest")
	b.noJSErrors()
}

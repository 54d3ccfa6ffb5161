package console_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/store"
)

// A member's paid top-up refunded from the 会员 view: the manager's PIN is
// asked (a wrong one refused, nothing changed), the credit comes off the
// card, the provider refund is queued once with its refund number and the
// audit log names who and why; the refunded row offers no second refund;
// the whole ledger exports as CSV with the phone masked.
func TestMembersViewRefundsATopUpAndExportsTheLedger(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{Console: `manager_pin: "864209"`})
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	db := env.Daemon.DB

	// A customer with a card topped up ￥100.00 (paid ￥90.00).
	var cid int64
	if err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		cid, err = tx.InsertCustomer(1, "13812345678")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	cfg := members.DefaultConfig()
	cfg.TopUps = []members.TopUp{{MoneyPrice: "100.00", Price: "90.00"}}
	l := members.New(db, cfg)
	who := strconv.FormatInt(cid, 10)
	card, err := l.Open(ctx, 1, who)
	if err != nil {
		t.Fatal(err)
	}
	d, err := l.CreateDeposit(ctx, 1, who, "wechat", "100", "90", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.DepositPaid(ctx, d.ID, "T20261202000001", time.Now()); err != nil {
		t.Fatal(err)
	}
	ref := "D" + strconv.FormatInt(d.ID, 10)

	b.do(chromedp.Navigate(env.ConsoleURL + "/#members"))
	b.wait("start overlay", `!document.getElementById('start-overlay').hidden`, 10*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("start-staff"), "店长老李"))
	b.click("#start-btn")
	b.wait("members view", `!document.getElementById('view-members').hidden`, 15*time.Second)
	b.do(chromedp.SetValue("#member-q", "5678"))
	b.click(`#member-search button[type=submit]`)
	b.wait("the card", `document.querySelectorAll('#member-cards tr[data-card]').length === 1 &&
		document.getElementById('member-cards').innerText.includes('138****5678')`, 15*time.Second)
	b.click(`#member-cards tr[data-card] button[data-open]`)
	b.wait("the top-up row", `document.querySelector('#member-ledger button[data-refund="`+ref+`"]') !== null`, 15*time.Second)

	b.click(`#member-ledger button[data-refund="` + ref + `"]`)
	b.wait("the refund dialog", `document.getElementById('refund-reason') !== null && document.getElementById('manager-pin') !== null`, 15*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("refund-reason"), "顾客搬家退卡"))
	b.do(chromedp.SendKeys(chromedp.ID("manager-pin"), "000000"))
	b.click("#confirm-ok")
	b.wait("refused", `document.querySelector('.modal-error') && document.querySelector('.modal-error').innerText.includes('店长 PIN 不正确')`, 15*time.Second)
	if c, _ := db.MemberCardByID(ctx, card.ID); c.BalanceFen != 10000 {
		t.Fatalf("a wrong PIN moved the balance: %d", c.BalanceFen)
	}
	if _, err := db.MemberDepositRefundOf(ctx, d.ID); err == nil {
		t.Fatal("a wrong PIN queued a refund")
	}
	b.do(chromedp.SetValue("#manager-pin", "864209"))
	b.click("#confirm-ok")
	b.wait("refunded", `document.getElementById('member-title').innerText.includes('余额 ￥0.00') &&
		document.getElementById('member-ledger').innerText.includes('充值退款') &&
		document.querySelector('#member-ledger button[data-refund]') === null`, 15*time.Second)
	b.shot("members-top-up-refunded")
	f, err := db.MemberDepositRefundOf(ctx, d.ID)
	if err != nil || f.AmountFen != 9000 || f.RefundNo == "" || f.TradeNo != "T20261202000001" || !strings.Contains(f.Actor, "店长老李") {
		t.Fatalf("queued refund %+v %v", f, err)
	}
	audits, err := db.AuditLog(ctx, 20)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range audits {
		if a.Action == "member.top_up_refund" && strings.Contains(a.Detail, "顾客搬家退卡") && strings.Contains(a.Detail, f.RefundNo) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no audit line of the refund: %+v", audits)
	}
	if _, bad, err := db.CheckMemberLedger(ctx); err != nil || len(bad) > 0 {
		t.Fatalf("ledger check %v %v", bad, err)
	}

	// The whole ledger as CSV: the phone masked, every row.
	b.do(chromedp.Evaluate[chromedp.Void](`fetch(document.getElementById('member-csv-all').href).then(r => r.text()).then(t => { window.__csv = t; })`))
	b.wait("the CSV", `typeof window.__csv === 'string'`, 10*time.Second)
	csv := eval[string](b, `window.__csv`)
	if strings.Contains(csv, "13812345678") || !strings.Contains(csv, "138****5678") || !strings.Contains(csv, "top_up_refund") ||
		!strings.Contains(csv, "手机") || strings.Count(csv, ref) != 2 {
		t.Fatalf("ledger CSV:\n%s", csv)
	}
	b.noJSErrors()
}

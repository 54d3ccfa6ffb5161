package console_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/store"
)

// The 会员 view in a real browser against the real daemon: a card issued
// with an opening balance (the manager's PIN asked), a CSV import whose bad
// lines are named and nothing stored, then a good one; a balance adjusted
// with a reason, refused with a wrong manager PIN; the ledger shows every
// row; an appeal resolved and audited.
func TestMembersViewInBrowser(t *testing.T) {
	b := newBrowser(t)
	env := startDaemon(t, harness.Options{Console: `manager_pin: "864209"`})
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	db := env.Daemon.DB

	b.do(chromedp.Navigate(env.ConsoleURL + "/#members"))
	b.wait("start overlay", `!document.getElementById('start-overlay').hidden`, 10*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("start-staff"), "店长老李"))
	b.click("#start-btn")
	b.wait("members view", `!document.getElementById('view-members').hidden`, 15*time.Second)

	// Issue a card with 50.00 on it: the manager's PIN is asked.
	b.do(chromedp.SendKeys(chromedp.ID("issue-no"), "M001"))
	b.do(chromedp.SendKeys(chromedp.ID("issue-pwd"), "1234"))
	b.do(chromedp.SendKeys(chromedp.ID("issue-opening"), "50.00"))
	b.click(`#member-issue button[type=submit]`)
	b.wait("pin dialog", `document.getElementById('manager-pin') !== null`, 15*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("manager-pin"), "864209"))
	b.click("#confirm-ok")
	b.wait("card listed", `document.querySelector('#member-cards tr[data-card="M001"]') !== null &&
		document.querySelector('#member-cards tr[data-card="M001"]').innerText.includes('￥50.00')`, 15*time.Second)

	// A CSV with a bad amount and a repeated number: both lines named, no card stored.
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("卡号,密码,初始余额\nM100,1111,10.00\nM101,2222,abc\nM100,3333,\n"), 0o600)
	b.do(chromedp.SetUploadFiles("#import-file", []string{bad}))
	b.click(`#member-upload button[type=submit]`)
	b.wait("line errors", `document.querySelectorAll('#import-errors .import-error').length === 2 &&
		document.getElementById('import-errors').innerText.includes('第 3 行（M101）') &&
		document.getElementById('import-errors').innerText.includes('与第 2 行重复')`, 15*time.Second)
	if _, err := db.MemberCardByNo(ctx, 1, "M100"); err == nil {
		t.Fatal("a refused import stored a card")
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("M200,1111,\nM201,,\n"), 0o600)
	b.do(chromedp.SetUploadFiles("#import-file", []string{good}))
	b.click(`#member-upload button[type=submit]`)
	b.wait("imported", `document.querySelector('#member-cards tr[data-card="M201"]') !== null`, 15*time.Second)

	// Adjust M001 by -5.00: a wrong manager PIN is refused in the dialog.
	b.do(chromedp.SetValue("#member-q", "M001"))
	b.click(`#member-search button[type=submit]`)
	b.wait("one card", `document.querySelectorAll('#member-cards tr[data-card]').length === 1`, 15*time.Second)
	b.click(`#member-cards tr[data-card="M001"] button[data-open]`)
	b.wait("ledger", `document.querySelectorAll('#member-ledger tr').length === 1 && document.getElementById('member-ledger').innerText.includes('开卡余额')`, 15*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("adjust-delta"), "-5.00"))
	b.do(chromedp.SendKeys(chromedp.ID("adjust-reason"), "饮品做错补偿"))
	b.click(`#member-adjust button[type=submit]`)
	b.wait("pin dialog", `document.getElementById('manager-pin') !== null`, 15*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("manager-pin"), "000000"))
	b.click("#confirm-ok")
	b.wait("refused", `document.querySelector('.modal-error') && document.querySelector('.modal-error').innerText.includes('店长 PIN 不正确')`, 15*time.Second)
	c, _ := db.MemberCardByNo(ctx, 1, "M001")
	if c.BalanceFen != 5000 {
		t.Fatalf("a wrong PIN moved the balance: %d", c.BalanceFen)
	}
	b.do(chromedp.SetValue("#manager-pin", "864209"))
	b.click("#confirm-ok")
	b.wait("adjusted", `document.getElementById('member-title').innerText.includes('余额 ￥45.00') &&
		document.getElementById('member-ledger').innerText.includes('饮品做错补偿')`, 15*time.Second)
	b.shot("members-ledger")
	if c, _ := db.MemberCardByNo(ctx, 1, "M001"); c.BalanceFen != 4500 {
		t.Fatalf("balance after the adjustment: %d", c.BalanceFen)
	}
	if _, bad, err := db.CheckMemberLedger(ctx); err != nil || len(bad) > 0 {
		t.Fatalf("ledger check %v %v", bad, err)
	}

	// An appeal from a customer, resolved by staff.
	if err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.InsertMemberAppeal(&store.MemberAppeal{Kind: "deposit", RefID: 7, CustomerID: "3", Phone: "13812345678",
			Reason: "已付款未到账", Images: []string{"/media/a.jpg"}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(env.ConsoleURL + "/#orders"))
	b.do(chromedp.Navigate(env.ConsoleURL + "/#members"))
	b.wait("appeal", `document.querySelector('#member-appeals tr[data-appeal]') !== null`, 10*time.Second)
	text := eval[string](b, `document.getElementById('member-appeals').innerText`)
	if !strings.Contains(text, "D7") || strings.Contains(text, "13812345678") || !strings.Contains(text, "138****5678") {
		t.Fatalf("appeal row (phone must be masked): %s", text)
	}
	b.click(`#member-appeals button[data-resolve]`)
	b.wait("note", `document.getElementById('appeal-note') !== null`, 15*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("appeal-note"), "已补充值"))
	b.click("#confirm-ok")
	b.wait("resolved", `document.getElementById('member-appeals').innerText.includes('已处理')`, 15*time.Second)
	a, err := db.MemberAppealByRef(ctx, "deposit", 7)
	if err != nil || a.Status != "success" || a.Note != "已补充值" || !strings.Contains(a.ResolvedBy, "staff:") {
		t.Fatalf("appeal %+v %v", a, err)
	}
	b.noJSErrors()
}
